// The hooks' only door to the lease store. Reading is synchronous and cheap (one small file,
// the hot path of every edit); writes (bind, extend, renew, note) go through the LeaseStore
// interface. Keep every assumption about the store's files in this one module.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lease, LeaseStore, StoreSnapshot } from '../store/types.js';

/** The store's committed state (readers never lock; writers rename over it). */
export const STATE_FILE = 'state.json';

export class StoreUnreadable extends Error {}

/**
 * The last committed snapshot, or undefined when the store has never been written (no
 * parallel work was ever started here). Throws StoreUnreadable for a corrupt or unreadable file.
 */
export function readSnapshotSync(storeDir: string): StoreSnapshot | undefined {
  let text: string;
  const file = join(storeDir, STATE_FILE);
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw new StoreUnreadable(`cannot read ${file}: ${(e as Error).message}`);
  }
  let snap: StoreSnapshot;
  try {
    snap = JSON.parse(text) as StoreSnapshot;
  } catch (e) {
    throw new StoreUnreadable(`${file} is not valid JSON (${(e as Error).message}); \`jitp doctor --repair\` rebuilds it from the event log`);
  }
  if (!snap || typeof snap !== 'object' || !Array.isArray(snap.leases)) {
    throw new StoreUnreadable(`${file} has no leases array; \`jitp doctor --repair\` rebuilds it from the event log`);
  }
  return snap;
}

/** True when some lease in the snapshot is live now: the only question the fast path asks. */
export const anyLive = (snap: StoreSnapshot | undefined, nowMs: number): boolean =>
  !!snap && snap.leases.some((l: Lease) => Date.parse(l.expiresAt) > nowMs);

/** Opens the writable store (loaded only when a hook must write). */
export async function openStore(storeDir: string): Promise<LeaseStore> {
  const { openLocalStore } = await import('./interim-store.js');
  return openLocalStore(storeDir);
}
