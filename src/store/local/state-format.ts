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
}

export interface StateHeader {
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
  const special: number[] = [];
  leases.forEach((l, i) => {
    const t = Date.parse(l.expiresAt);
    if (t > liveUntil) liveUntil = t;
    if (isSpecialLease(l)) special.push(i);
  });
  return { count: leases.length, liveUntil, special };
}

/**
 * Lines already written, to copy instead of serialising again: a lease object (read from `src`)
 * -> the byte range of its line there (the JSON.stringify of that very object).
 */
export interface SourceLines {
  src: Buffer;
  at: ReadonlyMap<Lease, { start: number; end: number }>;
}

/** The indexed document for a snapshot, checksum included. */
export function serializeIndexed(
  st: { version: number; logSize: number; leases: readonly Lease[] },
  lines?: SourceLines,
): Buffer {
  const head = JSON.stringify({ version: st.version, logSize: st.logSize, index: indexOf(st.leases) }).slice(1, -1);
  const parts: Uint8Array[] = [Buffer.from(`${INDEXED_PREFIX}00000000",${head}${LEASES_OPEN}`, 'utf8')];
  const sep = Buffer.from(',\n');
  // Leases kept from the source are mostly in a row: each run of them is one copy.
  let run: { start: number; end: number } | undefined;
  const flush = () => {
    if (run) parts.push(lines!.src.subarray(run.start, run.end));
    run = undefined;
  };
  st.leases.forEach((l, i) => {
    const r = lines?.at.get(l);
    if (r && run && r.start === run.end + sep.length) {
      run.end = r.end;
      return;
    }
    flush();
    if (i) parts.push(sep);
    if (r) run = { ...r };
    else parts.push(Buffer.from(JSON.stringify(l), 'utf8'));
  });
  flush();
  parts.push(Buffer.from(st.leases.length ? `\n${CLOSE_LINE}` : CLOSE_LINE));
  const buf = Buffer.concat(parts);
  buf.write(checksum(buf, SUM_END), INDEXED_PREFIX.length, 'latin1');
  return buf;
}

export type HeaderRead =
  { kind: 'legacy' } | { kind: 'bad'; why: string } | { kind: 'ok'; header: StateHeader; bodyStart: number };

const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;

/**
 * Checks the checksum and reads the header line. `legacy`: a state file written before the
 * indexed layout (or by hand): parse it whole. `bad`: the layout is there but cannot be trusted
 * (checksum or header wrong): parse it whole, which also says whether the document itself is
 * damaged.
 */
export function readHeader(buf: Buffer): HeaderRead {
  if (buf.length < SUM_END || buf.toString('latin1', 0, INDEXED_PREFIX.length) !== INDEXED_PREFIX)
    return { kind: 'legacy' };
  const sum = buf.toString('latin1', INDEXED_PREFIX.length, SUM_END - 1);
  if (checksum(buf, SUM_END) !== sum) return { kind: 'bad', why: 'checksum mismatch' };
  const nl = buf.indexOf(0x0a);
  const first = nl < 0 ? '' : buf.toString('utf8', SUM_END, nl);
  if (!first.endsWith(LEASES_OPEN.slice(0, -1))) return { kind: 'bad', why: 'header line' };
  let h: Record<string, unknown>;
  try {
    h = JSON.parse(`{${first.slice(1, -LEASES_OPEN.length + 1)}}`) as Record<string, unknown>;
  } catch {
    return { kind: 'bad', why: 'header line' };
  }
  const ix = h.index as Record<string, unknown> | undefined;
  if (
    !isInt(h.version) ||
    !isInt(h.logSize) ||
    !ix ||
    !isInt(ix.count) ||
    !isInt(ix.liveUntil) ||
    !Array.isArray(ix.special) ||
    !ix.special.every((i) => isInt(i) && i < (ix.count as number))
  )
    return { kind: 'bad', why: 'header fields' };
  return {
    kind: 'ok',
    header: {
      version: h.version,
      logSize: h.logSize,
      index: { count: ix.count, liveUntil: ix.liveUntil, special: ix.special as number[] },
    },
    bodyStart: nl + 1,
  };
}

/**
 * The front door's read of state.json, handed to the handler it loads in the same process, so a
 * hook call reads and checks the file once (separate bundles: a global symbol is what they share).
 */
export const STATE_HANDOFF = Symbol.for('jit-parallel.state-bytes');
export type StateHandoff = { file: string; buf: Buffer; header: HeaderRead };
