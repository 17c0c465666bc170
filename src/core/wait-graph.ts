// One step of `jitp claim wait`, decided over a snapshot: take the path now, keep waiting, or
// yield because the wait closes a cycle in the wait-for graph. Pure; the CLI polls the store and
// calls this each time (docs/wait.md).
//
// The graph: a lease W that waits for path P (its `waiting` record, not stale) points at every
// other live, unfinished lease holding an entry that overlaps P. Finished leases are no edge: their
// files pass to a waiter at once. A cycle through the caller is a deadlock; exactly one lease of
// the cycle yields, the youngest waiter (latest `since`, then the larger lease id), so every
// waiter of the cycle, polling on its own, agrees on who that is.
import { globsOverlap } from './globs.js';
import { isLive, type Lease, type LeaseWait } from './model.js';

export interface WaitQuery {
  leases: readonly Lease[];
  nowMs: number;
  /** The caller's lease and the path it waits for (its own record may not be written yet). */
  leaseId: string;
  path: string;
  /** A record whose process is gone (crashed, killed) counts as no wait at all. */
  isStale?: (w: LeaseWait, lease: Lease) => boolean;
}

export interface WaitEdge {
  /** The waiting lease, what it waits for and the lease holding it. */
  waiter: Lease;
  path: string;
  holder: Lease;
}

export type WaitStep =
  /** The caller's lease is gone (expired, released, evicted). */
  | { kind: 'lost' }
  /** Nothing unfinished holds the path: take it (from these finished leases, if any). */
  | { kind: 'free'; from: Lease[] }
  /** Still held; `cycle` is set when a deadlock exists that another waiter will break. */
  | { kind: 'wait'; holders: Lease[]; cycle?: WaitEdge[] }
  /** The caller closes a cycle and is its youngest waiter: it must give up. */
  | { kind: 'deadlock'; holders: Lease[]; cycle: WaitEdge[] };

const overlapsAny = (path: string, l: Lease) => l.paths.some((p) => globsOverlap(path, p));

function youngest(a: Lease, b: Lease): Lease {
  const sa = Date.parse(a.waiting!.since);
  const sb = Date.parse(b.waiting!.since);
  if (sa !== sb) return sa > sb ? a : b;
  return a.id > b.id ? a : b;
}

export function waitStep(q: WaitQuery): WaitStep {
  const live = q.leases.filter((l) => isLive(l, q.nowMs));
  const me = live.find((l) => l.id === q.leaseId);
  if (!me) return { kind: 'lost' };
  const others = (l: Lease) => live.filter((h) => h.id !== l.id);
  const holders = others(me).filter((h) => !h.finishedAt && overlapsAny(q.path, h));
  if (!holders.length) return { kind: 'free', from: others(me).filter((h) => h.finishedAt && overlapsAny(q.path, h)) };

  const stale = (l: Lease) =>
    !l.waiting || Date.parse(l.waiting.until) <= q.nowMs || (q.isStale?.(l.waiting, l) ?? false);
  // The caller's own wait is what it asks about now, whatever its record says.
  const waitOf = (l: Lease): string | undefined => (l.id === me.id ? q.path : stale(l) ? undefined : l.waiting!.path);
  const edgesOf = (l: Lease): WaitEdge[] => {
    const p = waitOf(l);
    if (p === undefined) return [];
    return others(l)
      .filter((h) => !h.finishedAt && overlapsAny(p, h))
      .map((holder) => ({ waiter: l, path: p, holder }));
  };
  // Breadth-first from the caller; reaching it again closes a cycle (the shortest through it).
  const via = new Map<string, WaitEdge>();
  let queue: Lease[] = [me];
  let closing: WaitEdge | undefined;
  while (queue.length && !closing) {
    const next: Lease[] = [];
    for (const l of queue) {
      for (const e of edgesOf(l)) {
        if (e.holder.id === me.id) {
          closing = e;
          break;
        }
        if (via.has(e.holder.id)) continue;
        via.set(e.holder.id, e);
        next.push(e.holder);
      }
      if (closing) break;
    }
    queue = next;
  }
  if (!closing) return { kind: 'wait', holders };
  const cycle: WaitEdge[] = [closing];
  for (let e = via.get(closing.waiter.id); e; e = via.get(e.waiter.id)) cycle.unshift(e);
  // Every waiter's `since` as recorded; the caller without a record yet is the youngest of all.
  const withSince = (l: Lease): Lease =>
    l.id === me.id && !l.waiting ? { ...l, waiting: { path: q.path, since: '9999-12-31T00:00:00Z' } as LeaseWait } : l;
  const loser = cycle.map((e) => withSince(e.waiter)).reduce(youngest);
  return loser.id === me.id ? { kind: 'deadlock', holders, cycle } : { kind: 'wait', holders, cycle };
}

/** `lease L-1 (issue A) waits for src/b.ts, held by lease L-2 (issue B)`, one edge per line. */
export function describeCycle(cycle: readonly WaitEdge[]): string[] {
  return cycle.map(
    (e) =>
      `lease ${e.waiter.id} (issue ${e.waiter.issueId}) waits for ${e.path}, held by lease ${e.holder.id} ` +
      `(issue ${e.holder.issueId})`,
  );
}
