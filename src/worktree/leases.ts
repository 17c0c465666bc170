// The seam between worktree mode and the lease store: everything here talks to the
// LeaseStore interface (src/store/types.ts); the backend comes from src/store/open.ts.
import type { Config } from '../config/schema.js';
import type { RepoLocation } from '../git/discover.js';
import { openLocalStore } from '../store/open.js';
import type { Lease, LeaseStore } from '../core/model.js';
import { isLive } from '../core/model.js';

export async function openLeaseStore(
  repo: RepoLocation,
  config: Config,
  env: NodeJS.ProcessEnv,
): Promise<LeaseStore | null> {
  // JITP_NO_LEASES=1 runs worktree mode without leases (documented escape hatch).
  if (env.JITP_NO_LEASES === '1') return null;
  return openLocalStore(repo, { defaultTtlSecs: config.ttl });
}

export async function liveLeases(store: LeaseStore | null): Promise<Lease[]> {
  if (!store) return [];
  const snap = await store.read();
  const now = Date.now();
  return snap.leases.filter((l) => isLive(l, now));
}
