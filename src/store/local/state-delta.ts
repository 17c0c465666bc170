// The delta beside the snapshot (issue 13: a change's cost flat up to 1,000 live leases). Rewriting
// state.json for every change wrote O(leases) bytes (about 530 KB at 1,000 leases, with fsync and
// rename). A change now rewrites only `state.delta.json`: the leases changed since the snapshot was
// written, and the ones removed. It stays small (a lease acquired and released since the snapshot
// leaves no trace in it), and past DELTA_MAX_BYTES the next change folds it into a new snapshot.
//
//   {"dsum":"<8 hex>","gen":4,"version":812,"logSize":90311,"count":1000,"liveUntil":…,
//    "nextExpiry":…,"drop":[[<offset>,"<lease id>"],…],"at":[<offset or -1>,…],"leases":[
//   {…lease…},
//   {…lease…}
//   ]}
//
// `dsum` covers every byte after it. The delta belongs to the snapshot of generation `gen` (the
// snapshot header's `gen`; every snapshot write adds one): it holds the store's version and logSize
// (the commit), `count` and `liveUntil` of the whole store (exact, so the hooks' "is anything live"
// reads two headers), `nextExpiry` (the writers' bound, as in the snapshot), the snapshot lines it
// removes (`drop`: byte offset in state.json and lease id) and its leases: each one replaces the
// snapshot line at `at` (the same lease id) or, with -1, is one the snapshot does not have. Readers
// go by lease id; writers use the offsets (the order of the leases, and a scan that skips lines).
//
// Both files are replaced only by rename, so a reader sees a whole old or new version of each. It
// reads the snapshot first, then the delta: a delta of the snapshot's generation applies; an older
// one is stale (the snapshot already has it all: a snapshot write is the only commit that makes a
// delta stale, and there is no second step to crash between); a newer one means a new snapshot was
// written between the two reads: read the snapshot again (withDelta).
//
// Imports nothing heavy: the hooks read it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { JitpError } from '../../platform/errors.js';
import type { Lease } from '../../core/model.js';
import type { StateForWrite } from './snapshot-read.js';
import { DELTA_FILE, DSUM_END, DSUM_PREFIX, checksum, deltaDoc } from './state-format.js';

export { DELTA_FILE, deltaDoc };
import { corrupt, isInt, isStr, leaseProblem } from './state-check.js';

/**
 * Past this size the next change writes a new snapshot instead (with the full path): every hook call
 * parses the whole delta and every change rewrites it, so it must stay small; a new snapshot costs
 * about 3 ms at 1,000 leases, once per some 30 acquires that stay.
 */
export const DELTA_MAX_BYTES = 16 * 1024;

export interface Delta {
  gen: number;
  version: number;
  logSize: number;
  count: number;
  liveUntil: number;
  nextExpiry: number;
  /** Snapshot lines the delta removes: [byte offset of the line in state.json, its lease id]. */
  drop: [number, string][];
  /** Per lease: the offset of the snapshot line it replaces (same id), or -1 (the snapshot does not have it). */
  at: number[];
  leases: Lease[];
}

/** Parses and checks a delta; E_STORE_CORRUPT naming `file` when anything is wrong. */
export function parseDelta(buf: Buffer, file: string): Delta {
  const o = deltaDoc(buf);
  if (typeof o === 'string') throw corrupt(file, o);
  for (const k of ['gen', 'version', 'logSize', 'count', 'liveUntil', 'nextExpiry'] as const)
    if (!isInt(o[k])) throw corrupt(file, `missing or bad "${k}"`);
  const { drop, at, leases } = o;
  if (!Array.isArray(drop) || !drop.every((d) => Array.isArray(d) && isInt(d[0]) && isStr(d[1]) && d[1]))
    throw corrupt(file, '"drop" is not a list of [offset, lease id]');
  if (!Array.isArray(leases)) throw corrupt(file, '"leases" is not a list');
  if (!Array.isArray(at) || at.length !== leases.length || !at.every((a) => a === -1 || isInt(a)))
    throw corrupt(file, '"at" is not an offset (or -1) per lease');
  const ids = new Set<string>((drop as [number, string][]).map((d) => d[1]));
  if (ids.size !== drop.length) throw corrupt(file, 'a lease is dropped twice');
  leases.forEach((l: unknown, i) => {
    const why = leaseProblem(l);
    if (why) throw corrupt(file, `lease #${i + 1}: ${why}`);
    const id = (l as Lease).id;
    if (ids.has(id)) throw corrupt(file, `lease ${id} appears twice`);
    ids.add(id);
  });
  const f = o as unknown as Delta;
  return {
    gen: f.gen,
    version: f.version,
    logSize: f.logSize,
    count: f.count,
    liveUntil: f.liveUntil,
    nextExpiry: f.nextExpiry,
    drop: f.drop,
    at: f.at,
    leases: f.leases,
  };
}

export function serializeDelta(d: Delta): Buffer {
  const { gen, version, logSize, count, liveUntil, nextExpiry, drop, at } = d;
  const head = JSON.stringify({ gen, version, logSize, count, liveUntil, nextExpiry, drop, at }).slice(1, -1);
  const body = d.leases.map((l) => JSON.stringify(l)).join(',\n');
  const b = Buffer.from(`${DSUM_PREFIX}00000000",${head},"leases":[\n${body}${body ? '\n' : ''}]}\n`, 'utf8');
  b.write(checksum(b, DSUM_END), DSUM_PREFIX.length, 'latin1');
  return b;
}

/**
 * The store's leases: the snapshot's, in order, each replaced by the delta's lease of the same id or
 * dropped, then the delta's leases the snapshot does not have. The order is the one a whole rewrite
 * would give (a change keeps the order and appends), so the first overlapping holder is the same.
 */
export function mergeDelta(leases: readonly Lease[], d: Delta | undefined): Lease[] {
  if (!d) return leases as Lease[];
  const put = new Map(d.leases.map((l) => [l.id, l]));
  const drop = new Set(d.drop.map((x) => x[1]));
  const out: Lease[] = [];
  for (const l of leases) {
    if (drop.has(l.id)) continue;
    const r = put.get(l.id);
    out.push(r ?? l);
    put.delete(l.id);
  }
  return [...out, ...put.values()];
}

/** The delta file's bytes; undefined when there is none. */
export function readDeltaBytes(storeDir: string): Buffer | undefined {
  try {
    return readFileSync(join(storeDir, DELTA_FILE));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new JitpError('E_STORE', `cannot read the lease store delta ${join(storeDir, DELTA_FILE)}: ${code}`, {
      hint: `check the permissions of ${storeDir}`,
    });
  }
}

/** How often a reader reads the snapshot again when the delta is newer (a new snapshot each time). */
const RETRIES = 10;

/**
 * A snapshot and the delta that applies to it, read in that order. `readSnap(again)`: the snapshot
 * (again: from the file, not bytes read before) with its generation; undefined when the store has
 * never been written. A delta newer than the snapshot means a new snapshot was written between the
 * two reads: read it again. One that stays newer is damage (the delta names a snapshot that is not there).
 */
export function withDelta<T extends { gen?: number }>(
  storeDir: string,
  readSnap: (again: boolean) => T | undefined,
): { snap: T; delta?: Delta } | undefined {
  for (let i = 0; ; i++) {
    const snap = readSnap(i > 0);
    if (!snap) return undefined;
    const buf = readDeltaBytes(storeDir);
    if (!buf) return { snap };
    const file = join(storeDir, DELTA_FILE);
    const d = parseDelta(buf, file);
    const gen = snap.gen ?? 0;
    if (d.gen < gen) return { snap };
    if (d.gen === gen) return { snap, delta: d };
    if (i >= RETRIES)
      throw corrupt(file, `it belongs to snapshot generation ${d.gen}, state.json is generation ${gen}`);
  }
}

/**
 * How a delta of the snapshot's generation disagrees with the snapshot (undefined: it does not), for
 * `jitp doctor`: readers and writers trust a delta whose checksum is right. `snap`: the snapshot read
 * line by line (each lease with its line).
 */
export function deltaMismatch(buf: Buffer, snap: StateForWrite, d: Delta): string | undefined {
  if (!snap.lines) return 'the snapshot has no lease lines to apply a delta to (layout 1)';
  const byStart = new Map<number, string>();
  for (const [l, r] of snap.lines.at) byStart.set(r.start, l.id);
  const used = new Set<number>();
  const at = (a: number, id: string) => {
    if (used.has(a)) return `offset ${a} appears twice`;
    used.add(a);
    return byStart.get(a) === id ? undefined : `offset ${a} is not the line of lease ${id}`;
  };
  for (const [a, id] of d.drop) {
    const why = at(a, id);
    if (why) return why;
  }
  const ids = new Set(byStart.values());
  for (let i = 0; i < d.leases.length; i++) {
    const l = d.leases[i]!;
    const why = d.at[i] === -1 ? (ids.has(l.id) ? `lease ${l.id} is in the snapshot` : undefined) : at(d.at[i]!, l.id);
    if (why) return why;
  }
  const merged = mergeDelta(snap.st.leases, d);
  const ts = merged.map((l) => Date.parse(l.expiresAt));
  if (d.count !== merged.length) return `count ${d.count}, the leases are ${merged.length}`;
  if (d.liveUntil !== Math.max(0, ...ts)) return 'liveUntil does not match the leases';
  if (d.nextExpiry > (ts.length ? Math.min(...ts) : 0)) return 'nextExpiry is later than the earliest expiry';
  return undefined;
}
