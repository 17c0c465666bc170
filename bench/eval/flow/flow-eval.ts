// npm run eval:flow [-- --orders N] [--seed S] [--json]: the whole-flow figures of issue 15 on the
// dev set built from ../shared/datasets/jit-history-dev.bundle (docs/plan.md, "Flow evaluation").
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDevSet, cloneBundle, type DevBatch } from './devset.js';
import { planDevBatch, type PlannedBatch } from './plan-batches.js';
import { policies, type PolicyCtx } from './policies.js';
import { evaluate, type Figures } from './score.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: number) => {
  const at = args.indexOf(name);
  return at >= 0 ? Number(args[at + 1]) : dflt;
};
const ORDERS = opt('--orders', 100);
const SEED = opt('--seed', 15);
const MAX_PARALLEL = 4;
/** Weeks before the first test window: the rolling origin starts after them. */
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
const plans: PlannedBatch[] = [];
for (const b of dev) plans.push(await planDevBatch(root, clone, b, MAX_PARALLEL));

const rows: Array<{ part: string; name: string; f: Figures }> = [];
const parts = [
  { name: `tune (weeks 1-${FIRST_TEST})`, test: false },
  { name: `test (rolling origin, weeks ${FIRST_TEST + 1}-${dev.length})`, test: true },
];
for (const part of parts) {
  for (const p of policies) {
    const per: Figures[] = [];
    for (let k = 0; k < dev.length; k++) {
      if (part.test !== k >= FIRST_TEST) continue;
      // Tuning sees only the weeks before the batch it schedules.
      const ctx: PolicyCtx = { batch: dev[k]!, plan: plans[k]!, past: dev.slice(0, k), pastPlans: plans.slice(0, k) };
      per.push(evaluate(ctx, p, { orders: ORDERS, seed: SEED + k, maxParallel: MAX_PARALLEL }));
    }
    rows.push({ part: part.name, name: p.name, f: sum(per) });
  }
}

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
  console.log(JSON.stringify({ orders: ORDERS, seed: SEED, maxParallel: MAX_PARALLEL, batches: dev.length, rows }));
} else {
  console.log(
    `flow evaluation: ${dev.length} weekly batches, ${dev.reduce((s, b) => s + b.issues.length, 0)} issues ` +
      `(${dev.map((b) => `${b.week}:${b.issues.length}`).join(' ')}), ${ORDERS} random orders (seed ${SEED}), ` +
      `max parallel ${MAX_PARALLEL}`,
  );
  for (const part of parts) {
    console.log(`\n${part.name}`);
    console.log('policy'.padEnd(36) + 'rounds  x perfect  wasted/issue  waits/issue  hours x perfect');
    for (const r of rows.filter((x) => x.part === part.name)) {
      const f = r.f;
      console.log(
        r.name.padEnd(36) +
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
