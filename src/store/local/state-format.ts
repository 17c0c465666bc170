// The indexed layout of state.json (docs/store.md, "state.json layout"). Still one JSON document
// (any JSON reader, and a jitp that predates the layout, reads it as before), but laid out so that
// a hook can answer from a few lines of a 1,000-lease store without parsing the rest:
//
//   {"schemaVersion":1,"sum":"<8 hex>","version":7,"logSize":912,"index":{…},"leases":[
//   {…lease…},
//   {…lease…}
//   ]}
//
// Line 1 is the header; each lease is one line (JSON.stringify, so a path is always spelled the
// same way and a reader can find the lines that name it with a byte search); the last line closes
// the document. `sum` is a checksum of every byte after it: a reader that finds it wrong does not
// trust the index and falls back to parsing the whole document (from which the index is derived).
// Imports nothing: it is on the hooks' hot path.
import type { Lease } from '../../core/model.js';

export const INDEXED_PREFIX = '{"schemaVersion":1,"sum":"';
/** Bytes before the checksummed region: the prefix, 8 hex digits and the closing quote. */
export const SUM_END = INDEXED_PREFIX.length + 9;
const LEASES_OPEN = ',"leases":[\n';
export const CLOSE_LINE = ']}\n';
/** Layout 2 (see serializeIndexed): the header's own checksum covers the rest of line 1. */
export const LAYOUT2_PREFIX = '{"schemaVersion":1,"hsum":"';
export const SUM2_END = LAYOUT2_PREFIX.length + 9;
/**
 * Layout 2 of a store that may have a delta (state-delta.ts): schema 2, and the leases under
 * `base`, not `leases`. A jitp that does not know the delta would miss its leases: with schema 2 its
 * readers and writers refuse the file (E_STORE_SCHEMA, "update the plugin"), and its hooks' fast
 * check, which looks only at `leases`, finds no list there and goes on to the reader that refuses.
 */
export const MARKED_PREFIX = '{"schemaVersion":2,"hsum":"';
const BASE_OPEN = ',"base":[\n';
/** Each layout 2 lease line starts with its checksum, which covers the rest of the line. */
const LINE_PREFIX = '{"lineSum":"';
const LINE_SUM_END = LINE_PREFIX.length + 10;
/** Where a glob's literal part may end: glob syntax, escapes and extglob openers. */
const ANCHOR_STOP = /[*?[\]{}\\()!+@]/;

/** Derived from the leases; never authoritative (the whole document is, when in doubt). */
export interface StateIndex {
  /** Number of lease lines. */
  count: number;
  /** The latest expiresAt of any lease (ms since epoch); nothing is live from then on. */
  liveUntil: number;
  /**
   * Positions (0-based, store order) of the leases a path search cannot find: those naming a
   * glob, and those bound to a worktree (found by folder, not by name).
   */
  special: number[];
  /** Layout 2: the byte offset of each special lease's line, from the first lease line. */
  at?: number[];
  /**
   * Layout 2: per special lease, the anchors of its globs (globAnchor): a question about a path
   * no anchor is a folder prefix of (or, for a folder, under) does not need it. null: always.
   */
  anchors?: (string[] | null)[];
  /**
   * No lease expires before this (ms; 0 when there is none): until then a writer has nothing to
   * sweep and may splice the file (state-splice.ts). A full rewrite writes the earliest expiresAt;
   * a splice keeps or lowers it (it does not read every line).
   */
  nextExpiry?: number;
}

export interface StateHeader {
  /** The snapshot's generation: every snapshot write adds one; a delta applies to its generation only. */
  gen: number;
  version: number;
  logSize: number;
  index: StateIndex;
}

/** Glob syntax, as the lease index reads it (core/lease-index-core.ts), plus escapes. */
const SPECIAL_PATH = /[*?[\]{}\\]/;

export const isSpecialLease = (l: Lease): boolean =>
  (l.worktree !== null && l.worktree !== undefined) || l.paths.some((p) => SPECIAL_PATH.test(p));

/** FNV-1a (32 bit) over bytes [from, to): cheap enough for every hook call, catches any edit. */
export function checksum(buf: Uint8Array, from: number, to = buf.length): string {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function indexOf(leases: readonly Lease[]): StateIndex {
  let liveUntil = 0;
  let nextExpiry = Infinity;
  const special: number[] = [];
  leases.forEach((l, i) => {
    const t = Date.parse(l.expiresAt);
    if (t > liveUntil) liveUntil = t;
    if (t < nextExpiry) nextExpiry = t;
    if (isSpecialLease(l)) special.push(i);
  });
  return { count: leases.length, liveUntil, special, nextExpiry: leases.length ? nextExpiry : 0 };
}

/**
 * Lines already written, to copy instead of serialising again: a lease object (read from `src`)
 * -> the byte range of its line there (the JSON.stringify of that very object).
 */
export interface SourceLines {
  src: Buffer;
  at: ReadonlyMap<Lease, { start: number; end: number }>;
}

/**
 * Layout 1 (whole-file checksum), as jitp wrote it before layout 2. Still read (readHeader); kept
 * as a writer only so tests can make such files.
 */
export function serializeLayout1(st: { version: number; logSize: number; leases: readonly Lease[] }): Buffer {
  const ix = indexOf(st.leases);
  const head = JSON.stringify({
    version: st.version,
    logSize: st.logSize,
    index: { count: ix.count, liveUntil: ix.liveUntil, special: ix.special },
  }).slice(1, -1);
  const body = st.leases.map((l) => JSON.stringify(l)).join(',\n');
  const buf = Buffer.from(
    `${INDEXED_PREFIX}00000000",${head}${LEASES_OPEN}${body}${st.leases.length ? '\n' : ''}${CLOSE_LINE}`,
    'utf8',
  );
  buf.write(checksum(buf, SUM_END), INDEXED_PREFIX.length, 'latin1');
  return buf;
}

/** A lease's layout 2 line (without the `,` that follows all but the last): its sum, then the lease. */
export function leaseLine(l: Lease): Buffer {
  const rest = Buffer.from(JSON.stringify(stripLineSum(l)).slice(1), 'utf8');
  if (rest.length < 2) throw new Error('a lease has no fields'); // never: every lease has an id
  const head = Buffer.from(`${LINE_PREFIX}${checksum(rest, 0)}",`, 'latin1');
  return Buffer.concat([head, rest]);
}

/** The lease without the `lineSum` a layout 2 line carries (a reader drops it; never stored twice). */
export function stripLineSum<T extends object>(l: T): T {
  if (!Object.prototype.hasOwnProperty.call(l, 'lineSum')) return l;
  const { lineSum: _drop, ...rest } = l as T & { lineSum?: unknown };
  return rest as T;
}

/**
 * Verifies one layout 2 lease line, bytes [start, stop) (no trailing comma), and parses it; the
 * reason it is bad otherwise. The lease comes back without its `lineSum`.
 */
export function parseLeaseLine(buf: Buffer, start: number, stop: number): { v: unknown } | { why: string } {
  if (stop - start < LINE_SUM_END + 2 || buf.toString('latin1', start, start + LINE_PREFIX.length) !== LINE_PREFIX)
    return { why: 'no line checksum' };
  const sum = buf.toString('latin1', start + LINE_PREFIX.length, start + LINE_PREFIX.length + 8);
  if (buf[start + LINE_SUM_END - 2] !== 0x22 || buf[start + LINE_SUM_END - 1] !== 0x2c)
    return { why: 'no line checksum' };
  if (checksum(buf, start + LINE_SUM_END, stop) !== sum) return { why: 'line checksum mismatch (damaged or torn)' };
  let v: unknown;
  try {
    v = JSON.parse(buf.toString('utf8', start, stop));
  } catch (e) {
    return { why: (e as Error).message };
  }
  if (v && typeof v === 'object') delete (v as { lineSum?: unknown }).lineSum;
  return { v };
}

/**
 * The literal folder a glob's matches all start with (`pkg12/` for `pkg12/**`, `` for `**\/x`):
 * cut at the first character any glob syntax may use, then back to the last `/`.
 */
export function globAnchor(p: string): string {
  const m = ANCHOR_STOP.exec(p);
  const lit = m ? p.slice(0, m.index) : p;
  return lit.slice(0, lit.lastIndexOf('/') + 1);
}

/**
 * Layout 2 of a snapshot: every lease line carries its own checksum and the header its own (and
 * the body's length), so a hook checks only what it reads. `lines`: unchanged lines to copy.
 */
export function serializeIndexed(
  st: { version: number; logSize: number; leases: readonly Lease[] },
  lines?: SourceLines,
  form: SnapshotForm = {},
): Buffer {
  const parts: Uint8Array[] = [];
  const sep = Buffer.from(',\n');
  const offs: number[] = [];
  let pos = 0;
  // Leases kept from the source are mostly in a row: each run of them is one copy.
  let run: { start: number; end: number } | undefined;
  const flush = () => {
    if (run) parts.push(lines!.src.subarray(run.start, run.end));
    run = undefined;
  };
  st.leases.forEach((l, i) => {
    const r = lines?.at.get(l);
    if (r && run && r.start === run.end + sep.length) {
      offs.push(pos + sep.length);
      pos += sep.length + (r.end - r.start);
      run.end = r.end;
      return;
    }
    flush();
    if (i) {
      parts.push(sep);
      pos += sep.length;
    }
    offs.push(pos);
    if (r) {
      run = { ...r };
      pos += r.end - r.start;
    } else {
      const b = leaseLine(l);
      parts.push(b);
      pos += b.length;
    }
  });
  flush();
  parts.push(Buffer.from(st.leases.length ? `\n${CLOSE_LINE}` : CLOSE_LINE));
  const ix = indexOf(st.leases);
  const index: StateIndex = {
    ...ix,
    at: ix.special.map((i) => offs[i]!),
    anchors: ix.special.map((i) => anchorsOf(st.leases[i]!)),
  };
  const bodyLen = pos + (st.leases.length ? 1 : 0) + CLOSE_LINE.length;
  return Buffer.concat([layout2Header(bodyLen, st.version, st.logSize, index, form), ...parts]);
}

/** How a snapshot is written: its generation, and whether it is marked (schema 2: a delta may apply). */
export interface SnapshotForm {
  gen?: number;
  marked?: boolean;
}

/** Layout 2's header line (the splice writes it too: both must be the same bytes). */
export function layout2Header(
  bodyLen: number,
  version: number,
  logSize: number,
  index: StateIndex,
  form: SnapshotForm,
): Buffer {
  const head = JSON.stringify({ bodyLen, gen: form.gen ?? 0, version, logSize, index }).slice(1, -1);
  const prefix = form.marked ? MARKED_PREFIX : LAYOUT2_PREFIX;
  const b = Buffer.from(`${prefix}00000000",${head}${form.marked ? BASE_OPEN : LEASES_OPEN}`, 'utf8');
  b.write(checksum(b, SUM2_END), prefix.length, 'latin1');
  return b;
}

/** null: a worktree-bound lease (found by folder, always read); else its globs' anchors. */
export function anchorsOf(l: Lease): string[] | null {
  if (l.worktree !== null && l.worktree !== undefined) return null;
  return [...new Set(l.paths.filter((p) => SPECIAL_PATH.test(p)).map(globAnchor))];
}

export type HeaderRead =
  | { kind: 'legacy' }
  | { kind: 'bad'; why: string }
  | { kind: 'ok'; layout: 1 | 2; header: StateHeader; bodyStart: number; marked: boolean };

export const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/**
 * Checks the checksum and reads the header line. `legacy`: a state file written before the
 * indexed layout (or by hand): parse it whole. `bad`: the layout is there but cannot be trusted
 * (checksum or header wrong): parse it whole, which also says whether the document itself is
 * damaged.
 */
export function readHeader(buf: Buffer): HeaderRead {
  const p = buf.length >= SUM2_END ? buf.toString('latin1', 0, LAYOUT2_PREFIX.length) : '';
  if (p === LAYOUT2_PREFIX || p === MARKED_PREFIX) return readHeader2(buf, p === MARKED_PREFIX);
  if (buf.length < SUM_END || buf.toString('latin1', 0, INDEXED_PREFIX.length) !== INDEXED_PREFIX)
    return { kind: 'legacy' };
  const sum = buf.toString('latin1', INDEXED_PREFIX.length, SUM_END - 1);
  if (checksum(buf, SUM_END) !== sum) return { kind: 'bad', why: 'checksum mismatch' };
  const nl = buf.indexOf(0x0a);
  const first = nl < 0 ? '' : buf.toString('utf8', SUM_END, nl);
  const h = headerFields(first, LEASES_OPEN);
  if (typeof h === 'string') return { kind: 'bad', why: h };
  return { kind: 'ok', layout: 1, header: h, bodyStart: nl + 1, marked: false };
}

/**
 * Layout 2: only line 1 is checked here (its checksum, and the body's length, which catches a
 * cut file); each lease line is checked when it is read (parseLeaseLine).
 */
function readHeader2(buf: Buffer, marked: boolean): HeaderRead {
  const nl = buf.indexOf(0x0a);
  if (nl < 0) return { kind: 'bad', why: 'header line' };
  const sum = buf.toString('latin1', LAYOUT2_PREFIX.length, SUM2_END - 1);
  if (checksum(buf, SUM2_END, nl + 1) !== sum) return { kind: 'bad', why: 'header checksum mismatch' };
  const h = headerFields(buf.toString('utf8', SUM2_END, nl), marked ? BASE_OPEN : LEASES_OPEN);
  if (typeof h === 'string') return { kind: 'bad', why: h };
  // A cut (or grown) file: its length is not the header's.
  if (h.bodyLen !== buf.length - nl - 1) return { kind: 'bad', why: 'file length' };
  return { kind: 'ok', layout: 2, header: h, bodyStart: nl + 1, marked };
}

/** The header line's fields (after the checksum), or why they are wrong. */
function headerFields(first: string, open: string): (StateHeader & { bodyLen?: number }) | string {
  if (!first.endsWith(open.slice(0, -1))) return 'header line';
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(`{${first.slice(1, -open.length + 1)}}`) as Record<string, unknown>;
  } catch {
    return 'header line';
  }
  const ix = h.index as Record<string, unknown> | undefined;
  if (
    !isInt(h.version) ||
    !isInt(h.logSize) ||
    (h.gen !== undefined && !isInt(h.gen)) ||
    (h.bodyLen !== undefined && !isInt(h.bodyLen)) ||
    !ix ||
    !isInt(ix.count) ||
    !isInt(ix.liveUntil) ||
    !Array.isArray(ix.special) ||
    !ix.special.every((i) => isInt(i) && i < (ix.count as number))
  )
    return 'header fields';
  return {
    gen: (h.gen as number | undefined) ?? 0,
    version: h.version,
    logSize: h.logSize,
    bodyLen: h.bodyLen as number | undefined,
    index: {
      count: ix.count,
      liveUntil: ix.liveUntil,
      special: ix.special as number[],
      // Layout 2's, checked where used (state-view.ts).
      at: ix.at as number[] | undefined,
      anchors: ix.anchors as (string[] | null)[] | undefined,
    },
  };
}

// The delta beside the snapshot (state-delta.ts): its name and its checked JSON are here, for the
// hooks' front door, which must not load the rest.
export const DELTA_FILE = 'state.delta.json';
export const DSUM_PREFIX = '{"dsum":"';
export const DSUM_END = DSUM_PREFIX.length + 9;
/** The delta's JSON, its checksum checked; or why it is damaged. Enough for the hooks' fast check. */
export function deltaDoc(buf: Buffer): Record<string, unknown> | string {
  if (buf.length < DSUM_END || buf.toString('latin1', 0, DSUM_PREFIX.length) !== DSUM_PREFIX) return 'no checksum';
  if (checksum(buf, DSUM_END) !== buf.toString('latin1', DSUM_PREFIX.length, DSUM_END - 1)) return 'checksum mismatch';
  try {
    const v: unknown = JSON.parse(buf.toString('utf8'));
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : 'not a JSON object';
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * The front door's read of state.json, handed to the handler it loads in the same process, so a
 * hook call reads and checks the file once (separate bundles: a global symbol is what they share).
 */
export const STATE_HANDOFF = Symbol.for('jit-parallel.state-bytes');
export type StateHandoff = { file: string; buf: Buffer; header: HeaderRead };
