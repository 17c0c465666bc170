// Unknown issue ids (issue 14, item 7): an id nothing knows is exit 4 naming the nearest ids,
// for every command. Suggestions come from the checkout's own issues (jit store or task folder;
// never GitHub, which would cost a network call on an error path).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { nearest } from '../core/near.js';
import { JitpError } from '../platform/errors.js';
import type { LeaseStore } from '../core/model.js';
import type { Issue } from '../sources/types.js';
import { openWorkspace } from '../workspace/open.js';
import { readBatch } from '../worktree/batch.js';

const ID_ERRORS = new Set(['E_NOT_FOUND', 'E_UNKNOWN_ISSUE']);

/** The local issues of the checkout at `cwd`, or undefined (no repository, GitHub, unreadable). */
async function localIssues(cwd: string, env: NodeJS.ProcessEnv): Promise<Issue[] | undefined> {
  try {
    const ws = openWorkspace(cwd, { env });
    if ((await ws.sourceKind()) === 'github') return undefined;
    return (await ws.source()).list();
  } catch {
    return undefined;
  }
}

const label = (i: Issue) =>
  `${i.shortId}${i.title ? ` (${i.title.length > 50 ? `${i.title.slice(0, 49)}…` : i.title})` : ''}`;

/** The nearest issues to `input`: by id, short id, or a word of the title. */
export function nearIssues(input: string, issues: readonly Issue[], max = 5): Issue[] {
  const byValue = new Map(issues.map((i) => [i.id, i]));
  return nearest(
    input,
    issues.map((i) => ({ value: i.id, aliases: [i.shortId, i.title] })),
    max,
  ).map((id) => byValue.get(id)!);
}

/**
 * An unknown-id error of any command, with the nearest ids added to its message, hint and
 * details (`details.near`: full ids). Other errors, and ids with no near match, pass unchanged.
 */
export async function withNearIds(err: JitpError, cwd: string, env: NodeJS.ProcessEnv): Promise<JitpError> {
  const input = err.details?.input;
  if (!ID_ERRORS.has(err.code) || typeof input !== 'string' || err.details?.near) return err;
  const issues = await localIssues(cwd, env);
  const near = issues ? nearIssues(input, issues) : [];
  if (!near.length) return err;
  return new JitpError(err.code, `${err.message}; nearest: ${near.map(label).join(', ')}`, {
    hint: `did you mean ${near[0]!.shortId}? \`jitp issues\` lists every id`,
    details: { ...err.details, near: near.map((i) => i.id) },
  });
}

/**
 * Before a new lease: with a task folder, the issue must be one of its tasks, of the batch, or
 * already leased (so a typo does not lease an issue nobody will work on). A jit store resolves
 * ids itself (core/issue-ids.ts); GitHub and repositories without a task folder take any id.
 */
export async function requireKnownIssue(
  cwd: string,
  env: NodeJS.ProcessEnv,
  issueId: string,
  store: LeaseStore,
): Promise<void> {
  const ws = openWorkspace(cwd, { env });
  const config = await ws.config();
  if ((await ws.sourceKind()) !== 'tasks') return;
  if (!existsSync(join(ws.root, config.tasksDir))) return;
  const issues = (await ws.source()).list();
  const same = (id: string) => id === issueId || id.toLowerCase() === issueId.toLowerCase();
  if (issues.some((i) => same(i.id))) return;
  if (readBatch(ws.mainRoot)?.issues.some((i) => same(i.id))) return;
  if ((await store.read()).leases.some((l) => same(l.issueId))) return;
  throw new JitpError('E_UNKNOWN_ISSUE', `no task ${JSON.stringify(issueId)} in ${config.tasksDir}`, {
    hint: `check the id with \`jitp issues\`, or add ${config.tasksDir}/${issueId}.md to make it a task`,
    details: { input: issueId },
  });
}
