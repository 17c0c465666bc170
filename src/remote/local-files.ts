// What a remote-lease clone keeps only for itself, next to the mirror: the binding secrets of
// leases acquired here (they bind this machine's sub-agents and have no business on a shared
// server) and a local event log of the changes this clone made.
import {
  closeSync,
  fstatSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { Lease } from '../core/model.js';
import { writeFileAtomic } from '../platform/atomic-write.js';
import { inDir } from './in-dir.js';
import { remoteFileKey } from './mirror.js';

const secretsDir = (storeDir: string, remote: string) => join(storeDir, `remote-${remoteFileKey(remote)}.secrets`);
export const eventsPath = (storeDir: string, remote: string) =>
  join(storeDir, `remote-${remoteFileKey(remote)}.events.jsonl`);

const SAFE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** One file per lease id: concurrent acquirers in one clone never rewrite a shared file. */
export function saveSecret(storeDir: string, remote: string, leaseId: string, secret: string): void {
  if (!SAFE_ID.test(leaseId)) return;
  const dir = secretsDir(storeDir, remote);
  writeFileAtomic(join(dir, leaseId), secret, { mode: 0o600, mkdir: { mode: 0o700 } });
}

/** Secrets by lease id; `only`: just these leases (every jitp write needs the live ones alone). */
export function loadSecrets(storeDir: string, remote: string, only?: readonly Lease[]): Map<string, string> {
  const out = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(secretsDir(storeDir, remote));
  } catch {
    return out;
  }
  const wanted = only && new Set(only.map((l) => l.id));
  for (const n of names) {
    if (!SAFE_ID.test(n) || (wanted && !wanted.has(n))) continue;
    try {
      out.set(n, readFileSync(join(secretsDir(storeDir, remote), n), 'utf8'));
    } catch {
      /* removed meanwhile */
    }
  }
  return out;
}

/** Forgets the secrets of leases this clone's own accepted push removed (released, evicted, swept). */
export function dropSecrets(storeDir: string, remote: string, leaseIds: readonly string[]): void {
  for (const id of leaseIds) {
    if (!SAFE_ID.test(id)) continue;
    try {
      unlinkSync(join(secretsDir(storeDir, remote), id));
    } catch {
      /* none kept here */
    }
  }
}

/**
 * Drops secrets of leases that no longer exist (called after a fetch). A secret younger than
 * `graceMs` is kept: its acquire may still be on its way to the remote from another process.
 */
export function pruneSecrets(
  storeDir: string,
  remote: string,
  live: readonly Lease[],
  nowMs = Date.now(),
  graceMs = 10 * 60_000,
): void {
  const keep = new Set(live.map((l) => l.id));
  for (const id of loadSecrets(storeDir, remote).keys()) {
    if (!keep.has(id)) {
      try {
        const file = join(secretsDir(storeDir, remote), id);
        if (nowMs - statSync(file).mtimeMs < graceMs) continue;
        unlinkSync(file);
      } catch {
        /* gone */
      }
    }
  }
}

export const withSecrets = (leases: readonly Lease[], secrets: Map<string, string>): Lease[] =>
  leases.map((l) => (secrets.has(l.id) ? { ...l, bindSecret: secrets.get(l.id)! } : l));

export const withoutSecrets = (leases: readonly Lease[]): Lease[] =>
  leases.map((l) => {
    if (l.bindSecret === undefined) return l;
    const { bindSecret: _drop, ...rest } = l;
    return rest;
  });

/**
 * Appends JSON lines. A killed writer can leave a torn last line; we first make sure the file
 * ends in a newline so the fragment never swallows the next record (readers skip it).
 */
export function appendEvents(file: string, events: readonly object[]): void {
  if (!events.length) return;
  const fd = inDir(join(file, '..'), () => openSync(file, 'a+'));
  try {
    const size = fstatSync(fd).size;
    let prefix = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) prefix = '\n';
    }
    writeSync(fd, prefix + events.map((e) => JSON.stringify(e)).join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
}
