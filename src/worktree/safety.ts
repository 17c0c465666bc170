// When a worktree or branch may be deleted. Pure: facts in, verdict out. The one rule is
// that nothing a person or agent made is deleted silently: dirty files, untracked files and
// commits not in the integration branch each refuse, unless forced, and forcing lists them.

export interface RemovalFacts {
  worktreeExists: boolean;
  branch: string | null;
  branchExists: boolean;
  /** Tracked files changed, staged or conflicted in the worktree. */
  modified: string[];
  /** Untracked, not ignored files in the worktree. */
  untracked: string[];
  /** `git log --oneline integration..branch`: commits that exist only on the branch. */
  unmergedCommits: string[];
  /** The worktree is locked (`git worktree lock`). */
  locked: boolean;
}

export interface RemovalVerdict {
  allowed: boolean;
  removeWorktree: boolean;
  deleteBranch: boolean;
  /** Why it is refused (empty when allowed). */
  refusals: string[];
  /** What forcing throws away (listed before doing it). */
  losses: string[];
}

/**
 * `cleanup`: worktree and branch go only when the work is merged.
 * `remove`: the worktree folder goes when clean; an unmerged branch is kept (nothing lost).
 */
export function decideRemoval(f: RemovalFacts, opts: { mode: 'cleanup' | 'remove'; force: boolean }): RemovalVerdict {
  const problems: string[] = [];
  const losses: string[] = [];
  if (f.worktreeExists) {
    if (f.modified.length) {
      problems.push(`${f.modified.length} uncommitted change(s): ${list(f.modified)}`);
      losses.push(...f.modified.map((m) => `uncommitted: ${m}`));
    }
    if (f.untracked.length) {
      problems.push(`${f.untracked.length} untracked file(s): ${list(f.untracked)}`);
      losses.push(...f.untracked.map((m) => `untracked: ${m}`));
    }
    if (f.locked) problems.push('the worktree is locked (`git worktree unlock` first)');
  }
  const unmerged = f.branchExists && f.unmergedCommits.length > 0;
  if (unmerged && opts.mode === 'cleanup') {
    problems.push(`${f.unmergedCommits.length} commit(s) not merged: ${list(f.unmergedCommits)}`);
    losses.push(...f.unmergedCommits.map((c) => `commit only on ${f.branch}: ${c}`));
  }
  const allowed = problems.length === 0 || opts.force;
  const deleteBranch = f.branchExists && (!unmerged || (opts.mode === 'cleanup' && opts.force));
  return {
    allowed,
    removeWorktree: allowed && f.worktreeExists,
    deleteBranch: allowed && deleteBranch,
    refusals: allowed ? [] : problems,
    losses: allowed && opts.force ? losses : [],
  };
}

function list(xs: string[]): string {
  return xs.slice(0, 5).join(', ') + (xs.length > 5 ? `, … (${xs.length})` : '');
}
