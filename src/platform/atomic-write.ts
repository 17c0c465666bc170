// Whole-file writes: a reader (or a process killed mid-write) sees the complete old file or the
// complete new one, never half of either. The data goes to a temp file with a unique name
// (pid + random: two writers with a fixed temp name lose writes) in the same folder, is
// fsynced when asked, and is renamed over the target; the rename is the commit point.
// Platform layer: imports nothing of ours; no node:crypto (loading it costs the hooks 4-15 ms).
import {
  closeSync,
  fchmodSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  unlinkSync,
  writeSync,
  writevSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** fsync the data before the rename, so a power cut cannot leave an empty file behind the new name. */
  fsync?: boolean;
  /** Exact permissions of the new file (not reduced by the umask), e.g. 0o600 for a secret. */
  mode?: number;
  /** Create missing parent folders (on the first ENOENT only: the folder almost always exists). */
  mkdir?: boolean | { mode: number };
  /** Runs between the write and the rename (crash-injection tests). */
  beforeRename?: () => void;
}

/** The temp name next to `path`: hidden, with pid and randomness, ending in `.tmp` (doctor sweeps these). */
export function tempPathFor(path: string): string {
  const rand = Math.random().toString(16).slice(2, 10).padEnd(8, '0');
  return join(dirname(path), `.${basename(path)}.${process.pid}.${rand}.tmp`);
}

function openTemp(path: string, opts: AtomicWriteOptions): { tmp: string; fd: number } {
  for (let attempt = 0; ; attempt++) {
    const tmp = tempPathFor(path);
    try {
      return { tmp, fd: openSync(tmp, 'wx', opts.mode ?? 0o666) };
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && attempt < 5) continue;
      if (code === 'ENOENT' && opts.mkdir && attempt === 0) {
        mkdirSync(dirname(path), { recursive: true, ...(typeof opts.mkdir === 'object' ? opts.mkdir : {}) });
        continue;
      }
      throw e;
    }
  }
}

/** `data` as parts (written in order with writev, so a large file made of slices is never copied into one). */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array | readonly Uint8Array[],
  opts: AtomicWriteOptions = {},
): void {
  const { tmp, fd } = openTemp(path, opts);
  let renamed = false;
  try {
    try {
      if (opts.mode !== undefined) fchmodSync(fd, opts.mode);
      if (Array.isArray(data)) writeAllv(fd, data);
      else {
        const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : (data as Uint8Array);
        for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
      }
      if (opts.fsync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    opts.beforeRename?.();
    renameSync(tmp, path);
    renamed = true;
  } finally {
    if (!renamed) {
      try {
        unlinkSync(tmp);
      } catch {
        /* never created or already gone */
      }
    }
  }
}

/** writev until every part is written (a short write resumes inside the part it stopped in). */
function writeAllv(fd: number, parts: readonly Uint8Array[]): void {
  // Linux takes at most 1,024 buffers per call (IOV_MAX).
  let rest = parts.filter((p) => p.length > 0);
  while (rest.length) {
    const batch = rest.slice(0, 1024);
    let n = writevSync(fd, batch);
    let i = 0;
    while (i < batch.length && n >= batch[i]!.length) n -= batch[i++]!.length;
    rest = i < batch.length ? [batch[i]!.subarray(n), ...rest.slice(i + 1)] : rest.slice(i);
  }
}

/**
 * fsync a folder, making the renames in it durable. Some file systems refuse it on folders;
 * the rename is atomic either way, so that is not an error.
 */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* not supported here */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
