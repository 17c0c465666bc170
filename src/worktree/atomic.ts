// Whole-file writes and a small cross-process lock (the batch file, the worktree admin folder).
// Batch readers never lock: they always see a complete old or complete new file because writes
// go temp + rename.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { JitpError } from '../platform/errors.js';

export function writeFileAtomic(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A holder writes its pid right after creating the lock: an older lock without one was torn. */
const TORN_AFTER_MS = 5_000;

/**
 * The lock file names a process of this machine that is gone (its pid no longer exists), or
 * it holds no pid and is older than TORN_AFTER_MS (its holder died between create and write).
 */
function holderIsDead(lockPath: string, ageMs: number): boolean {
  try {
    const text = readFileSync(lockPath, 'utf8').trim();
    const pid = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(pid) || pid <= 0) return ageMs > TORN_AFTER_MS;
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** What the lock file says about its holder, for messages. */
function holderOf(lockPath: string): string {
  try {
    const text = readFileSync(lockPath, 'utf8').trim();
    return /^\d+$/.test(text) ? `pid ${text}` : 'a holder that wrote no pid';
  } catch {
    return 'a holder that just left';
  }
}

/**
 * Exclusive lock by O_EXCL lock file. A holder that died leaves the file behind, so a lock
 * older than `staleMs` is taken over (batch updates take milliseconds, never seconds); with
 * `deadHolder`, also a lock whose holder's pid is gone (for locks held for seconds, such as a
 * checkout, where no age separates a slow holder from a dead one).
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  opts: {
    timeoutMs?: number;
    staleMs?: number;
    deadHolder?: boolean;
    what?: string;
    onWait?: (holder: string) => void;
  } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const staleMs = opts.staleMs ?? 30_000;
  mkdirSync(dirname(lockPath), { recursive: true });
  const start = Date.now();
  let fd: number | undefined;
  let waited = false;
  for (let attempt = 0; fd === undefined; attempt++) {
    try {
      fd = openSync(lockPath, 'wx');
      writeSync(fd, `${process.pid}\n`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        const age = Date.now() - statSync(lockPath).mtimeMs;
        if (age > staleMs || (opts.deadHolder && holderIsDead(lockPath, age))) rmSync(lockPath, { force: true });
      } catch {
        /* gone between the open and the stat: retry */
      }
      if (Date.now() - start > timeoutMs) {
        throw new JitpError('E_LOCKED', `timed out waiting for ${lockPath}`, {
          hint: `another jitp is ${opts.what ?? 'updating the batch'}; if none runs, remove ${lockPath}`,
        });
      }
      // Say so once when the wait is noticeable (a holder may be checking out a large tree).
      if (opts.onWait && !waited && Date.now() - start > 1_000) {
        waited = true;
        opts.onWait(holderOf(lockPath));
      }
      await sleep(Math.min(5 + attempt * 5, 50));
    }
  }
  try {
    return await fn();
  } finally {
    closeSync(fd);
    rmSync(lockPath, { force: true });
  }
}
