// The hooks' only door to the lease store. Reading is synchronous and cheap (the store's
// one-file, no-lock snapshot reader: the hot path of every edit); writes (bind, extend, renew,
// note) go through the LeaseStore interface, loaded only when a hook must write.
import { isJitpError } from '../../platform/errors.js';
import { STATE_FILE, applyDelta, parseState, readStateBytes } from '../../store/local/snapshot-read.js';
import { STATE_HANDOFF, readHeader, type HeaderRead, type StateHandoff } from '../../store/local/state-format.js';
import { withDelta, type Delta } from '../../store/local/state-delta.js';
import { join } from 'node:path';
import type { Lease, LeaseStore, StoreSnapshot } from '../../core/model.js';
import type { RepoLocation } from '../../workspace/repo.js';
import { openLocalStoreAt, openRemoteStoreOf } from '../../workspace/stores.js';

export class StoreUnreadable extends Error {}

/**
 * The last committed snapshot, or undefined when the store has never been written (no
 * parallel work was ever started here). Throws StoreUnreadable for a corrupt or unreadable store.
 */
export const readSnapshotSync = (storeDir: string): StoreSnapshot | undefined =>
  // A whole parse, as before layout 2 (its line checksums are checked by writers, doctor and a large
  // store's partial reader): the line-by-line reader would not fit the hook's byte budget. With the
  // delta of its generation applied (state-delta.ts).
  unreadable(() => {
    const r = withDelta(storeDir, () => {
      const buf = readStateBytes(storeDir);
      return buf && parseState(buf.toString('utf8'), join(storeDir, STATE_FILE));
    });
    return r && applyDelta(r.snap, r.delta);
  });

/**
 * From this size on, a hook answers from the state file's index (state-view.ts, loaded then)
 * instead of parsing every lease: about 130 leases of 8 files. Below it a whole parse costs less
 * than loading the partial reader.
 */
export const VIEW_MIN_BYTES = 64 * 1024;

export interface LargeState {
  buf: Buffer;
  file: string;
  header: Extract<HeaderRead, { kind: 'ok' }>;
  /** The delta of the snapshot's generation (state-delta.ts): the store's liveUntil and newest leases. */
  delta?: Delta;
}

/**
 * Reads the local state once (the bytes the front door's fast check read, when it did): a small
 * or unindexed file parsed whole, a large indexed one left for a view (hooks/runtime/large-store.ts).
 * undefined when the store has never been written. Throws StoreUnreadable like readSnapshotSync.
 */
export function readLocalState(storeDir: string): StoreSnapshot | LargeState | undefined {
  const file = join(storeDir, STATE_FILE);
  const g = globalThis as Record<symbol, StateHandoff | undefined>;
  const handed = g[STATE_HANDOFF]?.file === file ? g[STATE_HANDOFF] : undefined;
  g[STATE_HANDOFF] = undefined;
  return unreadable(() => {
    // The snapshot (the front door's bytes, unless a delta newer than them makes it read again),
    // then the delta of its generation (state-delta.ts).
    const r = withDelta(storeDir, (again) => {
      const buf = (!again && handed?.buf) || readStateBytes(storeDir);
      if (!buf) return undefined;
      const header = buf.length < VIEW_MIN_BYTES ? undefined : (!again && handed?.header) || readHeader(buf);
      return header?.kind === 'ok'
        ? { buf, file, header, gen: header.header.gen }
        : parseState(buf.toString('utf8'), file);
    });
    if (!r) return undefined;
    return 'leases' in r.snap ? applyDelta(r.snap, r.delta) : { ...r.snap, ...(r.delta ? { delta: r.delta } : {}) };
  });
}

/** Every lease of a large state file, parsed and checked (for the rare questions about all). */
export const parseAll = (s: LargeState): StoreSnapshot =>
  unreadable(() => applyDelta(parseState(s.buf.toString('utf8'), s.file), s.delta));

function unreadable<T>(f: () => T): T {
  try {
    return f();
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
  return openLocalStoreAt(storeDir, { lockTimeoutMs: HOOK_LOCK_TIMEOUT_MS });
}

/**
 * A hook that writes to a remote lease (bind, extend) waits at most this long per git call and
 * gives up retrying lost races after HOOK_REMOTE_BUDGET_MS: worst case about three calls, well
 * under the client's hook timeout, so an unreachable or hung remote ends in the failure policy.
 */
export const HOOK_REMOTE_TIMEOUT_MS = 3000;
export const HOOK_REMOTE_BUDGET_MS = 3000;

/**
 * The store that holds a lease: the local one, or the remote named by the mirror the lease came
 * from (loaded only when a hook must write there).
 */
export async function openStoreFor(
  storeDir: string,
  remote: { loc: RepoLocation; name: string; timeoutSecs: number; ttl: number } | undefined,
  env: NodeJS.ProcessEnv,
): Promise<LeaseStore> {
  if (!remote) return openStore(storeDir);
  const fromEnv = Number(env.JITP_REMOTE_TIMEOUT_MS);
  const ms = Math.min(
    Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : remote.timeoutSecs * 1000,
    HOOK_REMOTE_TIMEOUT_MS,
  );
  return openRemoteStoreOf(remote.loc, remote.name, {
    defaultTtlSecs: remote.ttl,
    contentionBudgetMs: HOOK_REMOTE_BUDGET_MS,
    env: { ...env, JITP_REMOTE_TIMEOUT_MS: String(ms) },
  });
}
