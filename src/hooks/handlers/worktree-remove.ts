// WorktreeRemove: the client wants a sub-agent's worktree gone. Removed only when nothing
// would be lost (no uncommitted or untracked files); the branch goes only when merged. Else
// the worktree is kept and the user is told how to deal with it. Never blocks (exit 0).
import { existsSync } from 'node:fs';
import type { HookHandler } from '../runtime/contract.js';
import { readBatch } from '../../worktree/batch.js';
import { worktreeEnv } from '../../worktree/context.js';
import { findWorkspace } from '../../workspace/open.js';
import { git, outcome } from '../../platform/git.js';
import { currentBranch, worktreeAdmin } from '../../worktree/git.js';
import { removeIssue } from '../../worktree/remove.js';
import { removalFacts } from '../../worktree/remove.js';
import { decideRemoval } from '../../worktree/safety.js';

export const handler: HookHandler = async (input, env) => {
  const path = typeof input.worktree_path === 'string' ? input.worktree_path : '';
  if (!path || !existsSync(path)) return {};
  const ws = findWorkspace(path, { env });
  if (!ws) return {};
  const { mainRoot } = ws;
  try {
    const w = await worktreeEnv(ws, () => {});
    const batch = readBatch(mainRoot);
    const issue = batch?.issues.find((i) => i.worktree === path);
    if (batch && issue) {
      const o = await removeIssue(w, batch, issue, { mode: 'remove', force: false });
      if (!o.verdict.allowed)
        return {
          json: {
            systemMessage:
              `jit-parallel: kept ${path} (${o.verdict.refusals.join('; ')}); \`jitp status\` shows ` +
              `it, \`jitp merge\` merges committed work`,
          },
        };
      return {};
    }
    // A worktree jitp did not make for an issue: same safety rule, against the main checkout's branch.
    const branch = await currentBranch(path);
    const integration = (await currentBranch(mainRoot)) ?? 'HEAD';
    const fakeBatch = { integration } as never;
    const facts = await removalFacts(w, fakeBatch, { branch: branch ?? null, worktree: path });
    const v = decideRemoval(facts, { mode: 'remove', force: false });
    if (!v.allowed) return { json: { systemMessage: `jit-parallel: kept ${path} (${v.refusals.join('; ')})` } };
    await worktreeAdmin(w.commonDir, async () => {
      await git(mainRoot, outcome(['worktree', 'remove', path]));
      if (branch && facts.unmergedCommits.length === 0) await git(mainRoot, outcome(['branch', '-d', branch]));
    });
    return {};
  } catch (e) {
    return { json: { systemMessage: `jit-parallel: kept ${path}: ${(e as Error).message}` } };
  }
};
