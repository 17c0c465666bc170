// The writers' delta path (state-delta.ts): a change commits a new state.delta.json, a few KB,
// instead of a new state.json. It finds its candidates in the snapshot as the splice does
// (state-splice.ts scan: the lines the change can need, checked and parsed), drops those the delta
// removes or replaces, adds every lease of the delta (few, and any of them may matter: a byte search
// of the snapshot cannot find them), runs the same pure rule on them and writes the delta with the
// rule's answer folded in. Exact for the same reasons as the splice (taken only before the store's
// nextExpiry, so the rule sweeps nothing; every lease that can overlap a wanted path is shown),
// and the leases are shown in store order (the order a whole rewrite keeps), so a refusal names the
// same holder.
import type { Lease } from '../../core/model.js';
import { STATE_SCHEMA_VERSION, corrupt, type StateFile } from './snapshot-read.js';
import { expiryBounds, matchChanges, scan, type Need } from './state-splice.js';
import { serializeDelta, type Delta } from './state-delta.js';
import type { Bloom } from './state-bloom.js';

interface Entry {
  lease: Lease;
  /** The snapshot line it is (or replaces): its start in state.json; -1 for a lease the snapshot does not have. */
  at: number;
}

export interface DeltaWrite {
  st: StateFile;
  /** Checks the rule's answer (no reordering) and returns the writer of the new delta for a log size. */
  prepare(next: { version: number; leases: readonly Lease[] }): (logSize: number) => Buffer;
}

const NL = 0x0a;
const expiry = (l: Lease) => Date.parse(l.expiresAt);

/** The expiresAt of the snapshot line starting at `a` (its first one is the lease's own: state-splice.ts). */
function lineExpiry(buf: Buffer, a: number, file: string): number {
  const nl = buf.indexOf(NL, a);
  const b = expiryBounds([buf.subarray(a, nl < 0 ? buf.length : nl)], file);
  return b.liveUntil;
}

/**
 * The delta path for `need` on state.json's bytes `buf` (generation `gen`) and its current delta
 * (undefined: none, or a stale one), or why the full path must be taken. E_STORE_CORRUPT for a
 * damaged line it reads, or a delta that does not fit the snapshot.
 */
export function planDelta(
  buf: Buffer,
  file: string,
  deltaFile: string,
  need: Need,
  nowMs: number,
  delta: Delta | undefined,
  gen: number,
  bloom?: Bloom,
): ({ ok: true } & DeltaWrite) | { ok: false; why: string } {
  const sc = scan(buf, file, need, nowMs, delta && { count: delta.count, nextExpiry: delta.nextExpiry }, bloom);
  if (!sc.ok) return sc;
  const { h, bodyStart, end, cands } = sc;
  const { index } = h.header;
  // The delta by snapshot line: dropped (null) or replaced; and the leases the snapshot lacks.
  const over = new Map<number, { id: string; lease: Lease | null }>();
  const fresh: Lease[] = [];
  const freeze = (l: Lease) => {
    Object.freeze(l.paths);
    if (l.meta) Object.freeze(l.meta);
    return Object.freeze(l);
  };
  for (const [a, id] of delta?.drop ?? []) over.set(a, { id, lease: null });
  delta?.leases.forEach((l, i) => {
    const a = delta.at[i]!;
    if (a === -1) fresh.push(freeze(l));
    else over.set(a, { id: l.id, lease: freeze(l) });
  });
  for (const a of over.keys())
    if (!(a >= bodyStart && a < end && buf[a - 1] === NL))
      throw corrupt(deltaFile, `offset ${a} is not the start of a lease line of state.json`);
  const freshIds = new Set(fresh.map((l) => l.id));
  const entries: Entry[] = [];
  const found = new Set<number>();
  for (const c of cands) {
    const o = over.get(c.start);
    if (o && o.id !== c.lease.id)
      throw corrupt(deltaFile, `the line at byte ${c.start} of state.json holds lease ${c.lease.id}, not ${o.id}`);
    if (!o && freshIds.has(c.lease.id)) throw corrupt(deltaFile, `lease ${c.lease.id} is in state.json already`);
    found.add(c.start);
    if (!o) entries.push({ lease: c.lease, at: c.start });
    else if (o.lease) entries.push({ lease: o.lease, at: c.start });
  }
  for (const [a, o] of over) if (o.lease && !found.has(a)) entries.push({ lease: o.lease, at: a });
  entries.sort((x, y) => x.at - y.at);
  for (const l of fresh) entries.push({ lease: l, at: -1 });

  const st: StateFile = {
    schemaVersion: STATE_SCHEMA_VERSION,
    version: delta ? delta.version : h.header.version,
    logSize: delta ? delta.logSize : h.header.logSize,
    leases: entries.map((e) => e.lease),
  };
  const oldCount = delta ? delta.count : index.count;
  const oldLive = delta ? delta.liveUntil : index.liveUntil;
  const oldNext = delta ? delta.nextExpiry : sc.nextExpiry;

  const prepare: DeltaWrite['prepare'] = (next) => {
    const pos = new Map(entries.map((e, k) => [e, k]));
    const { put, added } = matchChanges(entries, (e) => pos.get(e)!, next.leases, 'delta');
    const newOver = new Map(over);
    const newFresh = [...fresh];
    const gone: number[] = [];
    const born: number[] = [];
    for (const e of entries) {
      const n = put.get(e);
      if (n === null) continue;
      gone.push(Date.parse(e.lease.expiresAt));
      if (n) born.push(Date.parse(n.expiresAt));
      if (e.at >= 0) newOver.set(e.at, { id: e.lease.id, lease: n ?? null });
      else {
        const i = newFresh.indexOf(e.lease);
        if (n) newFresh[i] = n;
        else newFresh.splice(i, 1);
      }
    }
    for (const l of added) {
      newFresh.push(l);
      born.push(Date.parse(l.expiresAt));
    }
    const sorted = [...newOver].sort((x, y) => x[0] - y[0]);
    const drop = sorted.filter(([, o]) => !o.lease).map(([a, o]): [number, string] => [a, o.id]);
    const repl = sorted.filter(([, o]) => o.lease);
    const leases = [...repl.map(([, o]) => o.lease!), ...newFresh];
    const count = index.count - drop.length + newFresh.length;
    // liveUntil exact, nextExpiry a bound, as the splice keeps them (state-splice.ts build).
    const bornMax = Math.max(0, ...born);
    let liveUntil = bornMax;
    let nextExpiry = Math.min(oldCount ? oldNext : Infinity, ...born);
    if (oldCount > 0 && bornMax < oldLive) {
      if (gone.some((t) => t >= oldLive)) {
        // The snapshot's liveUntil is exact for its own lines: unless a line the delta overrides
        // held it, the store's is the larger of it and the delta's leases' (no scan). Else scan.
        const held = [...newOver.keys()].some((a) => lineExpiry(buf, a, file) >= index.liveUntil);
        const b = held ? rescan(buf, file, bodyStart, end, newOver, leases) : undefined;
        liveUntil = b ? b.liveUntil : Math.max(index.count ? index.liveUntil : 0, ...leases.map(expiry));
        if (b) nextExpiry = b.nextExp;
      } else liveUntil = oldLive;
    }
    if (!count) {
      liveUntil = 0;
      nextExpiry = 0;
    }
    return (logSize) =>
      serializeDelta({
        gen,
        version: next.version,
        logSize,
        count,
        liveUntil,
        nextExpiry: Number.isFinite(nextExpiry) ? nextExpiry : 0,
        drop,
        at: [...repl.map(([a]) => a), ...newFresh.map(() => -1)],
        leases,
      });
  };
  return { ok: true, st, prepare };
}

/**
 * The earliest and latest expiresAt of the store: the snapshot's lines the delta does not override
 * (a byte scan, as the splice's), and the delta's leases.
 */
function rescan(
  buf: Buffer,
  file: string,
  bodyStart: number,
  end: number,
  over: ReadonlyMap<number, unknown>,
  leases: readonly Lease[],
): { liveUntil: number; nextExp: number } {
  const runs: Buffer[] = [];
  let prev = bodyStart;
  for (const a of [...over.keys()].sort((x, y) => x - y)) {
    if (a - 1 > prev) runs.push(buf.subarray(prev, a - 1));
    prev = buf.indexOf(NL, a) + 1;
  }
  if (end - 1 > prev) runs.push(buf.subarray(prev, end - 1));
  const b = expiryBounds(runs, file);
  for (const l of leases) {
    const t = Date.parse(l.expiresAt);
    if (t > b.liveUntil) b.liveUntil = t;
    if (t < b.nextExp) b.nextExp = t;
  }
  return b;
}
