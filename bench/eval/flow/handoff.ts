// The lock hand-off as `jitp claim wait` really does it (docs/wait.md), for the flow simulation.
// sim.ts's `handoff` makes a refused issue idle in its slot until its holders end and then do all
// its work. The real sub-agent is told to wait last: it does the rest of its issue first, runs
// `jitp claim wait` when nothing else is left, gets the file the moment the holder's sub-agent
// stops (the lease is marked finished; no `issue done` needed), and then makes only the edits that
// needed that file. So it ends at max(its own work, the holders' stop + the tail that needed the
// file). Deadlocks cannot arise here (each issue takes its files when it starts; a waiter only
// waits for issues that started earlier); the real run breaks them (the youngest waiter yields).
import type { FlowRun, SimIssue } from './sim.js';

export interface ClaimWaitOpts {
  /** Share of a waiter's hours spent on the waited-for files after the hand-off (default 0.25). */
  tail?: number;
  refusedCost?: number;
}

/**
 * Continuous dispatch (`jitp next`) with `jitp claim wait`: the same dispatch rule as
 * sim.ts's runContinuous (first issue in `order` whose dependencies are done and whose predicted
 * files are free of the running issues' leases), with the waiter's end time as above.
 */
export function runContinuousClaimWait(
  issues: readonly SimIssue[],
  predicted: ReadonlyMap<string, readonly string[]>,
  order: readonly string[],
  maxParallel: number,
  opts: ClaimWaitOpts = {},
): FlowRun {
  // JITP_FLOW_WAIT_TAIL: the sensitivity of the figure to this assumption (docs/benchmarks.md).
  const tail = opts.tail ?? Number(process.env.JITP_FLOW_WAIT_TAIL ?? 0.25);
  const byId = new Map(issues.map((i) => [i.id, i]));
  const hours = new Map(issues.map((i) => [i.id, i.hours ?? 1]));
  const pending = order.filter((id) => byId.has(id));
  for (const i of issues) if (!pending.includes(i.id)) pending.push(i.id);
  interface Run {
    id: string;
    end: number;
    holds: Set<string>;
    leases: Set<string>;
  }
  let running: Run[] = [];
  const done = new Set<string>();
  let t = 0;
  let waits = 0;
  for (let guard = 0; pending.length || running.length; guard++) {
    if (guard > 100_000) throw new Error('runContinuousClaimWait: no progress');
    for (;;) {
      if (running.length >= maxParallel) break;
      const leases = new Set(running.flatMap((x) => [...x.leases]));
      const at = pending.findIndex((id) => {
        if (byId.get(id)!.deps.some((d) => byId.has(d) && !done.has(d))) return false;
        return !(predicted.get(id) ?? []).some((f) => leases.has(f));
      });
      if (at < 0) break;
      const id = pending.splice(at, 1)[0]!;
      const is = byId.get(id)!;
      const h = hours.get(id)!;
      const holders = running.filter((x) => is.files.some((f) => x.holds.has(f)));
      const own = new Set([...(predicted.get(id) ?? []), ...is.files]);
      let end = t + h;
      if (holders.length) {
        waits++;
        // Waits last: its other work overlaps the holders' runs; the tail needs their files.
        end = Math.max(end, Math.max(...holders.map((x) => x.end)) + tail * h);
      }
      running.push({ id, end, holds: new Set(is.files), leases: own });
    }
    if (!running.length) {
      if (pending.length) throw new Error('runContinuousClaimWait: nothing can start');
      break;
    }
    t = Math.min(...running.map((x) => x.end));
    for (const x of running) if (x.end <= t) done.add(x.id);
    running = running.filter((y) => y.end > t);
  }
  return { makespan: t, wasted: 0, waits };
}
