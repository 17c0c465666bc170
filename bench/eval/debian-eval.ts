// Plan accuracy on Debian patch series (bench/eval/debian/): each patch of a source package is an
// issue, described by its own header, changing the upstream tree the other patches change too.
// Usage: npm run eval:plan:debian [-- <sources.json>] [--set dev|test|all] [--window N] [--json] [--similar k=…]
// [--lexical]
// --lexical adds the BM25 retrieval experiment (bench/eval/lexical.ts) and its operating curves.
// Pairs: every two patches of one package (--window N: only patches fewer than N apart in the series).
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { planChanges, printJson, printReport, scoreChanges, type Change } from './changes.js';
import { applySimilarOverrides, positionals } from './plan-one.js';
import { buildPackage, sourcesIndex, type DebianSpec } from './debian/build.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const lexical = args.includes('--lexical');
const simAt = applySimilarOverrides(args);
const winAt = args.indexOf('--window');
const window = winAt >= 0 ? Number(args[winAt + 1]) : 0;
if (!Number.isInteger(window) || window < 0)
  throw new Error(`--window needs an integer ≥ 0 (0 = all pairs), got ${args[winAt + 1]}`);
const files = positionals(args, [simAt, winAt, args.indexOf('--set')]);
const spec = JSON.parse(readFileSync(resolve(files[0] ?? join(here, 'debian/sources.json')), 'utf8')) as DebianSpec & {
  dev?: string[];
  test?: string[];
  packages?: string[];
};
// --set dev|test|all: the packages read while tuning, the held-out ones, or both.
const setAt = args.indexOf('--set');
const set = setAt >= 0 ? args[setAt + 1] : 'all';
if (!['dev', 'test', 'all'].includes(set ?? '')) throw new Error(`--set takes dev, test or all, got ${set}`);
const packages = [
  ...(set !== 'test' ? (spec.dev ?? []) : []),
  ...(set !== 'dev' ? (spec.test ?? []) : []),
  ...(spec.packages ?? []),
];
const progress = (s: string) => process.stderr.write(`${s}\n`);

const index = await sourcesIndex(spec);
const results = [];
for (const name of packages) {
  const entry = index.get(name);
  if (!entry) throw new Error(`${name}: not in ${spec.suite}/${spec.component} Sources`);
  const built = await buildPackage(spec, entry, progress);
  const changes: Change[] = built.changes
    .map((c, i) => ({
      id: `${name}/${c.name}`,
      base: c.base,
      lexicalBase: built.upstream,
      text: c.text,
      truth: new Set(c.files.filter((f) => !f.startsWith('debian/'))),
      index: i,
    }))
    .filter((c) => c.text.trim() && c.truth.size > 0);
  const t0 = performance.now();
  const items = await planChanges(built.repo, changes, [], undefined, { lexical });
  const ms = performance.now() - t0;
  const scored = scoreChanges(items, (a, b) => window === 0 || Math.abs(a.index - b.index) < window);
  results.push({
    source: `${name} ${entry.version}`,
    patches: built.changes.length,
    notApplied: built.changes.filter((c) => !c.applied).length,
    planned: items.length,
    ...scored,
    ms,
    items: items.map((c) => ({
      id: c.id,
      subject: c.text.split('\n')[0]!.slice(0, 100),
      text: c.text,
      truth: [...c.truth].sort(),
      predicted: c.predicted.map((p) => `${p.path} (${p.reason})`),
    })),
  });
}
if (asJson) printJson(window, results);
else
  printReport(
    results,
    (r) =>
      `# ${r.source}: ${r.patches} patches (${r.notApplied} did not apply here; their files still count), ` +
      `${r.planned} planned, ${r.pairs} pairs, ${r.truthConflicts} share a changed file; ${(r.ms / 1000).toFixed(1)} s`,
    ` over ${results.length} packages`,
  );
