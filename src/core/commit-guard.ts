// The commit-time backstop's rule, pure: which staged files are held by a live lease that is
// not the committer's. "Mine" in a commit context (docs/hooks.md, "Commit-time backstop"):
//   - leases whose agentId is the committer's identity (JIT_AGENT_ID / agent.toml, and the
//     default DEFAULT_AGENT_ID when JIT_AGENT_ID is unset), which covers the
//     orchestrator committing its sub-agents' work;
//   - leases whose worktree is the worktree being committed in (worktree mode);
//   - leases named in JITP_LEASE (comma-separated ids), for anything else.
// A remote lease taken on another machine (this clone does not hold its binding secret) is never
// the committer's by agent name or worktree path — every machine defaults to the same agent
// name, and its paths are another machine's — only by JITP_LEASE (as in the edit-time hook).
import { describeHolder, type RemoteHolder } from './hook-decision.js';

/** A remote lease's origin as the commit guard reports it (hooks/runtime/context.ts RemoteOrigin). */
export type RemoteSeen = RemoteHolder & { remote: string };
import type { LeaseIndex } from './lease-index.js';
import type { Lease } from './model.js';

export interface CommitWho {
  /** The committer's identities (resolved identity, and JIT_AGENT_ID or else DEFAULT_AGENT_ID). */
  agentIds?: readonly string[];
  /** realpath of the worktree being committed in. */
  worktree?: string;
  leaseIds?: readonly string[];
  /** Remote leases acquired on another machine: the committer's only through leaseIds. */
  foreignLeaseIds?: ReadonlySet<string>;
}

export const isMine = (l: Lease, who: CommitWho, realWorktree: (p: string) => string = (p) => p): boolean =>
  (who.leaseIds?.includes(l.id) ?? false) ||
  (!who.foreignLeaseIds?.has(l.id) &&
    ((who.agentIds?.includes(l.agentId) ?? false) ||
      (who.worktree !== undefined && l.worktree !== null && realWorktree(l.worktree) === who.worktree)));

export interface Blocked {
  path: string;
  holders: Lease[];
}

export function blockedFiles(
  staged: readonly string[],
  index: LeaseIndex,
  who: CommitWho,
  realWorktree?: (p: string) => string,
): Blocked[] {
  const out: Blocked[] = [];
  for (const path of staged) {
    const holders = index.holdersOf(path).filter((l) => !isMine(l, who, realWorktree));
    if (holders.length) out.push({ path, holders });
  }
  return out;
}

/** `remoteOf`: leases seen through a remote's mirror (holder's host, how fresh that view is). */
export function blockedMessage(
  blocked: readonly Blocked[],
  nowMs: number,
  who: CommitWho,
  remoteOf?: ReadonlyMap<string, RemoteSeen>,
): string {
  const lines = blocked
    .slice(0, 20)
    .map((b) => `  ${b.path}: ${b.holders.map((l) => describeHolder(l, nowMs, remoteOf?.get(l.id))).join('; ')}`);
  if (blocked.length > 20) lines.push(`  … and ${blocked.length - 20} more`);
  const as = who.agentIds?.length ? `as ${who.agentIds.join(' / ')}` : 'with no agent identity';
  const remotes = [
    ...new Set(
      blocked.flatMap((b) =>
        b.holders.map((l) => remoteOf?.get(l.id)?.remote).filter((r): r is string => r !== undefined),
      ),
    ),
  ];
  return [
    `jit-parallel: commit refused (committing ${as}): staged files are held by other live leases:`,
    ...lines,
    'Unstage them (`git restore --staged <file>`), wait for the holder to finish, commit as the holder',
    '(JIT_AGENT_ID=<agent> or JITP_LEASE=<lease id>), or bypass once with `git commit --no-verify`.',
    ...remotes.map(
      (r) =>
        `Remote leases are checked against this clone's last view of '${r}', not the network: \`jitp claim sync ` +
        `${r}\` refreshes it.`,
    ),
  ].join('\n');
}
