// The writers' incremental path (issue 13: "make acquire cost flat up to 1,000 leases"). A change
// touches one or two leases, yet parsing, validating and serialising every lease of a 1,000-lease
// state made each acquire cost about ten times what it cost at 10 leases. Under the lock this path
// reads the file's bytes, checks the header (its checksum and the body's length), finds the lines
// the change can need the way the hooks do (state-view.ts: a byte search for the issue, the lease
// id and the paths, plus the special lines whose glob anchors bear on the paths), checks and parses
// only those, runs the same pure rule on them, and writes a new header, the untouched lines as
// byte slices and the new or changed lines, by temp file + fsync + rename as before.
//
// It is exact, not approximate: it is taken only while no lease has expired (before the header's
// `nextExpiry`), so the rule sweeps nothing and the leases it is not shown cannot change its
// answer (the first overlapping holder is always among the candidates: a lease whose path
// overlaps a wanted one names it, or a path under its anchor, or is special). The file it writes
// is byte for byte the one a full rewrite writes (test/store/state-splice.test.ts), except that
// `nextExpiry` may be earlier than the earliest expiry (a bound kept without reading every line). Anything it
// cannot trust or decide cheaply (layout 1, an index from an older jitp, an expired lease, an
// index that does not check out, a glob with no literal folder) goes to the full path
// (snapshot-read.ts stateForWriteOf), which checks every line.
//
// What it does not check: lines it does not read. A damaged line no change needs survives the
// change byte for byte (its own checksum still fails) and is reported by `jitp claim list|status`,
// `jitp doctor` and the next full rewrite, which refuse with E_STORE_CORRUPT (docs/store.md).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import type { Lease } from '../../core/model.js';
import { isPlainPath } from '../../core/lease-rules.js';
import type { Bloom } from './state-bloom.js';
import {
  STATE_FILE,
  STATE_SCHEMA_VERSION,
  corrupt,
  leaseProblem,
  readStateBytes,
  type StateFile,
} from './snapshot-read.js';
import {
  CLOSE_LINE,
  SUM2_END,
  anchorsOf,
  globAnchor,
  isInt,
  isSpecialLease,
  layout2Header,
  leaseLine,
  parseLeaseLine,
  readHeader,
  serializeIndexed,
  type HeaderRead,
  type StateIndex,
} from './state-format.js';

let scratch: Buffer | undefined;

/**
 * state.json's bytes for a writer, read into one buffer kept for the process's next transaction:
 * a fresh 530 KB buffer per change (readFileSync) cost about 2 ms of page faults on a loaded
 * machine, twenty times the read itself. Valid until the next call: a transaction is synchronous
 * and keeps nothing of it (leases are parsed copies; the slices it writes are written before it
 * returns). Anything unusual (no file, no folder, no permission) goes to readStateBytes, which
 * says what it means.
 */
export function readStateForWriter(storeDir: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(join(storeDir, STATE_FILE), 'r');
  } catch {
    return readStateBytes(storeDir);
  }
  try {
    let buf = scratch;
    const size = fstatSync(fd).size;
    if (!buf || buf.length < size + 1) buf = Buffer.allocUnsafe(Math.max(64 * 1024, (size + 1) * 2));
    let n = 0;
    for (;;) {
      if (n === buf.length) buf = Buffer.concat([buf, Buffer.allocUnsafe(buf.length)]); // grew meanwhile
      const r = readSync(fd, buf, n, buf.length - n, n);
      if (r === 0) break;
      n += r;
    }
    scratch = buf;
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** What a change can need to see: the leases of these issues and ids, and those that may overlap the paths. */
export interface Need {
  issueIds?: readonly string[];
  leaseIds?: readonly string[];
  paths?: readonly string[];
}

/** The candidates, as a snapshot for the rule, and how to write the rule's answer back. */
export interface Splice {
  st: StateFile;
  /**
   * Checks the rule's new snapshot against the candidates (before anything is written: a rule that
   * reorders leases is refused here) and returns the writer of the new file for a given log size.
   */
  prepare(next: { version: number; leases: readonly Lease[] }): (logSize: number) => Buffer[];
}

export type SplicePlan = ({ ok: true } & Splice) | { ok: false; why: string };

/** Glob syntax, as the index reads it (state-format.ts SPECIAL_PATH). */
const GLOB = /[*?[\]{}\\]/;
const NL = 0x0a;
const SEP = Buffer.from(',\n');
const EXPIRES = Buffer.from('"expiresAt":"');

/**
 * How the rule's new leases map onto the entries it was shown (the splice's lines, the delta's
 * entries): each entry kept (null) or replaced (the new lease of its id); an entry missing from
 * `put` is removed; a lease of no entry is `added`. A whole rewrite writes the rule's order; these
 * writers keep the store's order (`order`) and append, so a rule that reorders (none does) throws.
 */
export function matchChanges<E extends { lease: Lease }>(
  entries: readonly E[],
  order: (e: E) => number,
  next: readonly Lease[],
  writer: string,
): { put: Map<E, Lease | null>; added: Lease[] } {
  const byLease = new Map(entries.map((e) => [e.lease, e]));
  const byId = new Map(entries.map((e) => [e.lease.id, e]));
  const put = new Map<E, Lease | null>();
  const added: Lease[] = [];
  let last = -1;
  for (const l of next) {
    let e = byLease.get(l);
    if (!e) {
      const r = byId.get(l.id);
      if (r && !put.has(r)) e = r;
    }
    if (!e) {
      added.push(l);
      continue;
    }
    if (added.length || order(e) < last || put.has(e)) throw new Error(`${writer}: the rule reordered leases`);
    last = order(e);
    put.set(e, e.lease === l ? null : l);
  }
  return { put, added };
}

export interface Cand {
  lease: Lease;
  /** Byte range of the line's JSON (no `,`), and the offset after its `\n`. */
  start: number;
  stop: number;
  next: number;
}

const increasing = (xs: readonly number[]) => xs.every((x, k) => k === 0 || x > xs[k - 1]!);

/** What scan found: the snapshot's checked header and index, and the candidate lines, parsed and checked. */
export interface Scan {
  h: Extract<HeaderRead, { kind: 'ok' }>;
  bodyStart: number;
  /** Where the close line starts. */
  end: number;
  /** The header's nextExpiry (writers' bound). */
  nextExpiry: number;
  /** Absolute line start -> k in the index's special/at/anchors. */
  specialAt: Map<number, number>;
  cands: Cand[];
}

/**
 * The lines of state.json (bytes `buf`) a change with `need` can need, checked and parsed; or why the
 * full path must be taken. `bound`: the store's count and nextExpiry when a delta holds them
 * (state-delta.ts). Throws E_STORE_CORRUPT when a line it reads is damaged (its checksum, its JSON,
 * its lease).
 */
export function scan(
  buf: Buffer,
  file: string,
  need: Need,
  nowMs: number,
  bound?: { count: number; nextExpiry: number },
  bloom?: Bloom,
): ({ ok: true } & Scan) | { ok: false; why: string } {
  const h = readHeader(buf);
  if (h.kind !== 'ok') return { ok: false, why: h.kind === 'bad' ? `header: ${h.why}` : 'no index' };
  if (h.layout !== 2) return { ok: false, why: 'layout 1' };
  const { bodyStart } = h;
  const { index } = h.header;
  const { count, special } = index;
  const at = index.at;
  const anchors = index.anchors;
  // Read from the header line itself: readHeader keeps only the fields the hooks use.
  const nx = /"nextExpiry":(\d+)[,}]/.exec(buf.toString('latin1', SUM2_END, bodyStart));
  if (!nx) return { ok: false, why: 'no nextExpiry (written by an older jitp)' };
  const nextExpiry = Number(nx[1]);
  const live = bound ?? { count, nextExpiry };
  if (live.count > 0 && !(nowMs < live.nextExpiry))
    return { ok: false, why: 'nextExpiry passed: a lease may have expired' };
  const end = buf.length - CLOSE_LINE.length;
  if (
    end < bodyStart ||
    buf.toString('latin1', end) !== CLOSE_LINE ||
    (count === 0 ? end !== bodyStart : end === bodyStart || buf[end - 1] !== NL)
  )
    return { ok: false, why: 'body shape' };
  if (
    !Array.isArray(at) ||
    !Array.isArray(anchors) ||
    at.length !== special.length ||
    anchors.length !== at.length ||
    !increasing(special) ||
    !increasing(at) ||
    !at.every((a) => isInt(a) && bodyStart + a < end && buf[bodyStart + a - 1] === NL) ||
    !anchors.every((a) => a === null || (Array.isArray(a) && a.every((x) => typeof x === 'string')))
  )
    return { ok: false, why: 'index offsets' };

  // Lines to read: every line holding one of the needles, and the special lines that bear.
  const starts = new Set<number>();
  const search = (needle: string) => {
    const nb = Buffer.from(needle, 'utf8');
    for (let p = buf.indexOf(nb, bodyStart); p >= 0 && p < end;) {
      starts.add(buf.lastIndexOf(NL, p) + 1);
      const nl = buf.indexOf(NL, p);
      p = nl < 0 ? -1 : buf.indexOf(nb, nl);
    }
  };
  const bear: Array<(a: string) => boolean> = [];
  // A string the snapshot's filter (state-bloom.ts) has never seen is in no line: no scan.
  const may = (s: string) => !bloom || bloom.mayHave(s);
  for (const id of need.issueIds ?? []) if (may(id)) search(`"issueId":${JSON.stringify(id)}`);
  for (const id of need.leaseIds ?? []) if (may(id)) search(`"id":${JSON.stringify(id)}`);
  for (const w of need.paths ?? []) {
    if (GLOB.test(w)) {
      // Every path the glob matches starts with its anchor (or is the anchor's folder itself:
      // `a/**` covers `a`), and two globs can share a path only if one's anchor is a prefix of
      // the other's.
      const a = globAnchor(w);
      if (a === '') return { ok: false, why: `glob ${w} has no literal folder: any lease may overlap it` };
      search(JSON.stringify(a).slice(0, -1));
      search(JSON.stringify(a.slice(0, -1)));
      bear.push((x) => x.startsWith(a) || a.startsWith(x));
    } else if (isPlainPath(w)) {
      if (may(w)) search(JSON.stringify(w));
      bear.push((x) => `${w}/`.startsWith(x));
    } else return { ok: false, why: `path ${JSON.stringify(w)} has an empty, . or .. segment` };
  }
  const specialAt = new Map<number, number>(); // absolute line start -> k in special/at/anchors
  at.forEach((a, k) => {
    specialAt.set(bodyStart + a, k);
    const an = anchors[k]!;
    if (bear.length && (an === null || an.some((x) => bear.some((b) => b(x))))) starts.add(bodyStart + a);
  });

  const cands: Cand[] = [];
  const ids = new Set<string>();
  for (const start of [...starts].sort((x, y) => x - y)) {
    const nl = buf.indexOf(NL, start);
    const last = nl + 1 === end;
    const stop = last ? nl : nl - 1;
    if (!last && buf[stop] !== 0x2c) throw corrupt(file, `lease line at byte ${start} is not followed by a comma`);
    const r = parseLeaseLine(buf, start, stop);
    if ('why' in r) throw corrupt(file, `lease line at byte ${start}: ${r.why}`);
    const why = leaseProblem(r.v);
    if (why) throw corrupt(file, `lease line at byte ${start}: ${why}`);
    const l = r.v as Lease;
    if (ids.has(l.id)) throw corrupt(file, `lease ${l.id} appears twice`);
    ids.add(l.id);
    Object.freeze(l.paths);
    if (l.meta) Object.freeze(l.meta);
    cands.push({ lease: Object.freeze(l), start, stop, next: nl + 1 });
  }
  return { ok: true, h, bodyStart, end, nextExpiry, specialAt, cands };
}

/**
 * The splice for `need` on state.json's bytes `buf` (a new snapshot of generation `gen`), or why the
 * full path must be taken. Throws E_STORE_CORRUPT as scan does.
 */
export function planSplice(buf: Buffer, file: string, need: Need, nowMs: number, gen = 0): SplicePlan {
  const sc = scan(buf, file, need, nowMs);
  if (!sc.ok) return sc;
  const { h, bodyStart, end, nextExpiry, specialAt, cands } = sc;
  const { index, version, logSize } = h.header;
  const { count, special } = index;
  const at = index.at!;
  const anchors = index.anchors!;

  const st: StateFile = {
    schemaVersion: STATE_SCHEMA_VERSION,
    version,
    logSize,
    leases: cands.map((c) => c.lease),
  };
  const prepare: Splice['prepare'] = (next) => {
    const { put, added } = matchChanges(cands, (c) => c.start, next.leases, 'splice');
    return (newLogSize) => build(next.version, newLogSize, put, added);
  };

  const build = (nextVersion: number, newLogSize: number, put: Map<Cand, Lease | null>, added: Lease[]): Buffer[] => {
    const touched = cands.filter((c) => put.get(c) !== null); // replaced (a Lease) or deleted (undefined)
    const items: Buffer[] = [];
    const newAt: number[] = [];
    const newSpecial: number[] = [];
    const newAnchors: (string[] | null)[] = [];
    let pos = 0; // offset in the new body of the next item
    let deleted = 0; // lines deleted so far (before the current point)
    let k = 0; // next old special not yet placed
    const push = (b: Buffer) => {
      if (items.length) pos += SEP.length;
      items.push(b);
      pos += b.length;
    };
    const run = (from: number, to: number) => {
      if (to <= from) return;
      const base = pos + (items.length ? SEP.length : 0);
      for (; k < at.length && bodyStart + at[k]! < to; k++) {
        newAt.push(base + (bodyStart + at[k]! - from));
        newSpecial.push(special[k]! - deleted);
        newAnchors.push(anchors[k]!);
      }
      push(buf.subarray(from, to));
    };
    let prev = bodyStart;
    for (const c of touched) {
      run(prev, c.start - SEP.length);
      const wasSpecial = specialAt.get(c.start);
      if (wasSpecial !== undefined) k = wasSpecial + 1; // its entry is replaced below (or dropped)
      const l = put.get(c);
      if (l) {
        const line = leaseLine(l);
        if (isSpecialLease(l)) {
          newAt.push(pos + (items.length ? SEP.length : 0));
          newSpecial.push(
            (wasSpecial !== undefined ? special[wasSpecial]! : lineNumber(buf, bodyStart, c.start)) - deleted,
          );
          newAnchors.push(anchorsOf(l));
        }
        push(line);
      } else deleted++;
      prev = c.next;
    }
    run(prev, end - 1);
    const kept = count - deleted;
    added.forEach((l, i) => {
      const line = leaseLine(l);
      if (isSpecialLease(l)) {
        newAt.push(pos + (items.length ? SEP.length : 0));
        newSpecial.push(kept + i);
        newAnchors.push(anchorsOf(l));
      }
      push(line);
    });
    // The new file is written from these parts as they are (writev): the untouched lines are
    // slices of the old file's bytes, never copied into one buffer.
    const parts = items.flatMap((b, i) => (i ? [SEP, b] : [b]));
    parts.push(Buffer.from(items.length ? `\n${CLOSE_LINE}` : CLOSE_LINE, 'latin1'));
    const bodyLen = parts.reduce((a, b) => a + b.length, 0);
    // liveUntil stays exact (the hooks' "is anything live" and their fallback lookup rely on it):
    // from the old value and the changed leases, unless the lease that held it went away or moved
    // inward, and then from every line's expiresAt. nextExpiry is only the writers' bound (no lease
    // expires before it): lowered by a change, never raised here; the first change at or past it
    // takes the full path, which sweeps and writes the exact earliest expiry.
    const gone = touched.map((c) => Date.parse(c.lease.expiresAt));
    const fresh = [...touched.map((c) => put.get(c)).filter((l): l is Lease => !!l), ...added].map((l) =>
      Date.parse(l.expiresAt),
    );
    const newCount = kept + added.length;
    const freshMax = Math.max(0, ...fresh);
    let liveUntil = freshMax;
    let nextExp = Math.min(count ? nextExpiry : Infinity, ...fresh);
    if (count > 0 && freshMax < index.liveUntil) {
      if (gone.some((t) => t >= index.liveUntil)) ({ liveUntil, nextExp } = expiryBounds(items, file));
      else liveUntil = index.liveUntil;
    }
    if (!newCount) {
      liveUntil = 0;
      nextExp = 0;
    }
    const ix: StateIndex = {
      count: newCount,
      liveUntil,
      special: newSpecial,
      nextExpiry: nextExp,
      at: newAt,
      anchors: newAnchors,
    };
    return [layout2Header(bodyLen, nextVersion, newLogSize, ix, { gen, marked: h.marked }), ...parts];
  };
  return { ok: true, st, prepare };
}

/** 0-based line number of the line starting at `start` (rare: a lease that becomes special). */
function lineNumber(buf: Buffer, bodyStart: number, start: number): number {
  let n = 0;
  for (let p = bodyStart; p < start; p = buf.indexOf(NL, p) + 1) n++;
  return n;
}

/**
 * The earliest and latest expiresAt of the new body's lease lines (items: runs of whole lines and
 * single lines). Each line's first expiresAt is its own: a lease is serialised with its fields
 * before `meta` and the wait records, the only places another could hide.
 */
export function expiryBounds(items: readonly Buffer[], file: string): { liveUntil: number; nextExp: number } {
  let liveUntil = 0;
  let nextExp = Infinity;
  for (const b of items)
    for (let p = 0; p < b.length;) {
      let nl = b.indexOf(NL, p);
      if (nl < 0) nl = b.length;
      const k = b.indexOf(EXPIRES, p);
      if (k < 0 || k > nl) throw corrupt(file, 'a lease line has no expiresAt');
      const t = isoMs(b, k + EXPIRES.length);
      if (Number.isNaN(t)) throw corrupt(file, 'a lease line has a bad expiresAt');
      if (t > liveUntil) liveUntil = t;
      if (t < nextExp) nextExp = t;
      p = nl + 1;
    }
  return { liveUntil, nextExp };
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written in `n` ASCII digits at `i`, or NaN. */
function digits(b: Buffer, i: number, n: number): number {
  let v = 0;
  for (let j = i; j < i + n; j++) {
    const c = b[j]! - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return v;
}

/** Date.parse of the JSON string at `s`, without making a string for the usual `YYYY-MM-DDTHH:MM:SS.sssZ`. */
function isoMs(b: Buffer, s: number): number {
  if (b[s + 4] === 0x2d && b[s + 10] === 0x54 && b[s + 19] === 0x2e && b[s + 23] === 0x5a && b[s + 24] === 0x22) {
    const yr = digits(b, s, 4);
    const mo = digits(b, s + 5, 2);
    const day = digits(b, s + 8, 2);
    const hh = digits(b, s + 11, 2);
    const mi = digits(b, s + 14, 2);
    const ss = digits(b, s + 17, 2);
    // Date.UTC rolls over (Feb 30 -> Mar 2) and reads years below 100 as 19xx, where Date.parse
    // does not: only plainly valid fields take this path (Feb 29 of any year goes to Date.parse).
    if (yr >= 1970 && mo >= 1 && mo <= 12 && day >= 1 && day <= DAYS[mo - 1]! && !(mo === 2 && day === 29))
      if (hh < 24 && mi < 60 && ss < 60) return Date.UTC(yr, mo - 1, day, hh, mi, ss, digits(b, s + 20, 3));
  }
  const q = b.indexOf(0x22, s);
  return q < 0 ? NaN : Date.parse(b.toString('utf8', s, q));
}

/**
 * How a layout 2 file's index differs from the one its leases give (undefined: it does not), for
 * `jitp doctor`: the hooks and the incremental writers trust a header whose checksum is right, so
 * a writer's bug there would otherwise go unseen. nextExpiry may be earlier than the leases'
 * earliest expiry (a bound), not later.
 */
export function indexMismatch(buf: Buffer, st: StateFile): string | undefined {
  const h = readHeader(buf);
  if (h.kind !== 'ok' || h.layout !== 2) return undefined;
  const want = readHeader(serializeIndexed(st));
  if (want.kind !== 'ok') return undefined;
  const a = h.header.index;
  const b = want.header.index;
  for (const k of ['count', 'liveUntil', 'special', 'at', 'anchors'] as const)
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) return `index ${k} does not match the leases`;
  const nx = /"nextExpiry":(\d+)[,}]/.exec(buf.toString('latin1', SUM2_END, h.bodyStart));
  const exact = st.leases.length ? Math.min(...st.leases.map((l) => Date.parse(l.expiresAt))) : 0;
  if (nx && Number(nx[1]) > exact) return 'index nextExpiry is later than the earliest expiry';
  return undefined;
}
