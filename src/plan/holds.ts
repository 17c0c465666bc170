// Live leases by issue, for availability. Reads the lease store once per command.
import type { RepoLocation } from '../git/discover.js';
import type { Hold } from '../sources/available.js';

export function readHolds(_loc: RepoLocation, _nowMs: number = Date.now()): Map<string, Hold> {
  // Wired to the local lease store's readSnapshotSync once h/store lands it.
  return new Map();
}
