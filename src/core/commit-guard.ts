// The commit-time backstop's rule, pure: which staged files are held by a live lease that is
// not the committer's. "Mine" in a commit context (docs/hooks.md, "Commit-time backstop"):
//   - leases whose agentId is the committer's identity (JIT_AGENT_ID / agent.toml, and the
//     skills' default `agent:claude` when JIT_AGENT_ID is unset), which covers the
//     orchestrator committing its sub-agents' work;
//   - leases whose worktree is the worktree being committed in (worktree mode);
//   - leases named in JITP_LEASE (comma-separated ids), for anything else.
import { describeHolder } from './hook-decision.js';
import type { LeaseIndex } from './lease-index.js';
import type { Lease } from '../store/types.js';

export interface CommitWho {
  /** The committer's identities (resolved identity, and the skills' `${JIT_AGENT_ID:-agent:claude}`). */
  agentIds?: readonly string[];
  /** realpath of the worktree being committed in. */
  worktree?: string;
  leaseIds?: readonly string[];
}

export const isMine = (l: Lease, who: CommitWho, realWorktree: (p: string) => string = (p) => p): boolean =>
  (who.agentIds?.includes(l.agentId) ?? false) ||
  (who.worktree !== undefined && l.worktree !== null && realWorktree(l.worktree) === who.worktree) ||
  (who.leaseIds?.includes(l.id) ?? false);

export interface Blocked {
  path: string;
  holders: Lease[];
}

export function blockedFiles(staged: readonly string[], index: LeaseIndex, who: CommitWho, realWorktree?: (p: string) => string): Blocked[] {
  const out: Blocked[] = [];
  for (const path of staged) {
    const holders = index.holdersOf(path).filter((l) => !isMine(l, who, realWorktree));
    if (holders.length) out.push({ path, holders });
  }
  return out;
}

export function blockedMessage(blocked: readonly Blocked[], nowMs: number, who: CommitWho): string {
  const lines = blocked.slice(0, 20).map((b) => `  ${b.path}: ${b.holders.map((l) => describeHolder(l, nowMs)).join('; ')}`);
  if (blocked.length > 20) lines.push(`  … and ${blocked.length - 20} more`);
  const as = who.agentIds?.length ? `as ${who.agentIds.join(' / ')}` : 'with no agent identity';
  return [
    `jit-parallel: commit refused (committing ${as}): staged files are held by other live leases:`,
    ...lines,
    'Unstage them (`git restore --staged <file>`), wait for the holder to finish, commit as the holder',
    '(JIT_AGENT_ID=<agent> or JITP_LEASE=<lease id>), or bypass once with `git commit --no-verify`.',
  ].join('\n');
}
