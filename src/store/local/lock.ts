// The store's writer lock: `<store>/lock`, the platform lock (link + nonce, recovery serialised
// through `lock.recover`; see src/platform/file-lock.ts and docs/store.md) with the store's
// limits, crash points and error messages.
import { join } from 'node:path';
import { JitpError } from '../../platform/errors.js';
import {
  acquireLockSync,
  readHolder as readLockHolder,
  recoverStale as recoverLock,
  staleReason as lockStaleReason,
  type HeldLock,
  type LockHolder,
  type LockState,
} from '../../platform/file-lock.js';
import { crashPoint } from './crash.js';

export type { HeldLock, LockHolder, LockState };

export const LOCK_FILE = 'lock';
export const RECOVER_FILE = 'lock.recover';

/**
 * The lock is held for milliseconds; a holder older than this is judged dead even if its pid lives (pid reuse, other
 * host).
 */
export const MAX_HOLD_MS = Number(process.env.JITP_LOCK_MAX_HOLD_MS ?? 30_000);

export const DEFAULT_LOCK_TIMEOUT_MS = Number(process.env.JITP_LOCK_TIMEOUT_MS ?? 30_000);

export const readHolder = (file: string): LockState => readLockHolder(file);

/** Why a store lock is stale, or undefined when it must be respected. */
export const staleReason = (h: LockState, nowMs: number, maxHold = MAX_HOLD_MS): string | undefined =>
  lockStaleReason(h, nowMs, maxHold);

function storeError(dir: string, e: NodeJS.ErrnoException): JitpError {
  const ro = e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS';
  return new JitpError('E_STORE', `cannot create a lock in ${dir}: ${e.code ?? ''} ${e.message}`.trim(), {
    hint: ro
      ? `the lease store folder is not writable; fix its permissions (chmod u+w ${dir}) or run jitp as its owner`
      : `check the folder ${dir}; \`jitp doctor\` reports the store's health`,
    cause: e,
  });
}

/** Removes the store's lock if, under the recovery lock, it still carries the record judged stale. */
export const recoverStale = (dir: string, stale: LockState): boolean =>
  recoverLock(join(dir, LOCK_FILE), stale, { ioError: (_l, e) => storeError(dir, e), crash: crashPoint });

export interface LockOptions {
  /** Give up after this long (E_STORE naming the lock). */
  timeoutMs?: number;
  op?: string;
}

export function acquireLock(dir: string, opts: LockOptions = {}): HeldLock {
  const file = join(dir, LOCK_FILE);
  return acquireLockSync(file, {
    timeoutMs: opts.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
    maxHoldMs: MAX_HOLD_MS,
    op: opts.op ?? 'write',
    crash: crashPoint,
    ioError: (_l, e) => storeError(dir, e),
    timeoutError: (_l, h, waitedMs) =>
      new JitpError(
        'E_STORE',
        `the lease store lock ${file} stayed held for ` +
          `${Math.round(waitedMs / 1000)}s${h ? ` by pid ${h.pid} on ${h.host} since ${h.acquiredAt}` : ''}`,
        {
          hint: 'if no jitp process is running, `jitp doctor --repair` removes a stale lock safely',
          details: { lock: file, holder: h ?? null },
        },
      ),
  });
}
