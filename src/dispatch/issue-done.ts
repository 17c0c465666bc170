// Marks issues done in their own tracker: through the `jit` CLI when it is installed (it
// runs jit's gates and events), else by rewriting the issue file atomically.
import { randomUUID } from 'node:crypto';
import { accessSync, appendFileSync, constants, existsSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { writeFileAtomic } from '../platform/atomic-write.js';
import { runProcess } from '../platform/process.js';
import { JitpError, isJitpError } from '../platform/errors.js';
import { ghClient } from '../sources/gh.js';
import type { Issue } from '../sources/types.js';
import { changedFiles } from './git.js';
import { jitDoneEvents, setJitIssueState, setTaskFileState } from './state-edit.js';

export interface DoneOutcome {
  id: string;
  shortId: string;
  from: string;
  via: 'jit-cli' | 'file' | 'gh' | 'none';
  /** The file rewritten (repo-relative), when via = file. */
  file: string | null;
  changed: boolean;
  error?: string;
  note?: string;
}

/** The `jit` executable on PATH, or null. `JITP_JIT_BIN` overrides (empty string: never use it). */
export function findJitBinary(env: NodeJS.ProcessEnv): string | null {
  if (env.JITP_JIT_BIN !== undefined) return env.JITP_JIT_BIN || null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, 'jit');
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return null;
}

export interface MarkDoneOptions {
  now?: Date;
  /** GitHub issues: `--repo` for gh (config `github.repo`), and a closing comment. */
  github?: { repo: string | null; comment?: string | undefined };
}

export async function markDone(
  root: string,
  issue: Issue,
  env: NodeJS.ProcessEnv,
  opts: MarkDoneOptions = {},
): Promise<DoneOutcome> {
  const now = opts.now ?? new Date();
  const base = { id: issue.id, shortId: issue.shortId, from: issue.state };
  if (issue.state === 'done') return { ...base, via: 'none', file: null, changed: false, note: 'already done' };
  if (issue.source === 'batch')
    return { ...base, via: 'none', file: null, changed: false, note: 'batch-list tasks have no stored state' };
  if (issue.source === 'github') {
    if (issue.state === 'rejected')
      return { ...base, via: 'none', file: null, changed: false, note: 'closed as not planned on GitHub; left so' };
    // gh owns the credentials; a refusal (auth, permissions) is a typed error the command reports.
    const gh = ghClient({ cwd: root, env, repo: opts.github?.repo ?? null });
    const comment = opts.github?.comment;
    gh.run(['issue', 'close', issue.id, '--reason', 'completed', ...(comment ? ['--comment', comment] : [])]);
    return { ...base, via: 'gh', file: issue.file, changed: true };
  }
  if (issue.source === 'jit') {
    const jit = findJitBinary(env);
    if (jit) {
      const r = await runProcess(jit, ['issue', 'update', issue.id, '--state', 'done'], { cwd: root, env });
      if (r.code === 0) return { ...base, via: 'jit-cli', file: issue.file, changed: true };
      const detail = (r.spawnError?.message ?? jitError(r.stdout) ?? (r.stderr || `exit ${r.code}`))
        .trim()
        .split('\n')[0];
      // jit refused (gates, dependencies): its rules win; never rewrite the file behind its back.
      return {
        ...base,
        via: 'jit-cli',
        file: issue.file,
        changed: false,
        error: `jit issue update refused: ${detail}`,
      };
    }
    const abs = join(root, issue.file);
    const iso = now.toISOString();
    const r = setJitIssueState(readFileSync(abs, 'utf8'), 'done', iso);
    writeFileAtomic(abs, r.text);
    const events = join(root, '.jit', 'events.jsonl');
    // One append of whole lines, like jit: a reader tolerates a torn last line, never a mixed one.
    if (existsSync(events)) appendFileSync(events, jitDoneEvents(issue.id, r.from, iso, randomUUID));
    return { ...base, via: 'file', file: issue.file, changed: true };
  }
  const abs = join(root, issue.file);
  const r = setTaskFileState(readFileSync(abs, 'utf8'), 'done');
  writeFileAtomic(abs, r.text);
  return { ...base, via: 'file', file: issue.file, changed: true };
}

/** The tracker's files a state change of these issues touched: `.jit/` changes, the issues' task files. */
export async function trackerChanges(root: string, issues: readonly Issue[]): Promise<string[]> {
  const spec = [
    ...(existsSync(join(root, '.jit')) ? ['.jit'] : []),
    ...issues.filter((i) => i.source === 'tasks').map((i) => i.file),
  ];
  return spec.length ? changedFiles(root, spec) : [];
}

/** markDone, with a file it cannot rewrite reported as what to fix and the command to run again. */
export async function markDoneOrExplain(
  root: string,
  issue: Issue,
  env: NodeJS.ProcessEnv,
  rerun: string,
  details?: Record<string, unknown>,
  opts: MarkDoneOptions = {},
): Promise<DoneOutcome> {
  try {
    return await markDone(root, issue, env, opts);
  } catch (e) {
    // gh's own errors (auth, network) already say what to do; the others come from a file.
    if (isJitpError(e) && e.code.startsWith('E_GH')) throw e;
    throw new JitpError('E_ISSUE_FILE', `cannot update ${issue.file}: ${(e as Error).message}`, {
      hint: `fix the file by hand (it was not changed), then run again: ${rerun}`,
      ...(details ? { details } : {}),
    });
  }
}

function jitError(stdout: string | undefined): string | undefined {
  if (!stdout) return undefined;
  try {
    const j = JSON.parse(stdout) as { error?: { message?: string } };
    return j.error?.message;
  } catch {
    return undefined;
  }
}
