// Plan accuracy on release histories rebuilt from the npm registry (bench/eval/releases/). Each
// release is one issue: the text is its changelog section, the truth the files it changed, and
// the plan runs on the previous release's tree with only the history before it. Pairs are
// releases fewer than `window` apart (issues worked in the same weeks).
// Usage: npm run eval:plan:releases [-- <sources.json>] [--window N] [--json] [--similar k=…]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { matches } from '../../src/core/globs.js';
import { findConflicts } from '../../src/plan/conflicts.js';
import type { PredictedFile } from '../../src/plan/types.js';
import { git } from './history.js';
import { fileScore, overlapPairs, pairKey, pairScore, pct, ratio, type FileScore, type PairScore } from './metrics.js';
import { applySimilarOverrides, literalPaths, planText } from './plan-one.js';
import { buildHistory, type ReleaseSource } from './releases/build.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const simAt = applySimilarOverrides(args);
const winAt = args.indexOf('--window');
const files = args.filter((a, i) => !a.startsWith('--') && ![simAt, winAt].some((at) => at >= 0 && i === at + 1));
const sourcesFile = resolve(files[0] ?? join(here, 'releases/sources.json'));
const spec = JSON.parse(readFileSync(sourcesFile, 'utf8')) as { window?: number; sources: ReleaseSource[] };
for (const s of spec.sources) if (s.tarballs) s.tarballs = resolve(dirname(sourcesFile), s.tarballs);
const window = winAt >= 0 ? Number(args[winAt + 1]) : (spec.window ?? 6);
if (!Number.isInteger(window) || window < 2) throw new Error(`--window needs an integer ≥ 2, got ${args[winAt + 1]}`);

interface Item {
  version: string;
  index: number;
  truth: Set<string>;
  predicted: PredictedFile[];
  literal: Set<string>;
  subject: string;
}

/** package.json changes that are only the release itself (version, publish metadata) are not work. */
function manifestOnlyVersion(repo: string, a: string, b: string): boolean {
  const strip = (rev: string) => {
    const j = JSON.parse(git(repo, 'show', `${rev}:package.json`)) as Record<string, unknown>;
    for (const k of Object.keys(j)) if (k === 'version' || k === 'gitHead' || k.startsWith('_')) delete j[k];
    return JSON.stringify(j);
  };
  try {
    return strip(a) === strip(b);
  } catch {
    return false;
  }
}

async function evaluate(src: ReleaseSource) {
  const progress = (s: string) => process.stderr.write(`${s}\n`);
  const { repo, releases } = buildHistory(src, progress);
  const ignore = src.ignore ?? [];
  const tmp = mkdtempSync(join(tmpdir(), 'jitp-reval-'));
  try {
    const clone = join(tmp, 'repo');
    git(tmp, 'clone', '-q', '--shared', '--no-checkout', repo, clone);
    const cfg = join(tmp, 'config.yaml');
    writeFileSync(cfg, stringify({ plan: { ignore } }));
    const items: Item[] = [];
    const t0 = performance.now();
    for (let i = 1; i < releases.length; i++) {
      const prev = releases[i - 1]!;
      const cur = releases[i]!;
      if (!cur.text.trim()) continue; // no changelog words for this release: nothing to plan from
      let truth = git(repo, 'diff-tree', '--no-commit-id', '--no-renames', '--name-only', '-r', prev.commit, cur.commit)
        .split('\n')
        .filter((f) => f && !ignore.some((g) => matches(f, g)));
      if (truth.includes('package.json') && manifestOnlyVersion(repo, prev.commit, cur.commit)) truth = truth.filter((f) => f !== 'package.json');
      if (!truth.length) continue;
      git(clone, 'checkout', '-q', '--detach', '-f', prev.commit);
      const predicted = await planText(clone, cfg, tmp, cur.text);
      items.push({ version: cur.version, index: i, truth: new Set(truth), predicted, literal: literalPaths(clone, cur.text, ignore), subject: cur.text.split('\n').find((l) => l.trim() && !/^#/.test(l))?.trim().slice(0, 100) ?? '' });
    }
    const ms = performance.now() - t0;
    const pairs: string[] = [];
    for (let a = 0; a < items.length; a++) for (let b = a + 1; b < items.length; b++) if (items[b]!.index - items[a]!.index < window) pairs.push(pairKey(items[a]!.version, items[b]!.version));
    const pairSet = new Set(pairs);
    const only = (s: Set<string>) => new Set([...s].filter((k) => pairSet.has(k)));
    const truthPairs = only(overlapPairs(new Map(items.map((c) => [c.version, c.truth]))));
    const planPairs = only(new Set(findConflicts(items.map((c) => ({ id: c.version, files: c.predicted }))).map((c) => pairKey(c.pair[0], c.pair[1]))));
    const literalPairs = only(overlapPairs(new Map(items.map((c) => [c.version, c.literal]))));
    const sum = (get: (c: Item) => Set<string>): FileScore =>
      items.reduce<FileScore>((acc, c) => {
        const s = fileScore(get(c), c.truth);
        return { tp: acc.tp + s.tp, predicted: acc.predicted + s.predicted, truth: acc.truth + s.truth };
      }, { tp: 0, predicted: 0, truth: 0 });
    const policies: Array<{ name: string; files: FileScore | null; pairs: PairScore }> = [
      { name: 'jitp plan', files: sum((c) => new Set(c.predicted.map((p) => p.path))), pairs: pairScore(pairs, planPairs, truthPairs) },
      { name: 'literal paths only', files: sum((c) => c.literal), pairs: pairScore(pairs, literalPairs, truthPairs) },
      { name: 'all parallel', files: null, pairs: pairScore(pairs, new Set(), truthPairs) },
      { name: 'serialise everything', files: null, pairs: pairScore(pairs, pairSet, truthPairs) },
    ];
    return {
      source: `${src.name} ${src.range}`,
      versions: `${releases[0]!.version}..${releases.at(-1)!.version}`,
      releases: releases.length,
      planned: items.length,
      pairs: pairs.length,
      truthConflicts: truthPairs.size,
      ms,
      policies,
      items: items.map((c) => ({ version: c.version, subject: c.subject, truth: [...c.truth].sort(), predicted: c.predicted.map((p) => `${p.path} (${p.reason})`) })),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const results: Array<Awaited<ReturnType<typeof evaluate>>> = [];
for (const s of spec.sources) results.push(await evaluate(s));
// Pooled over all sources: every pair counts once, whatever history it came from.
const pooled = results[0]!.policies.map((p, k) => {
  const add = (f: (r: (typeof results)[number]) => PairScore) => results.reduce((a, r) => {
    const x = f(r);
    return { tp: a.tp + x.tp, fp: a.fp + x.fp, fn: a.fn + x.fn, tn: a.tn + x.tn };
  }, { tp: 0, fp: 0, fn: 0, tn: 0 });
  const s = add((r) => r.policies[k]!.pairs);
  const n = s.tp + s.fp + s.fn + s.tn;
  return { name: p.name, pairs: { ...s, recall: ratio(s.tp, s.tp + s.fn), precision: ratio(s.tp, s.tp + s.fp), accuracy: ratio(s.tp + s.tn, n) } };
});
if (asJson) process.stdout.write(`${JSON.stringify({ window, results, pooled }, null, 2)}\n`);
else {
  const row = (name: string, f: FileScore | null, p: PairScore) =>
    `${name.padEnd(22)} ${f ? pct(ratio(f.tp, f.truth)) : '    -'}       ${f ? pct(ratio(f.tp, f.predicted)) : '    -'}    |      ${pct(p.recall)} ${pct(p.precision)} ${pct(p.accuracy)}`;
  for (const r of results) {
    console.log(`# ${r.source} (${r.versions}): ${r.releases} releases, ${r.planned} planned (a changelog section and a change), ${r.pairs} pairs < ${window} releases apart, ${r.truthConflicts} share a changed file; ${(r.ms / 1000).toFixed(1)} s`);
    console.log('policy                 file recall  file prec | pairs: recall  prec   acc');
    for (const p of r.policies) console.log(row(p.name, p.files, p.pairs));
    console.log('');
  }
  const tp = pooled[3]!.pairs;
  console.log(`# pooled: ${tp.tp + tp.fp} pairs, ${tp.tp} conflicting`);
  for (const p of pooled) console.log(row(p.name, null, p.pairs as PairScore));
}
