// The hooks' view of the local store: the live leases one call needs, without parsing the rest.
// With the indexed layout (state-format.ts) a call finds the lines naming its paths, agent and
// lease ids by byte search and parses only those (plus the few leases the index marks as globs or
// worktree-bound), so its cost does not grow with the number of leases. A file without the
// layout (older jitp), or whose checksum or header is wrong, is parsed whole and validated as
// before: the index is then rebuilt from the leases in memory, never trusted.
import { join } from 'node:path';
import type { Lease } from '../../core/model.js';
import { STATE_FILE, corrupt, leaseProblem, parseState, readStateBytes } from './snapshot-read.js';
import { CLOSE_LINE, parseLeaseLine, readHeader, stripLineSum, type HeaderRead } from './state-format.js';
import { mergeDelta, withDelta, type Delta } from './state-delta.js';

export interface LeaseQuery {
  /** Repo-relative files: leases naming the file or a folder above it (and every glob lease). */
  files?: readonly string[];
  /** Repo-relative folders: leases naming anything at or under one, or above it; `.` is everything. */
  dirs?: readonly string[];
  /** Strings a lease must be found by (agent ids, lease ids): any lease whose line holds one. */
  strings?: readonly string[];
}

export interface StateView {
  version: number;
  /** `indexed`: answered from the layout; `legacy`: a file without it; `rebuilt`: its index was wrong. */
  source: 'indexed' | 'legacy' | 'rebuilt';
  /** Why the index was not trusted (source `rebuilt`). */
  distrust?: string;
  /** False only when no lease can be live at nowMs. */
  anyLive(nowMs: number): boolean;
  /**
   * The live leases the query can need, in store order: every live lease that holds one of the
   * files or folders, or is found by one of the strings, or names a glob or a worktree. Never
   * empty while some lease is live (the emptiness of the list is itself a decision input).
   */
  select(q: LeaseQuery, nowMs: number): Lease[];
  /** Every lease (parses all of them). */
  all(): Lease[];
  /** False only when no lease can name a glob (live or not): then no glob engine is needed. */
  mayHaveGlobs(): boolean;
}

const live = (l: Lease, nowMs: number) => Date.parse(l.expiresAt) > nowMs;
const GLOB_SYNTAX = /[*?[\]{}]/;

/**
 * Whether a special lease with these anchors (state-format.ts globAnchor; null: worktree-bound,
 * always) can bear on the query: an anchor is a folder prefix of one of its files or folders, or
 * lies under one of its folders. Over-inclusion costs a parse; under-inclusion would miss a holder.
 */
function anchorsBear(anchors: string[] | null, q: LeaseQuery): boolean {
  if (anchors === null) return true;
  for (const a of anchors) {
    if (a === '') return true;
    for (const f of q.files ?? []) if (`${f}/`.startsWith(a)) return true;
    for (const d of q.dirs ?? []) if (`${d}/`.startsWith(a) || a.startsWith(`${d}/`)) return true;
  }
  return false;
}

/** A path's first segment (the whole path when it has no `/`). */
const firstSegment = (p: string) => {
  const i = p.indexOf('/');
  return i < 0 ? p : p.slice(0, i);
};

function arrayView(leases: Lease[], version: number, source: StateView['source'], distrust?: string): StateView {
  return {
    version,
    source,
    ...(distrust ? { distrust } : {}),
    anyLive: (nowMs) => leases.some((l) => live(l, nowMs)),
    select: (_q, nowMs) => leases.filter((l) => live(l, nowMs)),
    all: () => leases,
    mayHaveGlobs: () => leases.some((l) => l.paths.some((p) => GLOB_SYNTAX.test(p))),
  };
}

/**
 * JSON spellings to search for: a whole string (`"src/a.ts"`) or a string's start (`"src/`),
 * grouped by a prefix they share (`"src` for every spelling of a path under src/, or the
 * spelling itself), so that one search of the file finds the places all of a group can be.
 */
function needles(q: LeaseQuery): { whole: boolean; groups: Map<string, Set<string>> } {
  const groups = new Map<string, Set<string>>();
  const add = (prefix: string, n: string) => {
    const g = groups.get(prefix);
    if (g) g.add(n);
    else groups.set(prefix, new Set([n]));
  };
  const path = (p: string, under: boolean) => {
    const prefix = JSON.stringify(firstSegment(p)).slice(0, -1);
    add(prefix, JSON.stringify(p));
    if (under) add(prefix, JSON.stringify(`${p}/`).slice(0, -1));
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) add(prefix, JSON.stringify(p.slice(0, i)));
  };
  for (const f of q.files ?? []) path(f, false);
  for (const d of q.dirs ?? []) {
    if (d === '.' || d === '') return { whole: true, groups: new Map() };
    path(d, true);
  }
  for (const s of q.strings ?? []) add(JSON.stringify(s), JSON.stringify(s));
  return { whole: false, groups };
}

/**
 * A group's shared prefix is searched once; past this many places (a first folder every lease
 * names, such as `src`), each spelling is searched on its own instead.
 */
const GROUP_CAP = 256;

function indexedView(
  buf: Buffer,
  file: string,
  h: Extract<ReturnType<typeof readHeader>, { kind: 'ok' }>,
  delta: Delta | undefined,
): StateView {
  const { index } = h.header;
  // With a delta (state-delta.ts): its liveUntil is the store's; a snapshot line whose lease it drops
  // or replaces is skipped, and its own leases (few: it is kept small) are always candidates.
  const liveUntil = delta ? delta.liveUntil : index.liveUntil;
  const over = new Set(delta ? [...delta.drop.map((d) => d[1]), ...delta.leases.map((l) => l.id)] : []);
  const current = (l: Lease) => !over.has(l.id);
  const end = buf.length - CLOSE_LINE.length;
  const parsed = new Map<number, Lease>();
  const leaseAt = (start: number): Lease => {
    let l = parsed.get(start);
    if (l) return l;
    const nl = buf.indexOf(0x0a, start);
    const stop = buf[nl - 1] === 0x2c ? nl - 1 : nl;
    let v: unknown;
    if (h.layout === 2) {
      // Each line read is checked against its own checksum: a damaged or torn line is reported.
      const r = parseLeaseLine(buf, start, stop);
      if ('why' in r) throw corrupt(file, `lease line at byte ${start}: ${r.why}`);
      v = r.v;
    } else {
      try {
        v = JSON.parse(buf.toString('utf8', start, stop));
      } catch (e) {
        throw corrupt(file, `lease line at byte ${start}: ${(e as Error).message}`);
      }
      if (v && typeof v === 'object') v = stripLineSum(v);
    }
    const why = leaseProblem(v);
    if (why) throw corrupt(file, `lease line at byte ${start}: ${why}`);
    l = v as Lease;
    parsed.set(start, l);
    return l;
  };
  // Layout 2's special-line offsets and anchors, if well formed (the header's checksum says a
  // writer wrote them; a malformed list falls back to finding the lines by position). Filed by
  // their anchors' first folders on first use, so a question looks only at the special leases
  // whose anchors can bear on it (`always`: an empty anchor, or a worktree-bound lease).
  const { at, anchors } = index;
  let byFolder: { always: number[]; folder: Map<string, number[]> } | null | undefined =
    h.layout === 2 &&
    Array.isArray(at) &&
    Array.isArray(anchors) &&
    at.length === index.special.length &&
    anchors.length === at.length
      ? undefined
      : null;
  const fileAnchors = () => {
    if (byFolder !== undefined) return byFolder;
    const always: number[] = [];
    const folder = new Map<string, number[]>();
    for (let k = 0; k < anchors!.length; k++) {
      const as = anchors![k];
      if (as === null) {
        always.push(k);
        continue;
      }
      if (!Array.isArray(as)) return (byFolder = null);
      for (const a of as) {
        if (typeof a !== 'string') return (byFolder = null);
        if (a === '') always.push(k);
        const seg = firstSegment(a);
        const ks = folder.get(seg);
        if (ks) ks.push(k);
        else folder.set(seg, [k]);
      }
    }
    return (byFolder = { always, folder });
  };
  /** Where special line k starts: from the header's offset when it points at a line start. */
  const specialAt = (k: number): number => {
    const a = at![k]!;
    return Number.isInteger(a) && a >= 0 && h.bodyStart + a < end && buf[h.bodyStart + a - 1] === 0x0a
      ? h.bodyStart + a
      : lineStarts()[index.special[k]!]!;
  };
  // Where each searched spelling occurs (its line starts), and each group prefix (its places, or
  // null past GROUP_CAP): a call asks several questions about the same paths.
  const spellings = new Map<string, number[]>();
  const prefixes = new Map<string, number[] | null>();
  const occurrences = (n: string, cap: number): number[] | null => {
    const nb = Buffer.from(n, 'utf8');
    const out: number[] = [];
    for (let p = buf.indexOf(nb, h.bodyStart); p >= 0 && p < end; p = buf.indexOf(nb, p + 1)) {
      if (out.length === cap) return null;
      out.push(p);
    }
    return out;
  };
  const linesOf = (n: string, near: number[] | null): number[] => {
    let ls = spellings.get(n);
    if (ls) return ls;
    const nb = Buffer.from(n, 'utf8');
    const places = near
      ? near.filter((p) => p + nb.length <= end && buf.compare(nb, 0, nb.length, p, p + nb.length) === 0)
      : occurrences(n, Infinity)!;
    ls = places.map((p) => buf.lastIndexOf(0x0a, p) + 1);
    spellings.set(n, ls);
    return ls;
  };
  let starts: number[] | undefined;
  const lineStarts = (): number[] => {
    if (starts) return starts;
    starts = [];
    for (let p = h.bodyStart; p < end; p = buf.indexOf(0x0a, p) + 1) starts.push(p);
    if (starts.length !== index.count)
      throw corrupt(file, `${starts.length} lease lines, the header says ${index.count}`);
    return starts;
  };
  const all = () => mergeDelta(lineStarts().map(leaseAt), delta);
  return {
    version: delta ? delta.version : h.header.version,
    source: 'indexed',
    anyLive: (nowMs) => liveUntil > nowMs,
    all,
    // A worktree-bound lease is special too and may name globs: any special one may.
    mayHaveGlobs: () =>
      index.special.length > 0 || !!delta?.leases.some((l) => l.paths.some((p) => GLOB_SYNTAX.test(p))),
    select(q, nowMs) {
      if (!(liveUntil > nowMs)) return [];
      const { whole, groups } = needles(q);
      if (whole) return all().filter((l) => live(l, nowMs));
      const found = new Set<number>();
      for (const [prefix, ns] of groups) {
        let near = prefixes.get(prefix);
        if (near === undefined) prefixes.set(prefix, (near = ns.size > 1 ? occurrences(prefix, GROUP_CAP) : null));
        for (const n of ns) for (const l of linesOf(n, near)) found.add(l);
      }
      const filed = fileAnchors();
      if (filed) {
        // Layout 2 says where each special line is and which paths its globs can match.
        const ks = new Set(filed.always);
        for (const p of [...(q.files ?? []), ...(q.dirs ?? [])])
          for (const k of filed.folder.get(firstSegment(p)) ?? []) ks.add(k);
        for (const k of ks) if (anchorsBear(anchors![k]!, q)) found.add(specialAt(k));
      } else if (index.special.length) for (const i of index.special) found.add(lineStarts()[i]!);
      let out = [...found]
        .sort((a, b) => a - b)
        .map(leaseAt)
        .filter((l) => live(l, nowMs) && current(l));
      if (delta) out.push(...delta.leases.filter((l) => live(l, nowMs)));
      if (!out.length) {
        // Some lease is live (liveUntil says so) but none is relevant: hand over one, so that
        // "no lease is live" is never concluded from a selection.
        const latest = Buffer.from(`"expiresAt":${JSON.stringify(new Date(liveUntil).toISOString())}`);
        const at = buf.indexOf(latest, h.bodyStart);
        const hit = at >= 0 && at < end ? leaseAt(buf.lastIndexOf(0x0a, at) + 1) : undefined;
        const one = hit && live(hit, nowMs) && current(hit) ? hit : all().find((l) => live(l, nowMs));
        if (one) out = [one];
      }
      return out;
    },
  };
}

/** The store's state as a view (the snapshot and its delta); undefined when the store has never been written. */
export function readStateView(storeDir: string): StateView | undefined {
  const file = join(storeDir, STATE_FILE);
  const r = withDelta(storeDir, () => {
    const buf = readStateBytes(storeDir);
    return buf && genOf(buf, file);
  });
  return r && viewOfBytes(r.snap.buf, file, r.snap.header, r.delta);
}

/** state.json's bytes with their header and generation (a file without a checked header is parsed for it). */
export function genOf(buf: Buffer, file: string): { buf: Buffer; header: HeaderRead; gen: number } {
  const header = readHeader(buf);
  const gen = header.kind === 'ok' ? header.header.gen : (parseState(buf.toString('utf8'), file).gen ?? 0);
  return { buf, header, gen };
}

/**
 * A view of state.json's bytes, already read (and its header, when already checked), with the delta
 * of the same generation, if any (state-delta.ts).
 */
export function viewOfBytes(buf: Buffer, file: string, header?: HeaderRead, delta?: Delta): StateView {
  const h = header ?? readHeader(buf);
  if (h.kind === 'ok') return indexedView(buf, file, h, delta);
  const st = parseState(buf.toString('utf8'), file);
  const leases = mergeDelta(st.leases, delta);
  const version = delta ? delta.version : st.version;
  return h.kind === 'legacy' ? arrayView(leases, version, 'legacy') : arrayView(leases, version, 'rebuilt', h.why);
}
