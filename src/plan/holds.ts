// Live leases by issue, for availability. One read of the local lease store per command.
import { storeDirOf, type RepoLocation } from '../git/discover.js';
import type { Hold } from '../sources/available.js';
import { readSnapshotSync } from '../store/local/snapshot-read.js';
import { isLive, type Lease } from '../core/model.js';

export function holdsFrom(leases: readonly Lease[], nowMs: number): Map<string, Hold> {
  const out = new Map<string, Hold>();
  for (const l of leases)
    if (isLive(l, nowMs)) out.set(l.issueId, { issueId: l.issueId, agentId: l.agentId, expiresAt: l.expiresAt });
  return out;
}

export function readHolds(loc: RepoLocation, nowMs: number = Date.now()): Map<string, Hold> {
  return holdsFrom(readSnapshotSync(storeDirOf(loc)).leases, nowMs);
}
