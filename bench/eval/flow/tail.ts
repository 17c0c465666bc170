// npm run eval:flow:tail [-- --first-test W] [--json]: the hand-off's tail measured on the flow dev
// set (../shared/datasets/jit-history-dev.bundle), for every ordered pair of issues of one week
// whose commits change a common file (tail-measure.ts). The flow evaluation takes its fixed-tail
// quartiles from the tune weeks only (weeks 1..W); the test weeks are printed for the record.
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDevSet, cloneBundle } from './devset.js';
import { quartiles, tailPairs, type Quartiles } from './tail-measure.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const args = process.argv.slice(2);
const at = args.indexOf('--first-test');
const FIRST_TEST = at >= 0 ? Number(args[at + 1]) : 4;
if (!Number.isInteger(FIRST_TEST) || FIRST_TEST < 1) {
  console.error(`eval:flow:tail: --first-test wants a week number (1 or more), got ${args[at + 1]}`);
  process.exit(2);
}

const bundle = process.env.JITP_FLOW_BUNDLE ?? join(root, '..', 'shared', 'datasets', 'jit-history-dev.bundle');
if (!existsSync(bundle)) {
  console.log(
    `eval:flow:tail skipped: no dev data at ${bundle}. The dev set is built from the jit project's history ` +
      `bundle, which lives outside the repository (../shared/datasets/); set JITP_FLOW_BUNDLE to its path.`,
  );
  process.exit(0);
}

const dev = buildDevSet(cloneBundle(bundle));
const parts = [
  {
    name: `tune (weeks 1-${FIRST_TEST}; the simulation's fixed tails come from here)`,
    weeks: dev.slice(0, FIRST_TEST),
  },
  { name: `test (weeks ${FIRST_TEST + 1}-${dev.length}; for the record, not used)`, weeks: dev.slice(FIRST_TEST) },
];
const fmt = (q: Quartiles) => `${q.q1.toFixed(2)} / ${q.median.toFixed(2)} / ${q.q3.toFixed(2)}`;
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const out = parts.map((p) => {
  const pairs = tailPairs(p.weeks);
  const base = { part: p.name, weeks: p.weeks.map((b) => b.week), pairs: pairs.length };
  // A part with no overlapping pair (a short history, or --first-test past the last week) has no figures.
  if (!pairs.length) return base;
  const held = pairs.map((x) => x.heldLines);
  const first = pairs.map((x) => x.fromFirstTouch);
  return {
    ...base,
    waiters: new Set(pairs.map((x) => x.waiter)).size,
    heldLines: { ...quartiles(held), mean: mean(held) },
    fromFirstTouch: { ...quartiles(first), mean: mean(first) },
  };
});

if (args.includes('--json')) console.log(JSON.stringify(out));
else {
  console.log(
    'hand-off tail: ordered pairs (waiter, holder) of issues worked in the same week whose commits change a ' +
      "common file; shares of the waiter's changed lines (lines stand in for time)",
  );
  for (const o of out) {
    if (!('heldLines' in o)) {
      console.log(`\n${o.part}: no overlapping pairs (${o.weeks.join(' ') || 'no weeks'})`);
      continue;
    }
    console.log(`\n${o.part}: ${o.pairs} pairs, ${o.waiters} waiters (${o.weeks.join(' ')})`);
    console.log(`  on held files            q1/med/q3 ${fmt(o.heldLines)}, mean ${o.heldLines.mean.toFixed(2)}`);
    console.log(
      `  from first held commit   q1/med/q3 ${fmt(o.fromFirstTouch)}, mean ${o.fromFirstTouch.mean.toFixed(2)}`,
    );
  }
}
