// Removing an issue's worktree/branch after decideRemoval says yes; shared by
// `jitp worktree remove`, `jitp cleanup` and the WorktreeRemove hook.
import { existsSync } from 'node:fs';
import { type Batch, type BatchIssue, updateBatch } from './batch.js';
import type { WorktreeEnv } from './create.js';
import { git, outcome } from '../platform/git.js';
import { branchExists, dirtyState, listWorktrees, worktreeAdmin } from './git.js';
import { decideRemoval, type RemovalFacts, type RemovalVerdict } from './safety.js';

export async function removalFacts(
  w: Pick<WorktreeEnv, 'mainRoot'>,
  batch: Batch,
  issue: Pick<BatchIssue, 'branch' | 'worktree'>,
): Promise<RemovalFacts> {
  const wt = issue.worktree;
  const recs = await listWorktrees(w.mainRoot);
  const rec = wt ? recs.find((r) => r.path === wt) : undefined;
  const worktreeExists = !!wt && existsSync(wt) && !!rec;
  const d = worktreeExists ? await dirtyState(wt!) : { modified: [], untracked: [] };
  const bExists = !!issue.branch && (await branchExists(w.mainRoot, issue.branch));
  let unmergedCommits: string[] = [];
  if (bExists) {
    const r = await git(
      w.mainRoot,
      outcome(['log', '--format=%h %s', `refs/heads/${batch.integration}..refs/heads/${issue.branch}`]),
    );
    unmergedCommits =
      r.code === 0
        ? r.stdout.split('\n').filter(Boolean)
        : [`(cannot compare with ${batch.integration}: ${r.stderr.trim()})`];
  }
  return {
    worktreeExists,
    branch: issue.branch,
    branchExists: bExists,
    modified: d.modified,
    untracked: d.untracked,
    unmergedCommits,
    locked: rec?.locked !== undefined,
  };
}

export interface RemovalOutcome {
  issue: string;
  short: string;
  verdict: RemovalVerdict;
  removedWorktree: boolean;
  deletedBranch: boolean;
  releasedLease: boolean;
}

export async function removeIssue(
  w: WorktreeEnv,
  batch: Batch,
  issue: BatchIssue,
  opts: { mode: 'cleanup' | 'remove'; force: boolean },
): Promise<RemovalOutcome> {
  const facts = await removalFacts(w, batch, issue);
  const verdict = decideRemoval(facts, opts);
  const out: RemovalOutcome = {
    issue: issue.id,
    short: issue.short,
    verdict,
    removedWorktree: false,
    deletedBranch: false,
    releasedLease: false,
  };
  if (!verdict.allowed) return out;
  if (verdict.removeWorktree) {
    const args = ['worktree', 'remove', ...(opts.force ? ['--force', '--force'] : []), issue.worktree!];
    const r = await worktreeAdmin(w.commonDir, () => git(w.mainRoot, outcome(args)));
    if (r.code !== 0) {
      verdict.allowed = false;
      verdict.refusals.push(`git worktree remove failed: ${r.stderr.trim()}`);
      return out;
    }
    out.removedWorktree = true;
  }
  if (verdict.deleteBranch && issue.branch) {
    const branch = issue.branch;
    out.deletedBranch = await worktreeAdmin(w.commonDir, async () => {
      const r = await git(w.mainRoot, outcome(['branch', opts.force ? '-D' : '-d', branch]));
      // -d refuses a branch not merged into HEAD even when it is in the integration branch
      // (main checkout elsewhere): the verdict already checked against the integration branch.
      return r.code === 0 || (await git(w.mainRoot, outcome(['branch', '-D', branch]))).code === 0;
    });
  }
  // The lease guards the issue until its work is merged: released only once the branch is gone.
  if (
    w.store &&
    (out.removedWorktree || !facts.worktreeExists) &&
    (out.deletedBranch || !facts.branchExists) &&
    issue.agentId
  ) {
    try {
      await w.store.release({ issueId: issue.id, agentId: issue.agentId }, `worktree ${opts.mode}`);
      out.releasedLease = true;
    } catch {
      /* no live lease left: nothing to release */
    }
  }
  await updateBatch(w.mainRoot, w.commonDir, (b) => {
    const i = b?.issues.find((x) => x.id === issue.id);
    if (!b || !i) return { batch: undefined, value: undefined };
    if (out.removedWorktree || !facts.worktreeExists) i.worktree = null;
    if (out.deletedBranch) i.branch = null;
    return { batch: b, value: undefined };
  });
  return out;
}

/**
 * A worktree that is not in the batch (e.g. `.claude/worktrees/agent-*` left by sub-agents):
 * the same rule, judged against the main checkout's branch.
 */
export async function removeLooseWorktree(
  w: WorktreeEnv,
  path: string,
  branch: string | null,
  integration: string,
  opts: { force: boolean; dryRun: boolean },
): Promise<{ verdict: RemovalVerdict; removedWorktree: boolean; deletedBranch: boolean }> {
  const facts = await removalFacts(w, { integration } as Batch, { branch, worktree: path });
  const verdict = decideRemoval(facts, { mode: 'cleanup', force: opts.force });
  const out = { verdict, removedWorktree: false, deletedBranch: false };
  if (!verdict.allowed || opts.dryRun) return out;
  await worktreeAdmin(w.commonDir, async () => {
    if (verdict.removeWorktree)
      out.removedWorktree =
        (await git(w.mainRoot, outcome(['worktree', 'remove', ...(opts.force ? ['--force', '--force'] : []), path])))
          .code === 0;
    if (verdict.deleteBranch && branch && (out.removedWorktree || !facts.worktreeExists))
      out.deletedBranch = (await git(w.mainRoot, outcome(['branch', '-D', branch]))).code === 0;
  });
  return out;
}
