// For hooks: the remote leases as this clone last saw them, from the mirror files alone (no
// network, no git, no config). A hook merges them with the local snapshot and, when a mirror
// is older than remoteMirrorMaxAge, may start a background `jitp claim sync` without waiting
// (view.ts; kept apart because node:child_process loads Node's net/stream machinery, several
// ms that the edit path does not need).
import { readdirSync } from 'node:fs';
import type { Lease, StoreSnapshot } from '../core/model.js';
import { mirrorAgeSecs, readMirror, type RemoteMirror } from './mirror-read.js';

/** Every remote mirror in the store folder (normally zero or one). */
export function remoteMirrorsSync(storeDir: string): RemoteMirror[] {
  let names: string[];
  try {
    names = readdirSync(storeDir);
  } catch {
    return [];
  }
  const out: RemoteMirror[] = [];
  for (const n of names) {
    const m = /^remote-(.+)\.json$/.exec(n);
    if (!m) continue;
    // The file name is an encoding of the remote; the file itself says which remote it is.
    const any = readMirror(storeDir, decodeURIComponent(m[1]!));
    if (any) out.push(any);
  }
  return out;
}

export interface Freshness {
  remote: string;
  fetchedAt: string;
  ageSecs: number;
}

/** Local leases plus every mirrored remote lease (a remote lease wins a tie on lease id). */
export function combinedSnapshot(
  local: StoreSnapshot | undefined,
  mirrors: readonly RemoteMirror[],
  nowMs: number,
): { snap: StoreSnapshot; freshness: Freshness[] } {
  const byId = new Map<string, Lease>();
  for (const l of local?.leases ?? []) byId.set(l.id, l);
  for (const m of mirrors) for (const l of m.leases) byId.set(l.id, l);
  return {
    snap: { schemaVersion: local?.schemaVersion ?? 1, version: local?.version ?? 0, leases: [...byId.values()] },
    freshness: mirrors.map((m) => ({
      remote: m.remote,
      fetchedAt: m.fetchedAt,
      ageSecs: Math.round(mirrorAgeSecs(m, nowMs)),
    })),
  };
}

/** For deny messages: `remote 'origin' leases as of 42s ago (2026-…Z)`. */
export const freshnessText = (f: Freshness): string =>
  `remote '${f.remote}' leases as of ${f.ageSecs}s ago (${f.fetchedAt})`;
