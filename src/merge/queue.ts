// The consolidated merge queue as pure functions over the batch: the order (dependencies
// first, then plan order), which issue comes next, and what --continue / --skip mean in
// each stopped state. The adapter (queue-run.ts) only executes what these decide.
import type { Batch, BatchIssue } from '../worktree/batch.js';

export interface OrderResult {
  order: string[];
  /** Issue ids on a dependency cycle (kept in plan order, reported). */
  cycle: string[];
}

/** Dependencies inside the batch first; otherwise plan order (the batch's order). Stable. */
export function mergeOrder(issues: Pick<BatchIssue, 'id' | 'dependencies'>[]): OrderResult {
  const ids = new Set(issues.map((i) => i.id));
  const pos = new Map(issues.map((i, n) => [i.id, n]));
  const deps = new Map(issues.map((i) => [i.id, i.dependencies.filter((d) => ids.has(d) && d !== i.id)]));
  const done = new Set<string>();
  const order: string[] = [];
  for (;;) {
    const ready = issues.filter((i) => !done.has(i.id) && deps.get(i.id)!.every((d) => done.has(d)));
    if (!ready.length) break;
    // Take the earliest ready one in plan order, then look again (keeps plan order stable).
    ready.sort((a, b) => pos.get(a.id)! - pos.get(b.id)!);
    done.add(ready[0]!.id);
    order.push(ready[0]!.id);
  }
  const cycle = issues.filter((i) => !done.has(i.id)).map((i) => i.id);
  return { order: [...order, ...cycle], cycle };
}

export type Readiness =
  | { ready: true }
  | {
      ready: false;
      reason: 'no-branch' | 'no-commits' | 'dirty' | 'already-merged' | 'dependency-not-merged' | 'final';
      detail: string;
    };

export interface IssueGitFacts {
  /** Commits on the branch not in the integration branch. */
  ahead: number;
  /** Commits on the branch since the batch's base (0 = the agent committed nothing). */
  overBase: number;
  /** Uncommitted tracked changes or untracked files in its worktree. */
  dirty: boolean;
  branchExists: boolean;
}

export function readiness(issue: BatchIssue, facts: IssueGitFacts, batch: Batch): Readiness {
  if (issue.merge.state === 'merged') return { ready: false, reason: 'final', detail: 'merged' };
  if (issue.merge.state === 'skipped')
    return { ready: false, reason: 'final', detail: `skipped${issue.merge.reason ? `: ${issue.merge.reason}` : ''}` };
  if (!issue.branch || !facts.branchExists)
    return { ready: false, reason: 'no-branch', detail: 'no branch (run `jitp worktree add`)' };
  if (facts.dirty)
    return {
      ready: false,
      reason: 'dirty',
      detail: `uncommitted changes in ${issue.worktree}: commit them there first`,
    };
  const byId = new Map(batch.issues.map((i) => [i.id, i]));
  const blocking = issue.dependencies
    .map((d) => byId.get(d))
    .filter((d): d is BatchIssue => !!d && d.merge.state !== 'merged');
  if (blocking.length)
    return {
      ready: false,
      reason: 'dependency-not-merged',
      detail: `waits for ${blocking.map((b) => b.short).join(', ')}`,
    };
  if (facts.ahead === 0 && facts.overBase > 0)
    return { ready: false, reason: 'already-merged', detail: 'already in the integration branch' };
  if (facts.ahead === 0)
    return {
      ready: false,
      reason: 'no-commits',
      detail: 'nothing to merge (no commits ahead of the integration branch)',
    };
  return { ready: true };
}

export type ContinueAction =
  | { kind: 'commit-merge' } // conflict resolved and staged: conclude the merge, then test
  | { kind: 'still-conflicted'; files: string[] }
  | { kind: 'merge-aborted' } // no MERGE_HEAD and the branch is not in HEAD: someone aborted
  | { kind: 'retest' } // merge is committed (by us or by hand): run the tests again
  | { kind: 'nothing-stopped' };

/** The main checkout's state in the middle of the queue: is a merge in progress, and how far did it get. */
export interface MergeCheckout {
  mergeHead: boolean;
  unmerged: string[];
  /** The current issue's branch tip is an ancestor of HEAD. */
  branchInHead: boolean;
}

export function continueAction(batch: Batch, repo: MergeCheckout): ContinueAction {
  const run = batch.mergeRun;
  if (run.state !== 'stopped' || !run.current) return { kind: 'nothing-stopped' };
  if (repo.mergeHead)
    return repo.unmerged.length ? { kind: 'still-conflicted', files: repo.unmerged } : { kind: 'commit-merge' };
  if (repo.branchInHead) return { kind: 'retest' };
  return { kind: 'merge-aborted' };
}

export type SkipAction =
  | { kind: 'abort-merge' } // drop the in-progress merge (said out loud; the branch keeps the work)
  | { kind: 'reset-to-before'; before: string } // undo the merge commit whose tests failed
  | { kind: 'refuse'; reason: string }
  | { kind: 'mark-only' } // nothing on disk to undo
  | { kind: 'nothing-stopped' };

export function skipAction(
  batch: Batch,
  repo: MergeCheckout & { head: string; mergeCommit: string | null },
): SkipAction {
  const run = batch.mergeRun;
  if (run.state !== 'stopped' || !run.current) return { kind: 'nothing-stopped' };
  if (repo.mergeHead) return { kind: 'abort-merge' };
  if (repo.branchInHead) {
    if (!run.before) return { kind: 'refuse', reason: 'the tip before the merge is not recorded' };
    if (repo.mergeCommit && repo.head !== repo.mergeCommit) {
      return {
        kind: 'refuse',
        reason:
          `the integration branch moved past the merge (${repo.head.slice(0, 12)}); revert the merge by hand ` +
          `(\`git revert -m 1 ${repo.mergeCommit.slice(0, 12)}\`)`,
      };
    }
    return { kind: 'reset-to-before', before: run.before };
  }
  return { kind: 'mark-only' };
}
