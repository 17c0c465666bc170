// The seam between worktree mode and the lease store. Everything here talks to the
// LeaseStore interface (src/store/types.ts) only.
// TODO(h/store): open the local backend here once it lands; until then no store is
// available from the CLI and worktrees are created without a lease (said in the output).
import type { RepoLocation } from '../git/discover.js';
import type { Lease, LeaseStore } from '../store/types.js';
import { isLive } from '../store/types.js';

export async function openLeaseStore(_repo: RepoLocation, _env: NodeJS.ProcessEnv): Promise<LeaseStore | null> {
  return null;
}

export async function liveLeases(store: LeaseStore | null): Promise<Lease[]> {
  if (!store) return [];
  const snap = await store.read();
  const now = Date.now();
  return snap.leases.filter((l) => isLive(l, now));
}

export function leaseTimeLeft(lease: Lease, nowMs = Date.now()): number {
  return Math.max(0, Math.round((Date.parse(lease.expiresAt) - nowMs) / 1000));
}
