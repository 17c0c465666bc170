// The schedules the flow evaluation compares: baselines, `jitp plan`, and each lever of issue 15.
// A policy sees its batch, the plan for it, and (for learning and tuning) only earlier weeks.
import { planBatches, type BatchNode } from '../../../src/plan/batch.js';
import type { RiskTier } from '../../../src/plan/types.js';
import { indexMessages, similarChanges } from '../../../src/plan/similar.js';
import type { DevBatch } from './devset.js';
import type { PlannedBatch } from './plan-batches.js';
import { perfectGroups, rng, runGroups } from './sim.js';
import { simIssues } from './score.js';

export interface PolicyCtx {
  batch: DevBatch;
  plan: PlannedBatch;
  /** Earlier weeks only: what a planner running at this batch's start could have known. */
  past: DevBatch[];
  pastPlans: PlannedBatch[];
}

export interface Policy {
  name: string;
  /** Group schedules… */
  groups?: (ctx: PolicyCtx, maxParallel: number) => string[][];
  /** …or continuous dispatch: a priority order and the predicted files leased at start. */
  order?: (ctx: PolicyCtx, maxParallel: number) => string[];
  predicted?: (ctx: PolicyCtx) => Map<string, string[]>;
  handoff?: boolean;
  /** `claim-wait`: the hand-off as `jitp claim wait` does it (handoff.ts), for continuous dispatch. */
  handoffModel?: 'claim-wait';
}

const ids = (ctx: PolicyCtx) => ctx.batch.issues.map((i) => i.shortId);

function nodes(ctx: PolicyCtx): BatchNode[] {
  return simIssues(ctx.batch).map((i) => ({
    id: i.id,
    tier: (ctx.plan.tiers.get(i.id) ?? 'YELLOW') as RiskTier,
    deps: [...i.deps],
  }));
}

const planPredicted = (ctx: PolicyCtx) =>
  new Map([...ctx.plan.predicted].map(([id, ps]) => [id, ps.map((p) => p.path)]));

/** Groups from predicted file sets: overlapping sets conflict; the planner's tiers and colouring. */
function groupsFrom(ctx: PolicyCtx, pred: Map<string, string[]>, maxParallel: number): string[][] {
  const list = ids(ctx);
  const conflicts: Array<{ pair: [string, string] }> = [];
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) {
      const a = new Set(pred.get(list[i]!) ?? []);
      if ((pred.get(list[j]!) ?? []).some((f) => a.has(f))) conflicts.push({ pair: [list[i]!, list[j]!] });
    }
  return planBatches(nodes(ctx), conflicts, maxParallel);
}

/**
 * Learn from the repository's past: past issues (those finished before this batch's base) are
 * examples whose text is the issue and whose files are what their commits changed; the files the
 * most similar ones changed are added to the plan's prediction.
 */
export function pastIssuePredicted(ctx: PolicyCtx): Map<string, string[]> {
  const base = Math.min(...ctx.batch.issues.map((i) => i.start));
  const examples = ctx.past
    .flatMap((b) => b.issues)
    .filter((i) => i.end < base)
    .map((i) => ({ hash: i.shortId, message: `${i.title}\n${i.description}`, files: i.files }));
  const opts = { k: 3, minSimilarity: 0.15, minShare: 0.5, minVotes: 1, maxCommitFiles: 40, maxFiles: 6 };
  const idx = indexMessages(examples, opts);
  const out = planPredicted(ctx);
  for (const i of ctx.batch.issues) {
    const extra = similarChanges(`${i.title}\n${i.description}`, idx, opts).map((h) => h.path);
    out.set(i.shortId, [...new Set([...(out.get(i.shortId) ?? []), ...extra])]);
  }
  return out;
}

const STRONG = new Set(['declared', 'named', 'new', 'document', 'defines', 'command']);

/** A pair's evidence bucket: strong shared files, weak shared files, shared hot files. */
function bucket(a: PlannedBatch['predicted'] extends Map<string, infer V> ? V : never, b: typeof a): string {
  const m = new Map(a.map((p) => [p.path, p]));
  let strong = 0;
  let weak = 0;
  let hot = 0;
  for (const q of b) {
    const p = m.get(q.path);
    if (!p) continue;
    if (p.hot || q.hot) hot++;
    else if (STRONG.has(p.kind) && STRONG.has(q.kind)) strong++;
    else weak++;
  }
  return `${Math.min(strong, 2)}/${Math.min(weak, 2)}/${Math.min(hot, 1)}`;
}

/** P(true conflict | bucket) from earlier weeks' pairs (Laplace-smoothed towards the overall rate). */
export function pairModel(
  past: DevBatch[],
  pastPlans: PlannedBatch[],
): (a: string, b: string, plan: PlannedBatch) => number {
  const n = new Map<string, [number, number]>();
  let all = 0;
  let hits = 0;
  past.forEach((b, k) => {
    const is = b.issues;
    for (let i = 0; i < is.length; i++)
      for (let j = i + 1; j < is.length; j++) {
        const pa = pastPlans[k]!.predicted.get(is[i]!.shortId) ?? [];
        const pb = pastPlans[k]!.predicted.get(is[j]!.shortId) ?? [];
        const key = bucket(pa, pb);
        const t = new Set(is[i]!.files);
        const y = is[j]!.files.some((f) => t.has(f)) ? 1 : 0;
        const c = n.get(key) ?? [0, 0];
        n.set(key, [c[0] + y, c[1] + 1]);
        all++;
        hits += y;
      }
  });
  const prior = all ? hits / all : 0.2;
  return (a, b, plan) => {
    const c = n.get(bucket(plan.predicted.get(a) ?? [], plan.predicted.get(b) ?? [])) ?? [0, 0];
    return (c[0] + 2 * prior) / (c[1] + 2);
  };
}

/** Groups where a pair may share a group only when its conflict probability is at most tau. */
function probGroups(ctx: PolicyCtx, p: ReturnType<typeof pairModel>, tau: number, maxParallel: number): string[][] {
  const list = ids(ctx);
  const conflicts: Array<{ pair: [string, string] }> = [];
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++)
      if (p(list[i]!, list[j]!, ctx.plan) > tau) conflicts.push({ pair: [list[i]!, list[j]!] });
  return planBatches(nodes(ctx), conflicts, maxParallel);
}

const TAUS = [0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7, 1];

/** Chooses tau on earlier weeks only (rounds x perfect + waste per issue, 30 orders each). */
export function tuneTau(ctx: PolicyCtx, maxParallel: number): number {
  if (ctx.past.length < 2) return 0.3;
  let best = { tau: 0.3, cost: Infinity };
  for (const tau of TAUS) {
    let rounds = 0;
    let perfect = 0;
    let wasted = 0;
    let n = 0;
    ctx.past.forEach((b, k) => {
      // The model for an earlier week is fitted on the weeks before it, as it would have been.
      const sub: PolicyCtx = {
        batch: b,
        plan: ctx.pastPlans[k]!,
        past: ctx.past.slice(0, k),
        pastPlans: ctx.pastPlans.slice(0, k),
      };
      const g = probGroups(sub, pairModel(sub.past, sub.pastPlans), tau, maxParallel);
      const is = simIssues(b);
      const pg = perfectGroups(is, maxParallel).length;
      for (let o = 0; o < 30; o++) {
        const run = runGroups(is, g, maxParallel, rng(1000 * k + o));
        rounds += run.rounds;
        perfect += pg;
        wasted += run.wasted;
        n += is.length;
      }
    });
    const cost = rounds / perfect + wasted / n;
    if (cost < best.cost) best = { tau, cost };
  }
  return best.tau;
}

function topo(ctx: PolicyCtx): string[] {
  return planBatches(
    nodes(ctx).map((n) => ({ ...n, tier: 'GREEN' as const })),
    [],
    1,
  ).flat();
}

export const policies: Policy[] = [
  { name: 'all in one group', groups: (ctx) => [ids(ctx)] },
  { name: 'one at a time', groups: (ctx) => topo(ctx).map((id) => [id]) },
  { name: 'perfect foresight', groups: (ctx, mp) => perfectGroups(simIssues(ctx.batch), mp) },
  { name: 'jitp plan', groups: (ctx) => ctx.plan.batches },
  { name: 'jitp plan + lock hand-off', groups: (ctx) => ctx.plan.batches, handoff: true },
  { name: 'past issues', groups: (ctx, mp) => groupsFrom(ctx, pastIssuePredicted(ctx), mp) },
  {
    name: 'pair probabilities (tau tuned on past)',
    groups: (ctx, mp) => probGroups(ctx, pairModel(ctx.past, ctx.pastPlans), tuneTau(ctx, mp), mp),
  },
  { name: 'continuous (jitp next)', order: (ctx) => ctx.plan.batches.flat(), predicted: planPredicted },
  {
    name: 'continuous + hand-off',
    order: (ctx) => ctx.plan.batches.flat(),
    predicted: planPredicted,
    handoff: true,
  },
  {
    name: 'continuous + claim wait (waits last)',
    order: (ctx) => ctx.plan.batches.flat(),
    predicted: planPredicted,
    handoffModel: 'claim-wait',
  },
  {
    name: 'continuous + past issues + hand-off',
    order: (ctx, mp) => groupsFrom(ctx, pastIssuePredicted(ctx), mp).flat(),
    predicted: pastIssuePredicted,
    handoff: true,
  },
];
