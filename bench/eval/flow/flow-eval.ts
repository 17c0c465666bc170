// npm run eval:flow [-- --orders N] [--seed S] [--first-test W] [--json]: the whole-flow figures of
// issue 15 on the dev set built from ../shared/datasets/jit-history-dev.bundle (docs/plan.md,
// "Flow evaluation"). Weeks 1..W tune (levers' parameters are chosen there), the later weeks test.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PAST_ISSUES } from '../../../src/plan/past-issues.js';
import { buildDevSet, cloneBundle, type DevBatch } from './devset.js';
import { planDevBatch, type PlannedBatch } from './plan-batches.js';
import { CONFIGS, policies, type ConfigName, type Policy, type PolicyCtx } from './policies.js';
import { evaluate, type Figures } from './score.js';
import { quartiles, tailPairs } from './tail-measure.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : dflt;
};
const ORDERS = opt('--orders', 100);
const TUNE_ORDERS = Math.min(ORDERS, 30);
const SEED = opt('--seed', 15);
const MAX_PARALLEL = 4;
/** Weeks 1..FIRST_TEST tune; the rest test. */
const FIRST_TEST = opt('--first-test', 4);

const bundle = process.env.JITP_FLOW_BUNDLE ?? join(root, '..', 'shared', 'datasets', 'jit-history-dev.bundle');
if (!existsSync(bundle)) {
  console.log(
    `eval:flow skipped: no dev data at ${bundle}. The dev set is built from the jit project's history bundle, ` +
      `which lives outside the repository (../shared/datasets/); set JITP_FLOW_BUNDLE to its path to run it.`,
  );
  process.exit(0);
}

const clone = cloneBundle(bundle);
const dev: DevBatch[] = buildDevSet(clone);
const plans: Array<Record<string, PlannedBatch>> = dev.map(() => ({}));
const defaultK = DEFAULT_PAST_ISSUES.k;
for (const [name, c] of Object.entries(CONFIGS) as Array<[ConfigName, (typeof CONFIGS)[ConfigName]]>) {
  DEFAULT_PAST_ISSUES.k = c.pastIssuesK ?? defaultK;
  for (const [k, b] of dev.entries()) plans[k]![name] = await planDevBatch(root, clone, b, MAX_PARALLEL);
}
DEFAULT_PAST_ISSUES.k = defaultK;

const ctxOf = (k: number, tuned: Record<string, number>): PolicyCtx => ({
  batch: dev[k]!,
  plans: plans[k]!,
  past: dev.slice(0, k),
  tuned,
});
const tuneWeeks = dev.map((_, k) => k).filter((k) => k < FIRST_TEST);
const testWeeks = dev.map((_, k) => k).filter((k) => k >= FIRST_TEST);

function run(p: Policy, weeks: number[], tuned: Record<string, number>, orders: number): Figures {
  return sum(weeks.map((k) => evaluate(ctxOf(k, tuned), p, { orders, seed: SEED + k, maxParallel: MAX_PARALLEL })));
}

/** The one figure tuning minimises: rounds over perfect foresight's plus wasted runs per issue. */
const cost = (f: Figures) => f.rounds / f.perfectRounds + f.wasted / f.issues;

// Tuning sees the tune weeks only; the chosen values then run on both parts.
const tuned: Record<string, number> = {};
// The hand-off's fixed tails: quartiles of the waiter's share of lines on held files, over the
// overlapping pairs of the tune weeks only (tail-measure.ts; `npm run eval:flow:tail` prints both parts).
const tail = quartiles(tailPairs(tuneWeeks.map((k) => dev[k]!)).map((p) => p.heldLines));
tuned['wait tail q1'] = tail.q1;
tuned['wait tail median'] = tail.median;
tuned['wait tail q3'] = tail.q3;
const tuning: Array<{ name: string; value: number; costs: Record<string, number> }> = [];
for (const p of policies) {
  if (!p.tune) continue;
  const costs: Record<string, number> = {};
  let best = { v: p.tune.values[0]!, c: Infinity };
  for (const v of p.tune.values) {
    const c = cost(run(p, tuneWeeks, { ...tuned, [p.tune.name]: v }, TUNE_ORDERS));
    costs[String(v)] = Math.round(c * 1000) / 1000;
    if (c < best.c - 1e-9) best = { v, c };
  }
  tuned[p.tune.name] = best.v;
  tuning.push({ name: p.tune.name, value: best.v, costs });
}

const parts = [
  { name: `tune (weeks 1-${FIRST_TEST}; tuned levers in-sample)`, weeks: tuneWeeks },
  { name: `test (weeks ${FIRST_TEST + 1}-${dev.length}; not used for tuning)`, weeks: testWeeks },
];
const rows: Array<{ part: string; name: string; f: Figures }> = [];
for (const part of parts)
  for (const p of policies) rows.push({ part: part.name, name: p.name, f: run(p, part.weeks, tuned, ORDERS) });

function sum(fs: Figures[]): Figures {
  const add = (k: keyof Figures) => fs.reduce((s, f) => s + f[k], 0);
  return {
    issues: add('issues'),
    rounds: add('rounds'),
    perfectRounds: add('perfectRounds'),
    wasted: add('wasted'),
    waits: add('waits'),
    hours: add('hours'),
    perfectHours: add('perfectHours'),
  };
}

if (args.includes('--json')) {
  console.log(
    JSON.stringify({ orders: ORDERS, seed: SEED, maxParallel: MAX_PARALLEL, batches: dev.length, tail, tuning, rows }),
  );
} else {
  console.log(
    `flow evaluation: ${dev.length} weekly batches, ${dev.reduce((s, b) => s + b.issues.length, 0)} issues ` +
      `(${dev.map((b) => `${b.week}:${b.issues.length}`).join(' ')}), ${ORDERS} random orders (seed ${SEED}), ` +
      `max parallel ${MAX_PARALLEL}`,
  );
  console.log(
    `measured on weeks 1-${FIRST_TEST}: hand-off tail (waiter's lines on held files, ${tail.n} pairs) ` +
      `q1 ${tail.q1.toFixed(2)}, median ${tail.median.toFixed(2)}, q3 ${tail.q3.toFixed(2)}`,
  );
  for (const t of tuning)
    console.log(`tuned on weeks 1-${FIRST_TEST}: ${t.name} = ${t.value} (cost by value: ${JSON.stringify(t.costs)})`);
  for (const part of parts) {
    console.log(`\n${part.name}`);
    console.log('policy'.padEnd(50) + 'rounds  x perfect  wasted/issue  waits/issue  hours x perfect');
    for (const r of rows.filter((x) => x.part === part.name)) {
      const f = r.f;
      console.log(
        r.name.padEnd(50) +
          (f.rounds / (ORDERS || 1)).toFixed(1).padStart(6) +
          (f.rounds / f.perfectRounds).toFixed(2).padStart(10) +
          'x' +
          (f.wasted / f.issues).toFixed(2).padStart(14) +
          (f.waits / f.issues).toFixed(2).padStart(13) +
          (f.hours / f.perfectHours).toFixed(2).padStart(16) +
          'x',
      );
    }
  }
}
