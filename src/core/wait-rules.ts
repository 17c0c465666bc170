// The lock hand-off's store rules (issue 15, "Lock hand-off instead of waste"), pure like
// lease-rules.ts and run by both backends inside their transaction:
// - finish: a lease's sub-agent stopped (SubagentStop). Its files stay held against everyone,
//   except a `jitp claim wait` waiter, who may take them at once: in the shared checkout the
//   holder's changes are already on disk, and nobody will edit them for that lease again.
// - setWaiting: the waiter's record on its own lease (what path, until when, which process), so
//   every waiter can see the wait-for graph (core/wait-graph.ts) and find deadlocks.
// - take: the waiter's extend, which moves paths away from finished holders (recorded on the
//   giver as `handedOff`, so verify attributes the file to both) and refuses (E_HELD) while an
//   unfinished lease holds one.
import { globsOverlap } from './globs.js';
import { checkPaths, commit, findRef, sweepInto, type Change, type Clock, type LeaseEvent } from './lease-rules.js';
import type { Lease, LeaseRef, LeaseWait, StoreSnapshot } from './model.js';
import { JitpError } from '../platform/errors.js';

const iso = (ms: number) => new Date(ms).toISOString();
const replace = (live: Lease[], next: Map<string, Lease>) => live.map((l) => next.get(l.id) ?? l);

export function finish(s: StoreSnapshot, leaseId: string, by: string, c: Clock): Change {
  const now = c.nowMs;
  const version = s.version + 1;
  const { live, events } = sweepInto(s.leases, now, version);
  const cur = live.find((l) => l.id === leaseId);
  if (!cur)
    throw new JitpError('E_NOT_FOUND', `no live lease ${leaseId} to mark finished`, {
      hint: 'list leases with `jitp claim list`',
    });
  if (cur.finishedAt) return { snapshot: s, events: [], lease: cur, changed: false };
  const lease: Lease = { ...cur, finishedAt: iso(now) };
  events.push({ version, at: iso(now), type: 'finish', by, issueId: cur.issueId, leaseId, lease });
  return commit(s, replace(live, new Map([[cur.id, lease]])), events, lease);
}

export function setWaiting(s: StoreSnapshot, ref: LeaseRef, wait: LeaseWait | null, c: Clock): Change {
  const now = c.nowMs;
  const version = s.version + 1;
  const { live, events } = sweepInto(s.leases, now, version);
  const cur = findRef(live, ref);
  if (!wait && !cur.waiting && !events.length) return { snapshot: s, events: [], lease: cur, changed: false };
  const { waiting: _old, ...rest } = cur;
  const lease: Lease = wait ? { ...rest, waiting: wait } : rest;
  events.push({
    version,
    at: iso(now),
    type: 'wait',
    by: ref.agentId,
    issueId: cur.issueId,
    leaseId: cur.id,
    ...(wait ? { path: wait.path, until: wait.until } : { ended: true }),
    lease,
  });
  return commit(s, replace(live, new Map([[cur.id, lease]])), events, lease);
}

const dedupe = (xs: string[]) => [...new Set(xs)];

export function take(s: StoreSnapshot, ref: LeaseRef, paths: string[], c: Clock, reason?: string): Change {
  const now = c.nowMs;
  const version = s.version + 1;
  const { live, events } = sweepInto(s.leases, now, version);
  const cur = findRef(live, ref);
  const added = dedupe(paths).filter((p) => !cur.paths.includes(p));
  // Unfinished holders refuse exactly as an extend would (same message, same E_HELD).
  checkPaths(
    live.filter((l) => !l.finishedAt),
    added,
    cur.id,
    now,
  );
  const next = new Map<string, Lease>();
  const given: LeaseEvent[] = [];
  for (const h of live) {
    if (h.id === cur.id || !h.finishedAt) continue;
    // A glob entry that overlaps goes whole: the holder is finished and cannot use it any more.
    const gone = h.paths.filter((p) => added.some((a) => globsOverlap(a, p)));
    if (!gone.length) continue;
    const lease: Lease = {
      ...h,
      paths: h.paths.filter((p) => !gone.includes(p)),
      handedOff: [
        ...(h.handedOff ?? []),
        ...gone.map((path) => ({ path, toLeaseId: cur.id, toIssueId: cur.issueId, at: iso(now) })),
      ],
    };
    next.set(h.id, lease);
    given.push({
      version,
      at: iso(now),
      type: 'handoff',
      by: ref.agentId,
      issueId: h.issueId,
      leaseId: h.id,
      paths: gone,
      to: cur.id,
      lease,
    });
  }
  const { waiting: _w, ...rest } = cur;
  const lease: Lease = { ...rest, paths: [...cur.paths, ...added] };
  next.set(cur.id, lease);
  events.push(...given, {
    version,
    at: iso(now),
    type: 'extend',
    by: ref.agentId,
    issueId: cur.issueId,
    leaseId: cur.id,
    added,
    ...(given.length ? { from: given.map((g) => g.leaseId) } : {}),
    ...(reason ? { reason } : {}),
    lease,
  });
  return commit(s, replace(live, next), events, lease);
}
