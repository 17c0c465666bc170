// One policy on one dev batch, averaged over seeded random orders.
import type { DevBatch } from './devset.js';
import type { Policy, PolicyCtx } from './policies.js';
import { perfectGroups, rng, runContinuous, runGroups, type SimIssue } from './sim.js';
import { jitpNext, runSkill } from './skill.js';

export interface Figures {
  issues: number;
  /** Summed over orders. */
  rounds: number;
  perfectRounds: number;
  wasted: number;
  waits: number;
  hours: number;
  perfectHours: number;
}

export function simIssues(b: DevBatch): SimIssue[] {
  const short = new Map(b.issues.map((i) => [i.id, i.shortId]));
  return b.issues.map((i) => ({
    id: i.shortId,
    files: i.files,
    deps: i.dependencies.filter((d) => short.has(d)).map((d) => short.get(d)!),
    hours: i.hours,
    work: i.work,
  }));
}

export function evaluate(ctx: PolicyCtx, p: Policy, o: { orders: number; seed: number; maxParallel: number }): Figures {
  const issues = simIssues(ctx.batch);
  const perfect = perfectGroups(issues, o.maxParallel);
  const truth = new Map(issues.map((i) => [i.id, i.files]));
  const groups = p.groups?.(ctx, o.maxParallel);
  const view = p.view?.(ctx);
  const pick = p.pick?.(ctx) ?? jitpNext;
  const f: Figures = { issues: 0, rounds: 0, perfectRounds: 0, wasted: 0, waits: 0, hours: 0, perfectHours: 0 };
  for (let k = 0; k < o.orders; k++) {
    const r = rng(o.seed * 100_003 + k);
    // The same jittered durations for the policy and for perfect foresight in one order.
    const hours = new Map(issues.map((i) => [i.id, (i.hours ?? 1) * (0.75 + r() * 0.5)]));
    const timed = issues.map((i) => ({ ...i, hours: hours.get(i.id)! }));
    const oracle = runContinuous(timed, truth, perfect.flat(), o.maxParallel, rng(k + 1), { jitter: 0 });
    const perfectHours = Math.min(
      oracle.makespan,
      runGroups(timed, perfect, o.maxParallel, rng(k), false, hours).hours,
    );
    f.perfectRounds += perfect.length;
    f.perfectHours += perfectHours;
    f.issues += issues.length;
    if (groups) {
      const g = runGroups(timed, groups, o.maxParallel, r, p.handoff ?? false, hours);
      f.rounds += g.rounds;
      f.wasted += g.wasted;
      f.waits += g.waits;
      f.hours += g.hours;
    } else {
      const c = runSkill(timed, view!, o.maxParallel, {
        handoff: p.handoff ?? false,
        pick,
        chains: p.chains ?? true,
        ...(p.waitTail ? { waitTail: p.waitTail(ctx) } : {}),
      });
      // Continuous dispatch has no rounds: its wall time in units of perfect foresight's.
      f.rounds += (c.makespan / perfectHours) * perfect.length;
      f.wasted += c.wasted;
      f.waits += c.waits;
      f.hours += c.makespan;
    }
  }
  return f;
}
