// The schedules the flow evaluation compares: baselines, `jitp plan` batches, the skill's flow
// (`jitp next` continuous dispatch, with and without lock hand-off) and each lever of issue 15.
// A policy sees its batch and the planner's view of it (one view per planner configuration);
// levers with a tuned parameter are tuned on the tune weeks only (flow-eval.ts).
import { planBatches, type BatchNode } from '../../../src/plan/batch.js';
import { pairConflictChance } from '../../../src/plan/cost.js';
import type { LikelyFile, PredictedFile, RiskTier } from '../../../src/plan/types.js';
import type { DevBatch } from './devset.js';
import { measuredTail, waitTail, type WaitTail } from './handoff.js';
import type { PlannedBatch } from './plan-batches.js';
import { perfectGroups } from './sim.js';
import { simIssues } from './score.js';
import { costPicker, jitpNext, planOf, type Picker, type PlanView } from './skill.js';

export interface PolicyCtx {
  batch: DevBatch;
  /** The planner's output per configuration (`past issues`, `commits only`). */
  plans: Record<string, PlannedBatch>;
  /** Earlier weeks only: what a planner running at this batch's start could have known. */
  past: DevBatch[];
  /** Parameters chosen or measured on the tune weeks (flow-eval.ts), by name. */
  tuned: Record<string, number>;
}

export interface Policy {
  name: string;
  /** Group schedules… */
  groups?: (ctx: PolicyCtx, maxParallel: number) => string[][];
  /** …or the skill's flow: `jitp next` (or another picker) over a planner view. */
  view?: (ctx: PolicyCtx) => PlanView;
  pick?: (ctx: PolicyCtx) => Picker;
  handoff?: boolean;
  /** The hand-off as `jitp claim wait` is used: work first, wait last, then the tail (handoff.ts). */
  waitTail?: (ctx: PolicyCtx) => WaitTail;
  /** `jitp next` orders by the blocked chains behind each issue (default true; false = before issue 15's levers). */
  chains?: boolean;
  /** A parameter to tune on the tune weeks: its name and candidate values. */
  tune?: { name: string; values: number[] };
}

export const CONFIGS = {
  'commits only': { pastIssuesK: 0 },
  'past issues': { pastIssuesK: undefined },
} as const;
export type ConfigName = keyof typeof CONFIGS;

const ids = (ctx: PolicyCtx) => ctx.batch.issues.map((i) => i.shortId);

export function viewOf(p: PlannedBatch): PlanView {
  return { predicted: p.predicted, tiers: p.tiers, likely: p.likely };
}

/**
 * `jitp plan` as run at the batch's start: issues blocked by a dependency are left out (they run
 * last); with `chains` their chains order the batches (buildPlan's `waiting`).
 */
function jitpPlanBatches(ctx: PolicyCtx, view: PlanView, maxParallel: number, chains = true): string[][] {
  const is = simIssues(ctx.batch);
  const avail = is.filter((i) => !i.deps.length).map((i) => i.id);
  const waiting = chains ? is.filter((i) => i.deps.length) : [];
  return planOf(view, avail, maxParallel, waiting).batches;
}

/**
 * Hot files (lever 2): a file most past work touched gets one issue per group. The share is over
 * past issues (their commits' files); an issue is taken to touch a hot file when any of its nearest
 * past issues did (`likely`), a lower bar than for other files: missing a hot file costs most.
 */
export function withHotFiles(view: PlanView, hot: ReadonlySet<string>): PlanView {
  const predicted = new Map<string, PredictedFile[]>();
  const tiers = new Map<string, RiskTier>(view.tiers);
  for (const [id, files] of view.predicted) {
    const have = new Set(files.map((f) => f.path));
    const add: PredictedFile[] = (view.likely.get(id) ?? [])
      .filter((l) => hot.has(l.path) && !have.has(l.path))
      .map((l) => ({ path: l.path, isNew: false, hot: true, kind: 'hot-history', reason: 'hot, near past issues' }));
    const all = [...files.map((f) => (hot.has(f.path) ? { ...f, hot: true } : f)), ...add];
    predicted.set(id, all);
    if (all.some((f) => f.hot) && tiers.get(id) !== 'CRITICAL') tiers.set(id, 'RED');
  }
  return { predicted, tiers, likely: view.likely };
}

/** Files touched by at least `share` of the issues worked in earlier weeks. */
export function hotFromPast(past: readonly DevBatch[], share: number): Set<string> {
  const n = new Map<string, number>();
  let total = 0;
  for (const b of past)
    for (const i of b.issues) {
      total++;
      for (const f of i.files) n.set(f, (n.get(f) ?? 0) + 1);
    }
  return new Set([...n].filter(([, k]) => total >= 10 && k / total >= share).map(([f]) => f));
}

/** Groups from pair chances: a pair may share a group only when its chance of conflict is at most tau. */
function costGroups(ctx: PolicyCtx, view: PlanView, tau: number, maxParallel: number): string[][] {
  const deps = new Map(simIssues(ctx.batch).map((i) => [i.id, [...i.deps]]));
  const list = ids(ctx);
  const soft = (id: string): LikelyFile[] => [
    ...(view.predicted.get(id) ?? []).map((f) => ({ path: f.path, p: 1 })),
    ...(view.likely.get(id) ?? []),
  ];
  const conflicts: Array<{ pair: [string, string] }> = [];
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++)
      if (pairConflictChance(soft(list[i]!), soft(list[j]!)) > tau) conflicts.push({ pair: [list[i]!, list[j]!] });
  const nodes: BatchNode[] = list.map((id) => ({ id, tier: view.tiers.get(id) ?? 'YELLOW', deps: deps.get(id) ?? [] }));
  return planBatches(nodes, conflicts, maxParallel);
}

/** A tail measured on the tune weeks (flow-eval.ts puts the quartiles in `tuned`). */
const tuneTail =
  (name: string) =>
  (ctx: PolicyCtx): WaitTail => {
    const v = ctx.tuned[name];
    if (v === undefined) throw new Error(`flow policies: ${name} was not measured on the tune weeks`);
    return v;
  };

const HOT_SHARE = 0.2;
const TAUS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8];
const past = (ctx: PolicyCtx) => viewOf(ctx.plans['past issues']!);
const hotView = (ctx: PolicyCtx) => withHotFiles(past(ctx), hotFromPast(ctx.past, HOT_SHARE));

export const policies: Policy[] = [
  { name: 'all in one group', groups: (ctx) => [ids(ctx)] },
  {
    name: 'one at a time',
    groups: (ctx) =>
      planBatches(
        simIssues(ctx.batch).map((i) => ({ id: i.id, tier: 'GREEN' as const, deps: [...i.deps] })),
        [],
        1,
      ),
  },
  { name: 'perfect foresight', groups: (ctx, mp) => perfectGroups(simIssues(ctx.batch), mp) },
  {
    name: 'jitp plan, commits only (before)',
    groups: (ctx, mp) => jitpPlanBatches(ctx, viewOf(ctx.plans['commits only']!), mp, false),
  },
  {
    name: '  + blocked chains first',
    groups: (ctx, mp) => jitpPlanBatches(ctx, viewOf(ctx.plans['commits only']!), mp),
  },
  { name: '  + past issues', groups: (ctx, mp) => jitpPlanBatches(ctx, past(ctx), mp) },
  { name: '  + hot files', groups: (ctx, mp) => jitpPlanBatches(ctx, hotView(ctx), mp) },
  {
    name: '  + pair chances (tau tuned)',
    groups: (ctx, mp) => costGroups(ctx, hotView(ctx), ctx.tuned['groups tau'] ?? 0.3, mp),
    tune: { name: 'groups tau', values: TAUS },
  },
  { name: 'jitp next, commits only (before)', view: (ctx) => viewOf(ctx.plans['commits only']!), chains: false },
  {
    name: 'jitp next + hand-off, commits only (before)',
    view: (ctx) => viewOf(ctx.plans['commits only']!),
    handoff: true,
    chains: false,
  },
  { name: '  + blocked chains first', view: (ctx) => viewOf(ctx.plans['commits only']!), handoff: true },
  { name: '  + past issues', view: past, handoff: true },
  // `jitp claim wait` as built (waits last): the row above is the idle waiter (tail 1); these differ
  // only in the tail, assumed (0.25, JITP_FLOW_WAIT_TAIL), measured per wait, or fixed at the tune
  // weeks' quartiles of the measure (`npm run eval:flow:tail`).
  { name: '  + past issues, claim wait, tail assumed 0.25', view: past, handoff: true, waitTail: () => waitTail() },
  {
    name: '    tail per wait: its lines on held files',
    view: past,
    handoff: true,
    waitTail: () => measuredTail('held lines'),
  },
  {
    name: '    tail per wait: from first held commit',
    view: past,
    handoff: true,
    waitTail: () => measuredTail('from first touch'),
  },
  { name: '    tail fixed: tune q1', view: past, handoff: true, waitTail: tuneTail('wait tail q1') },
  { name: '    tail fixed: tune median', view: past, handoff: true, waitTail: tuneTail('wait tail median') },
  { name: '    tail fixed: tune q3', view: past, handoff: true, waitTail: tuneTail('wait tail q3') },
  { name: '  + hot files', view: hotView, handoff: true },
  {
    name: '  + hot files, claim wait, tail assumed 0.25',
    view: hotView,
    handoff: true,
    waitTail: () => waitTail(),
  },
  {
    name: '  + cost picker (tau tuned)',
    view: hotView,
    pick: (ctx) => costPicker(ctx.tuned['next tau'] ?? 0.5),
    handoff: true,
    tune: { name: 'next tau', values: TAUS },
  },
  { name: 'jitp next, chains + past issues (no hand-off)', view: past },
  {
    name: 'jitp next + hand-off, past issues + cost picker',
    view: past,
    pick: (ctx) => costPicker(ctx.tuned['next tau only'] ?? 0.5),
    handoff: true,
    tune: { name: 'next tau only', values: TAUS },
  },
];

export { jitpNext };
