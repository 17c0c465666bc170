// The seam between worktree mode and the lease store: everything here talks to the
// LeaseStore interface (src/store/types.ts); which store is src/workspace's business.
import type { Lease, LeaseStore } from '../core/model.js';
import { isLive } from '../core/model.js';

export async function liveLeases(store: LeaseStore | null): Promise<Lease[]> {
  if (!store) return [];
  const snap = await store.read();
  const now = Date.now();
  return snap.leases.filter((l) => isLive(l, now));
}
