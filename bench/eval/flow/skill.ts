// What the jit-parallel skill does with a batch, simulated against the true file sets: whenever a
// slot is free it asks `jitp next`, which re-plans the available issues (src/plan: conflicts and
// batches over the predicted files) and picks the first, in batch order, whose predicted files no
// live lease holds (src/plan/next.ts `pickNext`, the code the command runs). The started issue
// leases its predicted files and takes its true files as it works (the `extend` policy); meeting
// a file a running issue holds it is refused (a wasted run, after `refusedCost` of its work; it is
// offered again once that holder finishes) or, with hand-off (`jitp claim wait`), it waits in its
// slot for the holder to stop and then does its work. Pure: plain data in, figures out.
import { chainsAfter, planBatches, type BatchNode } from '../../../src/plan/batch.js';
import { findConflicts } from '../../../src/plan/conflicts.js';
import { pickNext } from '../../../src/plan/next.js';
import type { PlanResult, PlannedIssue } from '../../../src/plan/plan.js';
import type { LikelyFile, PredictedFile, RiskTier } from '../../../src/plan/types.js';
import type { Lease } from '../../../src/core/model.js';
import { claimWaitEnd, type WaitTail } from './handoff.js';
import type { FlowRun, SimIssue } from './sim.js';

/** What the planner says about each issue of a batch (its predictions do not depend on the others). */
export interface PlanView {
  predicted: ReadonlyMap<string, readonly PredictedFile[]>;
  tiers: ReadonlyMap<string, RiskTier>;
  /** Soft estimates from past issues (path -> chance), for cost-based pickers. */
  likely: ReadonlyMap<string, readonly LikelyFile[]>;
}

/**
 * Chooses among the available issues given the running ones; the default is `jitp next`.
 * Returns the id to start or null to leave the slot free until something finishes.
 */
export type Picker = (plan: PlanResult, leases: readonly Lease[], maxParallel: number) => string | null;

export const jitpNext: Picker = (plan, leases, maxParallel) => pickNext(plan, leases, 0, maxParallel).next?.id ?? null;

/** `jitp next` passing over issues likely (above tau) to need a file a live lease holds. */
export const costPicker =
  (tau: number): Picker =>
  (plan, leases, maxParallel) =>
    pickNext(plan, leases, 0, maxParallel, { maxConflictChance: tau }).next?.id ?? null;

function lease(issueId: string, paths: Iterable<string>): Lease {
  return {
    id: `L-${issueId}`,
    issueId,
    agentId: `agent:${issueId}`,
    worktree: null,
    branch: null,
    paths: [...paths],
    ttlSecs: 3600,
    acquiredAt: '2000-01-01T00:00:00Z',
    renewedAt: '2000-01-01T00:00:00Z',
    expiresAt: '2999-01-01T00:00:00Z',
    token: 1,
  };
}

/** `jitp plan` over a set of available issues, from the per-issue predictions (as buildPlan does). */
export function planOf(
  view: PlanView,
  ids: readonly string[],
  maxParallel: number,
  waiting: ReadonlyArray<{ id: string; deps: readonly string[] }> = [],
): PlanResult {
  const after = chainsAfter(ids, waiting);
  const issues: PlannedIssue[] = ids.map((id) => {
    const files = view.predicted.get(id) ?? [];
    return {
      id,
      shortId: id,
      title: id,
      files: files.map((f) => f.path),
      newFiles: files.filter((f) => f.isNew).map((f) => f.path),
      hotFiles: files.filter((f) => f.hot).map((f) => f.path),
      tier: view.tiers.get(id) ?? 'YELLOW',
      reasons: [],
      predicted: files.map((f) => ({ path: f.path, new: f.isNew, hot: f.hot, kind: f.kind, reason: f.reason })),
      ignored: [],
      likely: [...(view.likely.get(id) ?? [])],
    };
  });
  const conflicts = findConflicts(ids.map((id) => ({ id, files: [...(view.predicted.get(id) ?? [])] })));
  const nodes: BatchNode[] = issues.map((i) => ({ id: i.id, tier: i.tier, deps: [], after: after.get(i.id) ?? 0 }));
  return { issues, conflicts, batches: planBatches(nodes, conflicts, maxParallel), excluded: [] };
}

export function runSkill(
  issues: readonly SimIssue[],
  view: PlanView,
  maxParallel: number,
  opts: { handoff?: boolean; refusedCost?: number; pick?: Picker; waitTail?: WaitTail; chains?: boolean } = {},
): FlowRun {
  const refusedCost = opts.refusedCost ?? 0.5;
  const pick = opts.pick ?? jitpNext;
  const byId = new Map(issues.map((i) => [i.id, i]));
  const pending = new Set(issues.map((i) => i.id));
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
  // The plan depends only on which issues are available: the same set plans the same.
  const plans = new Map<string, PlanResult>();
  let t = 0;
  let wasted = 0;
  let waits = 0;
  let guard = 0;
  while (pending.size || running.length) {
    if (++guard > 100_000) throw new Error('runSkill: no progress');
    while (running.length < maxParallel) {
      // `jitp next` plans the available issues: not started, dependencies done; the orchestrator
      // does not offer again an issue refused by a holder that is still running.
      const avail = [...pending]
        .filter((id) => byId.get(id)!.deps.every((d) => !byId.has(d) || done.has(d)))
        .filter((id) => ![...(blockedBy.get(id) ?? [])].some((h) => running.some((x) => x.id === h)))
        .sort();
      if (!avail.length) break;
      const waiting =
        opts.chains === false ? [] : [...pending].filter((id) => !avail.includes(id)).map((id) => byId.get(id)!);
      const key = `${avail.join(' ')}|${waiting.map((w) => w.id).join(' ')}`;
      let plan = plans.get(key);
      if (!plan) plans.set(key, (plan = planOf(view, avail, maxParallel, waiting)));
      const id = pick(
        plan,
        running.map((x) => lease(x.id, x.leases)),
        maxParallel,
      );
      if (id === null) break;
      pending.delete(id);
      const is = byId.get(id)!;
      const holders = running.filter((x) => is.files.some((f) => x.holds.has(f)));
      const own = new Set([...(view.predicted.get(id) ?? []).map((f) => f.path), ...is.files]);
      const h = is.hours ?? 1;
      if (!holders.length) running.push({ id, end: t + h, holds: new Set(is.files), leases: own, ok: true });
      else if (opts.handoff) {
        // Conservative, as sim.ts runContinuous: no credit for work done before it meets the
        // held file; it holds its slot until the holders stop, then does all of its work.
        waits++;
        const ends = holders.map((x) => x.end);
        // waitTail: the waiter works first and waits last, as `jitp claim wait` is used (handoff.ts);
        // a measured tail is the share of its work on the files it met held.
        const held = is.files.filter((f) => holders.some((x) => x.holds.has(f)));
        const tail = typeof opts.waitTail === 'function' ? opts.waitTail(is, held) : opts.waitTail;
        const end = tail === undefined ? Math.max(...ends) + h : claimWaitEnd(t, h, ends, tail);
        running.push({ id, end, holds: new Set(is.files), leases: own, ok: true });
      } else {
        wasted++;
        blockedBy.set(id, new Set(holders.map((x) => x.id)));
        running.push({ id, end: t + refusedCost * h, holds: new Set(), leases: new Set(), ok: false });
      }
    }
    if (!running.length) {
      if (pending.size) throw new Error('runSkill: nothing can start');
      break;
    }
    t = Math.min(...running.map((x) => x.end));
    for (const x of running.filter((y) => y.end <= t)) {
      if (x.ok) done.add(x.id);
      else pending.add(x.id);
    }
    running = running.filter((y) => y.end > t);
  }
  return { makespan: t, wasted, waits };
}
