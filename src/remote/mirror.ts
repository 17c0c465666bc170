// The local mirror of one remote's leases: a JSON snapshot under <git common dir>/jit-parallel/
// that hooks read on every edit instead of the network. Written whole (temp + rename) after
// every jitp write and every fetch; readers never lock. Kept dependency-free so the hook
// bundle can import it without pulling in git or the CLI.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lease } from '../store/types.js';

export const MIRROR_SCHEMA_VERSION = 1;

export interface RemoteMirror {
  schemaVersion: number;
  backend: 'remote';
  remote: string;
  /** When this view was last known to equal the remote (fetch start, or a successful push). */
  fetchedAt: string;
  /** How it was learnt: `fetch` (read from the remote) or `push` (our own accepted write). */
  source: 'fetch' | 'push';
  /** Commit id of refs/jit-parallel/index this view reflects ('' = the remote has no leases yet). */
  indexCommit: string;
  /** Store version (fencing tokens are taken from it). */
  version: number;
  leases: Lease[];
  leaseCommits: Record<string, string>;
}

/** File-name-safe form of a remote name (`origin`, `team/upstream`, a URL…). */
export const remoteFileKey = (remote: string): string => encodeURIComponent(remote).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export const mirrorPath = (storeDir: string, remote: string): string => join(storeDir, `remote-${remoteFileKey(remote)}.json`);

/** Returns undefined when there is no mirror yet or it cannot be parsed (callers refetch). */
export function readMirror(storeDir: string, remote: string): RemoteMirror | undefined {
  let text: string;
  try {
    text = readFileSync(mirrorPath(storeDir, remote), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const m = JSON.parse(text) as RemoteMirror;
    if (m?.schemaVersion !== MIRROR_SCHEMA_VERSION || m.backend !== 'remote' || !Array.isArray(m.leases) || typeof m.fetchedAt !== 'string') return undefined;
    return m;
  } catch {
    return undefined;
  }
}

/** Age of the view in seconds (Infinity when the timestamp is unreadable). */
export const mirrorAgeSecs = (m: RemoteMirror, nowMs: number = Date.now()): number => {
  const t = Date.parse(m.fetchedAt);
  return Number.isNaN(t) ? Infinity : Math.max(0, (nowMs - t) / 1000);
};

/**
 * Replaces the mirror unless the file already holds a newer store version (several jitp
 * processes of one clone finish in any order; an older view must not overwrite a newer one).
 * A same-version rewrite still refreshes `fetchedAt`.
 */
export function writeMirror(storeDir: string, m: RemoteMirror): void {
  const cur = readMirror(storeDir, m.remote);
  if (cur && cur.version > m.version) return;
  mkdirSync(storeDir, { recursive: true });
  const file = mirrorPath(storeDir, m.remote);
  const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, `${JSON.stringify(m, null, 1)}\n`, { flag: 'wx' });
    renameSync(tmp, file);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw e;
  }
}
