// The store's writer lock: `<store>/lock`, created already holding its content by writing a
// unique temp file and hard-linking it into place (link fails with EEXIST when held), so no
// reader ever sees an empty or half-written lock. See docs/store.md and the locks brief:
// - stale = holder pid dead on this host, or the lock far older than any legal hold;
// - recovery is serialised through a second exclusive lock (`lock.recover`) whose holder
//   re-reads the lock and deletes it only if it still carries the nonce judged stale, then
//   everyone goes back to the acquire loop. "Check, delete, recreate" without that gives two
//   holders when several contenders race over one dead lock.
import { closeSync, fstatSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { JitpError } from '../../platform/errors.js';
import { sleepMs } from './sleep.js';
import { crashPoint } from './crash.js';

export interface LockHolder {
  pid: number;
  host: string;
  nonce: string;
  acquiredAt: string;
  /** What the holder is doing (informative, for doctor). */
  op?: string;
}

export const LOCK_FILE = 'lock';
export const RECOVER_FILE = 'lock.recover';

/** The lock is held for milliseconds; a holder older than this is judged dead even if its pid lives (pid reuse, other host). */
export const MAX_HOLD_MS = Number(process.env.JITP_LOCK_MAX_HOLD_MS ?? 30_000);
const RECOVER_MAX_HOLD_MS = 10_000;

const HOST = hostname();

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The nonce in a lock file (one read, no stat), or undefined. */
export function lockNonce(file: string): string | undefined {
  try {
    const n = (JSON.parse(readFileSync(file, 'utf8')) as LockHolder).nonce;
    return typeof n === 'string' ? n : undefined;
  } catch {
    return undefined;
  }
}

export function readHolder(file: string): { holder?: LockHolder; raw?: string; sinceMs?: number } {
  let raw: string;
  let sinceMs: number;
  try {
    raw = readFileSync(file, 'utf8');
    // ctime, not the record's acquiredAt or mtime: the record is written before a possibly long
    // wait, but link() (and the unlink of the temp name right after) set the inode's ctime to
    // the moment the lock was actually taken.
    sinceMs = statSync(file).ctimeMs;
  } catch {
    return {};
  }
  try {
    const h = JSON.parse(raw) as LockHolder;
    if (typeof h.pid === 'number' && typeof h.nonce === 'string') return { holder: h, raw, sinceMs };
  } catch {
    /* not ours or hand-edited */
  }
  return { raw, sinceMs };
}

/** Why a lock is stale, or undefined when it must be respected. */
export function staleReason(
  h: { holder?: LockHolder; sinceMs?: number },
  nowMs: number,
  maxHold = MAX_HOLD_MS,
): string | undefined {
  if (h.holder && h.holder.host === HOST && !pidAlive(h.holder.pid)) return `holder pid ${h.holder.pid} is dead`;
  const age = nowMs - (h.sinceMs ?? nowMs);
  if (age > maxHold) return `held for ${Math.round(age / 1000)}s (longest legal hold ${Math.round(maxHold / 1000)}s)`;
  return undefined;
}

function makeRecord(op: string): LockHolder {
  return {
    pid: process.pid,
    host: HOST,
    nonce: randomBytes(12).toString('hex'),
    acquiredAt: new Date().toISOString(),
    op,
  };
}

function tempFor(dir: string, name: string, nonce: string): string {
  return join(dir, `.${name}.${process.pid}.${nonce}.tmp`);
}

function storeError(dir: string, e: NodeJS.ErrnoException, what: string): JitpError {
  const ro = e.code === 'EACCES' || e.code === 'EPERM' || e.code === 'EROFS';
  return new JitpError('E_STORE', `${what} in ${dir}: ${e.code ?? ''} ${e.message}`.trim(), {
    hint: ro
      ? `the lease store folder is not writable; fix its permissions (chmod u+w ${dir}) or run jitp as its owner`
      : `check the folder ${dir}; \`jitp doctor\` reports the store's health`,
    cause: e,
  });
}

/**
 * Writes the holder record to a unique temp file, ready to be linked (possibly many times).
 * The fd stays open: once the lock is ours, `fstat(fd).nlink` tells whether the lock path still
 * points at our inode without reading anything.
 */
function prepare(dir: string, name: string, rec: LockHolder): { tmp: string; fd: number } {
  const tmp = tempFor(dir, name, rec.nonce);
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx');
    writeSync(fd, JSON.stringify(rec));
    return { tmp, fd };
  } catch (e) {
    if (fd !== undefined) {
      closeSync(fd);
      dispose(tmp);
    }
    throw storeError(dir, e as NodeJS.ErrnoException, 'cannot create a lock');
  }
}

function dispose(tmp: string): void {
  try {
    unlinkSync(tmp);
  } catch {
    /* already gone */
  }
}

/** One attempt to link the prepared record into place; true when we now hold `name`. */
function linkOnce(dir: string, tmp: string, name: string): boolean {
  try {
    linkSync(tmp, join(dir, name));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw storeError(dir, e as NodeJS.ErrnoException, 'cannot create a lock');
  }
}

function tryLink(dir: string, name: string, rec: LockHolder): boolean {
  const { tmp, fd } = prepare(dir, name, rec);
  try {
    return linkOnce(dir, tmp, name);
  } finally {
    closeSync(fd);
    dispose(tmp);
  }
}

/**
 * Removes the main lock if, under the recovery lock, it still carries `staleNonce` (or, for an
 * unparsable lock, the same raw content). Returns true when it removed it.
 */
export function recoverStale(dir: string, stale: { holder?: LockHolder; raw?: string }): boolean {
  const rec = makeRecord('recover');
  if (!tryLink(dir, RECOVER_FILE, rec)) {
    // Another recoverer is at work (microseconds). Its own lock can be stale only if it died
    // mid-recovery; clear that only when clearly dead or ancient, then let the caller retry.
    const r = readHolder(join(dir, RECOVER_FILE));
    if (r.raw !== undefined && staleReason(r, Date.now(), RECOVER_MAX_HOLD_MS)) {
      try {
        const again = readHolder(join(dir, RECOVER_FILE));
        if (again.raw === r.raw) unlinkSync(join(dir, RECOVER_FILE));
      } catch {
        /* someone else cleared it */
      }
    }
    return false;
  }
  try {
    crashPoint('recover-locked');
    const now = readHolder(join(dir, LOCK_FILE));
    const same = stale.holder
      ? now.holder?.nonce === stale.holder.nonce
      : now.raw !== undefined && now.raw === stale.raw;
    if (!same) return false;
    unlinkSync(join(dir, LOCK_FILE));
    return true;
  } catch {
    return false;
  } finally {
    try {
      unlinkSync(join(dir, RECOVER_FILE));
    } catch {
      /* cleared by someone judging us stale: harmless, we are done */
    }
  }
}

export interface HeldLock {
  nonce: string;
  /** Is the lock path still ours (not removed by a recoverer that judged us ancient)? One fstat. */
  isHeld(): boolean;
  release(): void;
}

export interface LockOptions {
  /** Give up after this long (E_STORE naming the lock). */
  timeoutMs?: number;
  op?: string;
}

export const DEFAULT_LOCK_TIMEOUT_MS = Number(process.env.JITP_LOCK_TIMEOUT_MS ?? 30_000);

export function acquireLock(dir: string, opts: LockOptions = {}): HeldLock {
  const timeout = opts.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  const start = Date.now();
  const rec = makeRecord(opts.op ?? 'write');
  const file = join(dir, LOCK_FILE);
  let wait = 0.2;
  let lastStaleCheck = 0;
  // One temp file per acquisition, linked on every attempt: spinning must not churn the folder
  // (the holder's rename contends for the same directory lock).
  const { tmp, fd } = prepare(dir, LOCK_FILE, rec);
  let held = false;
  try {
    for (let attempt = 0; ; attempt++) {
      if (linkOnce(dir, tmp, LOCK_FILE)) {
        held = true;
        dispose(tmp);
        // Our inode's links: the lock path only, unless the temp name could not be removed.
        const links = fstatSync(fd).nlink;
        const isHeld = () => fstatSync(fd).nlink === links;
        return {
          nonce: rec.nonce,
          isHeld,
          release() {
            crashPoint('before-unlock');
            try {
              // Only our own lock: if a recoverer judged us ancient, the lock there now is someone else's.
              if (isHeld()) unlinkSync(file);
            } catch {
              /* removed meanwhile: nothing left to release */
            } finally {
              closeSync(fd);
            }
          },
        };
      }
      const now = Date.now();
      // Judging staleness costs two syscalls and a kill(0); do it every few ms, not every spin.
      if (now - lastStaleCheck >= 5 || attempt === 0) {
        lastStaleCheck = now;
        const h = readHolder(file);
        if (h.raw !== undefined && staleReason(h, now)) {
          recoverStale(dir, h);
          continue;
        }
      }
      if (now - start > timeout) {
        const h = readHolder(file).holder;
        throw new JitpError(
          'E_STORE',
          `the lease store lock ${file} stayed held for ${Math.round((now - start) / 1000)}s${h ? ` by pid ${h.pid} on ${h.host} since ${h.acquiredAt}` : ''}`,
          {
            hint: 'if no jitp process is running, `jitp doctor --repair` removes a stale lock safely',
            details: { lock: file, holder: h ?? null },
          },
        );
      }
      sleepMs(wait * (0.5 + Math.random()));
      wait = Math.min(wait * 1.5, 10);
    }
  } finally {
    if (!held) {
      closeSync(fd);
      dispose(tmp);
    }
  }
}
