// Whole-file writes and a small cross-process lock for the batch file. Readers never lock:
// they always see a complete old or complete new file because writes go temp + rename.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { EXIT, JitpError } from '../core/errors.js';

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

/** The lock file names a process of this machine that is gone (its pid no longer exists). */
function holderIsDead(lockPath: string): boolean {
  try {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    if (!Number.isInteger(pid) || pid <= 0) return false;
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Exclusive lock by O_EXCL lock file. A holder that died leaves the file behind, so a lock
 * older than `staleMs` is taken over (batch updates take milliseconds, never seconds); with
 * `deadHolder`, also a lock whose holder's pid is gone (for locks held for seconds, such as a
 * checkout, where no age separates a slow holder from a dead one).
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, opts: { timeoutMs?: number; staleMs?: number; deadHolder?: boolean; what?: string } = {}): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const staleMs = opts.staleMs ?? 30_000;
  mkdirSync(dirname(lockPath), { recursive: true });
  const start = Date.now();
  let fd: number | undefined;
  for (let attempt = 0; fd === undefined; attempt++) {
    try {
      fd = openSync(lockPath, 'wx');
      writeSync(fd, `${process.pid}\n`);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      try {
        if (Date.now() - statSync(lockPath).mtimeMs > staleMs || (opts.deadHolder && holderIsDead(lockPath))) rmSync(lockPath, { force: true });
      } catch {
        /* gone between the open and the stat: retry */
      }
      if (Date.now() - start > timeoutMs) {
        throw new JitpError('E_LOCKED', EXIT.STORE, `timed out waiting for ${lockPath}`, {
          hint: `another jitp is ${opts.what ?? 'updating the batch'}; if none runs, remove ${lockPath}`,
        });
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
