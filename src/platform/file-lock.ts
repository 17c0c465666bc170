// The one cross-process lock: a file created already holding its record, by writing a unique
// temp file and hard-linking it into place (link fails with EEXIST while the lock is held), so
// nobody ever reads an empty or half-written lock. See ../shared/notes/locks.md, docs/store.md:
// - stale = holder pid dead on this host, or the lock older than the longest legal hold;
// - recovery is serialised through a second exclusive lock (`<lock>.recover`) whose holder
//   re-reads the lock and deletes it only if it still carries the record judged stale, then
//   everyone goes back to the acquire loop. "Check, delete, recreate" without that gives two
//   holders when several contenders race over one dead lock.
// Used synchronously by the lease store (no event-loop turn while it is held) and
// asynchronously by worktree mode (a checkout can hold it for minutes).
// Platform layer: imports nothing of ours outside platform/; no node:crypto (hot-path safe).
import { closeSync, fstatSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { JitpError } from './errors.js';
import { pidAlive } from './pid.js';
import { sleepMs } from './sleep.js';

export interface LockHolder {
  pid: number;
  host: string;
  nonce: string;
  acquiredAt: string;
  /** What the holder is doing (informative: doctor, wait messages). */
  op?: string;
}

export interface LockState {
  holder?: LockHolder;
  raw?: string;
  /** When the lock was taken (the inode's ctime: link() sets it), ms since the epoch. */
  sinceMs?: number;
}

export type LockCrashStep = 'recover-locked' | 'before-unlock';

export interface LockOptions {
  /** Give up after this long. */
  timeoutMs: number;
  /** A holder older than this is judged dead even if its pid lives (pid reuse, another host, a hang). */
  maxHoldMs: number;
  /** What the holder does, recorded in the lock. */
  op?: string;
  /** Told once, with a description of the holder, when the wait passes a second. */
  onWait?: (holder: string) => void;
  /** The error thrown at the timeout (default E_LOCKED naming the lock and its holder). */
  timeoutError?: (lock: string, holder: LockHolder | undefined, waitedMs: number) => Error;
  /** The error thrown when the lock cannot be created at all (permissions, read-only folder). */
  ioError?: (lock: string, e: NodeJS.ErrnoException) => Error;
  /** Test-only crash injection at the steps the crash tests exercise. */
  crash?: (step: LockCrashStep) => void;
}

export interface HeldLock {
  nonce: string;
  /** Is the lock path still ours (not removed by a recoverer that judged us ancient)? One fstat. */
  isHeld(): boolean;
  release(): void;
}

const HOST = hostname();
const RECOVER_MAX_HOLD_MS = 10_000;

export const recoverPathOf = (lock: string): string => `${lock}.recover`;

/** 24 hex characters; unique enough to tell two holders apart, and no node:crypto to load. */
const newNonce = (): string =>
  Array.from({ length: 3 }, () =>
    Math.floor(Math.random() * 0x1_0000_0000)
      .toString(16)
      .padStart(8, '0'),
  ).join('');

function makeRecord(op: string): LockHolder {
  return { pid: process.pid, host: HOST, nonce: newNonce(), acquiredAt: new Date().toISOString(), op };
}

/** The nonce in a lock file (one read, no stat), or undefined. */
export function lockNonce(lock: string): string | undefined {
  try {
    const n = (JSON.parse(readFileSync(lock, 'utf8')) as LockHolder).nonce;
    return typeof n === 'string' ? n : undefined;
  } catch {
    return undefined;
  }
}

export function readHolder(lock: string): LockState {
  let raw: string;
  let sinceMs: number;
  try {
    raw = readFileSync(lock, 'utf8');
    // ctime, not the record's acquiredAt or mtime: the record is written before a possibly long
    // wait, but link() (and the unlink of the temp name right after) set the inode's ctime to
    // the moment the lock was actually taken.
    sinceMs = statSync(lock).ctimeMs;
  } catch {
    return {};
  }
  try {
    const h = JSON.parse(raw) as LockHolder;
    if (typeof h?.pid === 'number' && typeof h.nonce === 'string') return { holder: h, raw, sinceMs };
  } catch {
    /* not a record: hand-edited, or a bare pid from an older jitp (below) */
  }
  // Older jitp wrote only its pid into worktree-mode locks: a holder on this host.
  const pid = /^\s*(\d+)\s*$/.exec(raw)?.[1];
  if (pid) return { holder: { pid: Number(pid), host: HOST, nonce: `pid:${pid}`, acquiredAt: '' }, raw, sinceMs };
  return { raw, sinceMs };
}

/** Why a lock is stale, or undefined when it must be respected. */
export function staleReason(h: LockState, nowMs: number, maxHoldMs: number): string | undefined {
  if (h.holder && h.holder.host === HOST && !pidAlive(h.holder.pid)) return `holder pid ${h.holder.pid} is dead`;
  const age = nowMs - (h.sinceMs ?? nowMs);
  if (age > maxHoldMs)
    return `held for ${Math.round(age / 1000)}s (longest legal hold ${Math.round(maxHoldMs / 1000)}s)`;
  return undefined;
}

/** Who holds it, for messages: `pid 123 on host (op) since …`. */
export function describeHolder(h: LockHolder | undefined): string {
  if (!h) return 'a holder that wrote no record';
  const since = h.acquiredAt ? ` since ${h.acquiredAt}` : '';
  return `pid ${h.pid}${h.host !== HOST ? ` on ${h.host}` : ''}${h.op ? ` (${h.op})` : ''}${since}`;
}

const tempFor = (lock: string, nonce: string): string =>
  join(dirname(lock), `.${basename(lock)}.${process.pid}.${nonce}.tmp`);

function defaultIoError(lock: string, e: NodeJS.ErrnoException): Error {
  return new JitpError('E_LOCKED', `cannot create the lock ${lock}: ${e.code ?? ''} ${e.message}`.trim(), {
    hint: `check that ${dirname(lock)} exists and is writable`,
    cause: e,
  });
}

function defaultTimeoutError(lock: string, holder: LockHolder | undefined, waitedMs: number): Error {
  return new JitpError(
    'E_LOCKED',
    `timed out after ${Math.round(waitedMs / 1000)}s waiting for ${lock}, held by ${describeHolder(holder)}`,
    { hint: `if no jitp process is running, remove ${lock}`, details: { lock, holder: holder ?? null } },
  );
}

function dispose(tmp: string): void {
  try {
    unlinkSync(tmp);
  } catch {
    /* already gone */
  }
}

/**
 * The holder record in a unique temp file, ready to be linked (possibly many times). The fd
 * stays open: once the lock is ours, `fstat(fd).nlink` tells whether the lock path still points
 * at our inode without reading anything.
 */
function prepare(lock: string, rec: LockHolder, ioError: LockOptions['ioError']): { tmp: string; fd: number } {
  const tmp = tempFor(lock, rec.nonce);
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
    throw (ioError ?? defaultIoError)(lock, e as NodeJS.ErrnoException);
  }
}

/** One attempt to link the prepared record into place; true when we now hold `lock`. */
function linkOnce(tmp: string, lock: string, ioError: LockOptions['ioError']): boolean {
  try {
    linkSync(tmp, lock);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw (ioError ?? defaultIoError)(lock, e as NodeJS.ErrnoException);
  }
}

function tryLink(lock: string, rec: LockHolder, ioError: LockOptions['ioError']): boolean {
  const { tmp, fd } = prepare(lock, rec, ioError);
  try {
    return linkOnce(tmp, lock, ioError);
  } finally {
    closeSync(fd);
    dispose(tmp);
  }
}

/**
 * Removes `lock` if, under the recovery lock, it still carries the record judged stale (or, for
 * an unparsable lock, the same raw content). Returns true when it removed it.
 */
export function recoverStale(
  lock: string,
  stale: LockState,
  opts: Pick<LockOptions, 'ioError' | 'crash'> = {},
): boolean {
  const recover = recoverPathOf(lock);
  if (!tryLink(recover, makeRecord('recover'), opts.ioError)) {
    // Another recoverer is at work (microseconds). Its own lock can be stale only if it died
    // mid-recovery; clear that only when clearly dead or ancient, then let the caller retry.
    const r = readHolder(recover);
    if (r.raw !== undefined && staleReason(r, Date.now(), RECOVER_MAX_HOLD_MS)) {
      try {
        if (readHolder(recover).raw === r.raw) unlinkSync(recover);
      } catch {
        /* someone else cleared it */
      }
    }
    return false;
  }
  try {
    opts.crash?.('recover-locked');
    const now = readHolder(lock);
    const same = stale.holder
      ? now.holder?.nonce === stale.holder.nonce
      : now.raw !== undefined && now.raw === stale.raw;
    if (!same) return false;
    unlinkSync(lock);
    return true;
  } catch {
    return false;
  } finally {
    try {
      unlinkSync(recover);
    } catch {
      /* cleared by someone judging us stale: harmless, we are done */
    }
  }
}

/** Clears a stale recovery lock (a recoverer that died mid-recovery); true when it removed one. */
export function clearStaleRecover(lock: string, seen: LockState): boolean {
  try {
    if (readHolder(recoverPathOf(lock)).raw !== seen.raw) return false;
    unlinkSync(recoverPathOf(lock));
    return true;
  } catch {
    return false;
  }
}

/**
 * The acquire loop, shared by the synchronous and the asynchronous form: `step()` either takes
 * the lock or says how long to pause before the next try.
 */
class Attempt {
  private readonly start = Date.now();
  private readonly rec: LockHolder;
  private readonly tmp: string;
  private readonly fd: number;
  private wait = 0.2;
  private lastStaleCheck = 0;
  private told = false;
  private attempt = 0;
  private done = false;

  constructor(
    private readonly lock: string,
    private readonly opts: LockOptions,
  ) {
    this.rec = makeRecord(opts.op ?? 'write');
    // One temp file per acquisition, linked on every attempt: spinning must not churn the
    // folder (the holder's rename contends for the same directory lock).
    ({ tmp: this.tmp, fd: this.fd } = prepare(lock, this.rec, opts.ioError));
  }

  /** The held lock, or the milliseconds to pause before trying again. Throws at the timeout. */
  step(): HeldLock | number {
    const { lock, opts } = this;
    try {
      if (linkOnce(this.tmp, lock, opts.ioError)) return this.held();
      const now = Date.now();
      // Judging staleness costs two syscalls and a kill(0); do it every few ms, not every spin.
      const first = this.attempt++ === 0;
      if (first || now - this.lastStaleCheck >= 5) {
        this.lastStaleCheck = now;
        const h = readHolder(lock);
        if (h.raw !== undefined && staleReason(h, now, opts.maxHoldMs)) {
          recoverStale(lock, h, opts);
          return 0;
        }
      }
      if (now - this.start > opts.timeoutMs)
        throw (opts.timeoutError ?? defaultTimeoutError)(lock, readHolder(lock).holder, now - this.start);
      // Say so once when the wait is noticeable (a holder may be checking out a large tree).
      if (opts.onWait && !this.told && now - this.start > 1_000) {
        this.told = true;
        opts.onWait(describeHolder(readHolder(lock).holder));
      }
      const pause = this.wait * (0.5 + Math.random());
      this.wait = Math.min(this.wait * 1.5, 10);
      return pause;
    } catch (e) {
      this.abandon();
      throw e;
    }
  }

  private held(): HeldLock {
    this.done = true;
    dispose(this.tmp);
    const { fd, lock, opts } = this;
    // Our inode's links: the lock path only, unless the temp name could not be removed.
    const links = fstatSync(fd).nlink;
    const isHeld = () => fstatSync(fd).nlink === links;
    let released = false;
    return {
      nonce: this.rec.nonce,
      isHeld,
      release() {
        if (released) return;
        released = true;
        opts.crash?.('before-unlock');
        try {
          // Only our own lock: if a recoverer judged us ancient, the lock there now is someone else's.
          if (isHeld()) unlinkSync(lock);
        } catch {
          /* removed meanwhile: nothing left to release */
        } finally {
          closeSync(fd);
        }
      },
    };
  }

  abandon(): void {
    if (this.done) return;
    this.done = true;
    closeSync(this.fd);
    dispose(this.tmp);
  }
}

/** Takes the lock, pausing the thread between tries (for code that must not yield while it waits). */
export function acquireLockSync(lock: string, opts: LockOptions): HeldLock {
  const a = new Attempt(lock, opts);
  for (;;) {
    const r = a.step();
    if (typeof r !== 'number') return r;
    sleepMs(r);
  }
}

/** Takes the lock, letting the event loop run between tries. */
export async function acquireLock(lock: string, opts: LockOptions): Promise<HeldLock> {
  const a = new Attempt(lock, opts);
  for (;;) {
    const r = a.step();
    if (typeof r !== 'number') return r;
    // Timers are millisecond-grained; an async waiter never holds up anyone by spinning less.
    await new Promise((res) => setTimeout(res, Math.max(1, r)));
  }
}

/** Runs `fn` holding the lock, and releases it however `fn` ends. */
export async function withLock<T>(lock: string, fn: () => Promise<T>, opts: LockOptions): Promise<T> {
  const held = await acquireLock(lock, opts);
  try {
    return await fn();
  } finally {
    held.release();
  }
}
