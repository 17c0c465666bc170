// The hooks' only door to the lease store. Reading is synchronous and cheap (the store's
// one-file, no-lock snapshot reader: the hot path of every edit); writes (bind, extend, renew,
// note) go through the LeaseStore interface, loaded only when a hook must write.
import { isJitpError } from '../core/errors.js';
import { readStateFile } from '../store/local/snapshot-read.js';
import type { Lease, LeaseStore, StoreSnapshot } from '../store/types.js';

export class StoreUnreadable extends Error {}

/**
 * The last committed snapshot, or undefined when the store has never been written (no
 * parallel work was ever started here). Throws StoreUnreadable for a corrupt or unreadable store.
 */
export function readSnapshotSync(storeDir: string): StoreSnapshot | undefined {
  try {
    return readStateFile(storeDir);
  } catch (e) {
    if (isJitpError(e)) throw new StoreUnreadable(`${e.message}${e.hint ? `; ${e.hint}` : ''}`);
    throw e;
  }
}

/** True when some lease in the snapshot is live now: the only question the fast path asks. */
export const anyLive = (snap: StoreSnapshot | undefined, nowMs: number): boolean =>
  !!snap && snap.leases.some((l: Lease) => Date.parse(l.expiresAt) > nowMs);

/**
 * A hook waits at most this long for the store's writer lock: well under the hooks' 10-15 s
 * client timeout, so a stuck lock ends in the explicit failure policy, not in the client
 * killing the hook (which it treats as "allow", silently).
 */
export const HOOK_LOCK_TIMEOUT_MS = 4000;

/** Opens the writable store (loaded only when a hook must write). */
export async function openStore(storeDir: string): Promise<LeaseStore> {
  const { LocalLeaseStore } = await import('../store/local/local-store.js');
  return new LocalLeaseStore({ storeDir, lockTimeoutMs: HOOK_LOCK_TIMEOUT_MS });
}
