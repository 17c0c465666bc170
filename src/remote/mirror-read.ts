// Reading the local mirror of one remote's leases (the writer is mirror.ts). Split out so the
// hook bundle can read mirrors without loading node:crypto (the writer's temp names), which
// costs milliseconds on every hook call.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lease } from '../core/model.js';

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
  /**
   * Commits of leases the index still lists but that were released (their refs are gone): a
   * later read then needs no second look to tell them from leases granted while it read.
   */
  released?: string[];
}

/** File-name-safe form of a remote name (`origin`, `team/upstream`, a URL…). */
export const remoteFileKey = (remote: string): string =>
  encodeURIComponent(remote).replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export const mirrorPath = (storeDir: string, remote: string): string =>
  join(storeDir, `remote-${remoteFileKey(remote)}.json`);

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
    if (
      m?.schemaVersion !== MIRROR_SCHEMA_VERSION ||
      m.backend !== 'remote' ||
      !Array.isArray(m.leases) ||
      typeof m.fetchedAt !== 'string'
    )
      return undefined;
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
