// The hooks' view of the local store: the live leases one call needs, without parsing the rest.
// With the indexed layout (state-format.ts) a call finds the lines naming its paths, agent and
// lease ids by byte search and parses only those (plus the few leases the index marks as globs or
// worktree-bound), so its cost does not grow with the number of leases. A file without the
// layout (older jitp), or whose checksum or header is wrong, is parsed whole and validated as
// before: the index is then rebuilt from the leases in memory, never trusted.
import { join } from 'node:path';
import type { Lease } from '../../core/model.js';
import { STATE_FILE, corrupt, leaseProblem, parseState, readStateBytes } from './snapshot-read.js';
import { CLOSE_LINE, readHeader, type HeaderRead } from './state-format.js';

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
}

const live = (l: Lease, nowMs: number) => Date.parse(l.expiresAt) > nowMs;

function arrayView(leases: Lease[], version: number, source: StateView['source'], distrust?: string): StateView {
  return {
    version,
    source,
    ...(distrust ? { distrust } : {}),
    anyLive: (nowMs) => leases.some((l) => live(l, nowMs)),
    select: (_q, nowMs) => leases.filter((l) => live(l, nowMs)),
    all: () => leases,
  };
}

/** JSON spellings to search for: a whole string (`"src/a.ts"`) or a string's start (`"src/`). */
function needles(q: LeaseQuery): { whole: boolean; list: string[] } {
  const list = new Set<string>();
  const ancestors = (p: string) => {
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) list.add(JSON.stringify(p.slice(0, i)));
  };
  for (const f of q.files ?? []) {
    list.add(JSON.stringify(f));
    ancestors(f);
  }
  for (const d of q.dirs ?? []) {
    if (d === '.' || d === '') return { whole: true, list: [] };
    list.add(JSON.stringify(d));
    list.add(JSON.stringify(`${d}/`).slice(0, -1));
    ancestors(d);
  }
  for (const s of q.strings ?? []) list.add(JSON.stringify(s));
  return { whole: false, list: [...list] };
}

function indexedView(buf: Buffer, file: string, h: Extract<ReturnType<typeof readHeader>, { kind: 'ok' }>): StateView {
  const { index } = h.header;
  const end = buf.length - CLOSE_LINE.length;
  const parsed = new Map<number, Lease>();
  const leaseAt = (start: number): Lease => {
    let l = parsed.get(start);
    if (l) return l;
    const nl = buf.indexOf(0x0a, start);
    let text = buf.toString('utf8', start, nl);
    if (text.endsWith(',')) text = text.slice(0, -1);
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch (e) {
      throw corrupt(file, `lease line at byte ${start}: ${(e as Error).message}`);
    }
    const why = leaseProblem(v);
    if (why) throw corrupt(file, `lease line at byte ${start}: ${why}`);
    l = v as Lease;
    parsed.set(start, l);
    return l;
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
  const all = () => lineStarts().map(leaseAt);
  return {
    version: h.header.version,
    source: 'indexed',
    anyLive: (nowMs) => index.liveUntil > nowMs,
    all,
    select(q, nowMs) {
      if (!(index.liveUntil > nowMs)) return [];
      const { whole, list } = needles(q);
      if (whole) return all().filter((l) => live(l, nowMs));
      const found = new Set<number>();
      for (const n of list) {
        const nb = Buffer.from(n, 'utf8');
        for (let at = buf.indexOf(nb, h.bodyStart); at >= 0 && at < end; at = buf.indexOf(nb, at + nb.length))
          found.add(buf.lastIndexOf(0x0a, at) + 1);
      }
      if (index.special.length) for (const i of index.special) found.add(lineStarts()[i]!);
      let out = [...found]
        .sort((a, b) => a - b)
        .map(leaseAt)
        .filter((l) => live(l, nowMs));
      if (!out.length) {
        // Some lease is live (liveUntil says so) but none is relevant: hand over one, so that
        // "no lease is live" is never concluded from a selection.
        const latest = Buffer.from(`"expiresAt":${JSON.stringify(new Date(index.liveUntil).toISOString())}`);
        const at = buf.indexOf(latest, h.bodyStart);
        const hit = at >= 0 && at < end ? leaseAt(buf.lastIndexOf(0x0a, at) + 1) : undefined;
        const one = hit && live(hit, nowMs) ? hit : all().find((l) => live(l, nowMs));
        if (one) out = [one];
      }
      return out;
    },
  };
}

/** The store's state as a view; undefined when the store has never been written. */
export function readStateView(storeDir: string): StateView | undefined {
  const buf = readStateBytes(storeDir);
  return buf && viewOfBytes(buf, join(storeDir, STATE_FILE));
}

/** A view of state.json's bytes, already read (and its header, when already checked). */
export function viewOfBytes(buf: Buffer, file: string, header?: HeaderRead): StateView {
  const h = header ?? readHeader(buf);
  if (h.kind === 'ok') return indexedView(buf, file, h);
  const st = parseState(buf.toString('utf8'), file);
  return h.kind === 'legacy'
    ? arrayView(st.leases, st.version, 'legacy')
    : arrayView(st.leases, st.version, 'rebuilt', h.why);
}
