// The flow simulation of issue 15: a schedule meets the true file sets. Pure: plain data in,
// figures out; the random orders come from a seeded generator so every run prints the same.
import { planBatches } from '../../../src/plan/batch.js';
import type { WorkCommit } from './tail-measure.js';

export interface SimIssue {
  id: string;
  /** The files its work really changed. */
  files: readonly string[];
  /** Dependencies inside the batch. */
  deps: readonly string[];
  /** Hours of work (continuous dispatch only). */
  hours?: number;
  /** Its commits with lines per file, for a tail measured per wait (handoff.ts). */
  work?: readonly WorkCommit[];
}

export interface GroupRun {
  /** Wall time in rounds: groups run (with hand-off, a group lasts as long as its longest wait chain). */
  rounds: number;
  /** Refused runs (each is redone later). */
  wasted: number;
  /** Runs that waited for a sibling's file instead of being refused (hand-off only). */
  waits: number;
  /** Wall time in hours when `hours` are given: each group lasts until its last issue stops. */
  hours: number;
}

/** Mulberry32: small, seeded, good enough to shuffle. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(a: readonly T[], r: () => number): T[] {
  const o = [...a];
  for (let i = o.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [o[i], o[j]] = [o[j]!, o[i]!];
  }
  return o;
}

/**
 * Runs `groups` once: a group's issues start together (at most maxParallel; the rest move to the
 * next group), in a random order each takes its true files (the `extend` policy); one that meets a
 * file already taken in its group, or whose dependency is not done, is refused and retried in the
 * next group. With `handoff`, one refused only for files a sibling holds waits for it instead: it
 * runs after its holders, so the group lasts as long as its longest chain.
 */
export function runGroups(
  issues: readonly SimIssue[],
  groups: readonly (readonly string[])[],
  maxParallel: number,
  r: () => number,
  handoff = false,
  hours?: ReadonlyMap<string, number>,
  refusedCost = 0.5,
): GroupRun {
  const byId = new Map(issues.map((i) => [i.id, i]));
  const queue = groups.map((g) => g.filter((id) => byId.has(id)));
  const planned = new Set(queue.flat());
  // Issues the schedule forgot run at the end, as a user would start them.
  const rest = issues.map((i) => i.id).filter((id) => !planned.has(id));
  if (rest.length) queue.push(rest);
  const done = new Set<string>();
  let rounds = 0;
  let wasted = 0;
  let waits = 0;
  let time = 0;
  let carry: string[] = [];
  let guard = 0;
  while (queue.length || carry.length) {
    if (++guard > 100_000) throw new Error('runGroups: no progress');
    // Those whose dependencies are done start first (stable), so a group never stalls on them.
    const all = [...carry, ...(queue.shift() ?? [])];
    const ready = (id: string) => byId.get(id)!.deps.every((d) => !byId.has(d) || done.has(d));
    const next = [...all.filter(ready), ...all.filter((id) => !ready(id))];
    const running = next.slice(0, maxParallel);
    carry = next.slice(maxParallel);
    if (!running.length) continue;
    const taken = new Map<string, string>();
    const depth = new Map<string, number>();
    const finish = new Map<string, number>();
    const h = (id: string) => hours?.get(id) ?? 1;
    let groupTime = 0;
    const refused: string[] = [];
    for (const id of shuffle(running, r)) {
      const is = byId.get(id)!;
      if (is.deps.some((d) => byId.has(d) && !done.has(d))) {
        refused.push(id);
        groupTime = Math.max(groupTime, refusedCost * h(id));
        continue;
      }
      const holders = [...new Set(is.files.map((f) => taken.get(f)).filter((x): x is string => x !== undefined))];
      if (holders.length && !handoff) {
        refused.push(id);
        groupTime = Math.max(groupTime, refusedCost * h(id));
        continue;
      }
      if (holders.length) waits++;
      depth.set(id, 1 + Math.max(0, ...holders.map((x) => depth.get(x)!)));
      finish.set(id, h(id) + Math.max(0, ...holders.map((x) => finish.get(x)!)));
      groupTime = Math.max(groupTime, finish.get(id)!);
      for (const f of is.files) taken.set(f, id);
    }
    wasted += refused.length;
    for (const id of depth.keys()) done.add(id);
    rounds += Math.max(1, ...depth.values());
    time += groupTime;
    carry = [...refused, ...carry];
  }
  return { rounds, wasted, waits, hours: time };
}

/** Perfect foresight: the planner's colouring on the true conflict graph, dependencies first. */
export function perfectGroups(issues: readonly SimIssue[], maxParallel: number): string[][] {
  const ids = new Set(issues.map((i) => i.id));
  const conflicts: Array<{ pair: [string, string]; files: string[]; reason: string }> = [];
  for (let i = 0; i < issues.length; i++)
    for (let j = i + 1; j < issues.length; j++) {
      const b = new Set(issues[j]!.files);
      const shared = issues[i]!.files.filter((f) => b.has(f));
      if (shared.length) conflicts.push({ pair: [issues[i]!.id, issues[j]!.id], files: shared, reason: 'true' });
    }
  return planBatches(
    issues.map((i) => ({ id: i.id, tier: 'GREEN' as const, deps: i.deps.filter((d) => ids.has(d)) })),
    conflicts,
    maxParallel,
  );
}

export interface FlowRun {
  /** Wall time in hours. */
  makespan: number;
  wasted: number;
  waits: number;
}

/**
 * Continuous dispatch (`jitp next`): whenever a slot is free, start the first issue in `order`
 * whose dependencies are done, whose predicted files are free of the live leases (the predicted
 * and taken files of the running issues) and that is not waiting for the holder that refused it.
 * A started issue takes its true files; meeting a file a running issue holds, it is refused (a
 * wasted run that costs `refusedCost` of its hours) and may start again once that holder finishes,
 * or with `handoff` it waits for the holder in its slot and then does its work.
 */
export function runContinuous(
  issues: readonly SimIssue[],
  predicted: ReadonlyMap<string, readonly string[]>,
  order: readonly string[],
  maxParallel: number,
  r: () => number,
  opts: { handoff?: boolean; refusedCost?: number; jitter?: number } = {},
): FlowRun {
  const refusedCost = opts.refusedCost ?? 0.5;
  const jitter = opts.jitter ?? 0.5;
  const byId = new Map(issues.map((i) => [i.id, i]));
  const hours = new Map(issues.map((i) => [i.id, (i.hours ?? 1) * (1 - jitter / 2 + r() * jitter)]));
  const pending = order.filter((id) => byId.has(id));
  for (const i of issues) if (!pending.includes(i.id)) pending.push(i.id);
  interface Run {
    id: string;
    end: number;
    holds: Set<string>;
    leases: Set<string>;
    ok: boolean;
  }
  let running: Run[] = [];
  const done = new Set<string>();
  const blockedBy = new Map<string, Set<string>>();
  let t = 0;
  let wasted = 0;
  let waits = 0;
  let guard = 0;
  while (pending.length || running.length) {
    if (++guard > 100_000) throw new Error('runContinuous: no progress');
    let started = true;
    while (running.length < maxParallel && started) {
      started = false;
      const leases = new Set(running.flatMap((x) => [...x.leases]));
      const at = pending.findIndex((id) => {
        const is = byId.get(id)!;
        if (is.deps.some((d) => byId.has(d) && !done.has(d))) return false;
        const b = blockedBy.get(id);
        if (b && [...b].some((h) => running.some((x) => x.id === h))) return false;
        return !(predicted.get(id) ?? []).some((f) => leases.has(f));
      });
      if (at < 0) break;
      const id = pending.splice(at, 1)[0]!;
      const is = byId.get(id)!;
      const holders = running.filter((x) => is.files.some((f) => x.holds.has(f)));
      const own = new Set([...(predicted.get(id) ?? []), ...is.files]);
      if (!holders.length) {
        running.push({ id, end: t + hours.get(id)!, holds: new Set(is.files), leases: own, ok: true });
      } else if (opts.handoff) {
        waits++;
        const from = Math.max(...holders.map((h) => h.end));
        running.push({ id, end: from + hours.get(id)!, holds: new Set(is.files), leases: own, ok: true });
      } else {
        wasted++;
        blockedBy.set(id, new Set(holders.map((h) => h.id)));
        running.push({ id, end: t + refusedCost * hours.get(id)!, holds: new Set(), leases: new Set(), ok: false });
      }
      started = true;
    }
    if (!running.length) {
      if (pending.length) throw new Error('runContinuous: nothing can start');
      break;
    }
    t = Math.min(...running.map((x) => x.end));
    for (const x of running.filter((y) => y.end <= t)) {
      if (x.ok) done.add(x.id);
      else pending.unshift(x.id);
    }
    running = running.filter((y) => y.end > t);
  }
  return { makespan: t, wasted, waits };
}

/** Wall time of groups run one after another, each as long as its longest issue. */
export function groupsMakespan(issues: readonly SimIssue[], groups: readonly (readonly string[])[]): number {
  const h = new Map(issues.map((i) => [i.id, i.hours ?? 1]));
  return groups.reduce((s, g) => s + Math.max(0, ...g.map((id) => h.get(id) ?? 0)), 0);
}
