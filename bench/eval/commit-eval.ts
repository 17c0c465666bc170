// Commit-level view of the same history: each issue's own commits, with the commit message as
// the text, planned on the tree of the commit's parent; pairs are commits of different issues
// (worked at the same time on parallel branches). Finer grained than the issue-level view, so
// not every pair conflicts. Usage: npm run eval:plan (runs both), or
//   tsx bench/eval/commit-eval.ts [<manifest.json>…] [--json]
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { matches } from '../../src/core/globs.js';
import { findConflicts } from '../../src/plan/conflicts.js';
import type { PredictedFile } from '../../src/plan/types.js';
import { findTruth, git, type Manifest } from './history.js';
import { applySimilarOverrides, literalPaths, planText } from './plan-one.js';
import { fileScore, overlapPairs, pairKey, pairScore, pct, ratio, type FileScore } from './metrics.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const beforeAt = args.indexOf('--before');
const before = beforeAt >= 0 ? args[beforeAt + 1] : undefined;
const afterAt = args.indexOf('--after');
// Only commits made after this date (e.g. after the predictor was last tuned: out of sample).
const after = afterAt >= 0 ? Date.parse(args[afterAt + 1]!) : undefined;
if (after !== undefined && Number.isNaN(after)) throw new Error(`--after needs a date, got ${args[afterAt + 1]}`);
const skipAt = args.indexOf('--skip-issue');
// The planner's own author writes issue 4's commit messages knowing its rules: leave them out for an unbiased view.
const skip = new Set(skipAt >= 0 ? args[skipAt + 1]!.split(',') : []);
const simAt = applySimilarOverrides(args);
const manifests = args.filter((a, i) => !a.startsWith('--') && ![beforeAt, afterAt, skipAt, simAt].some((at) => at >= 0 && i === at + 1));
if (!manifests.length) manifests.push(join(here, 'jit-parallel/manifest.json'));

interface CommitItem {
  id: string;
  issue: string;
  parent: string;
  text: string;
  truth: Set<string>;
  predicted: PredictedFile[];
  literal: Set<string>;
}

async function evaluate(manifestPath: string) {
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const repo = resolve(dirname(resolve(manifestPath)), m.repo);
  const ignore = m.ignore ?? [];
  const truth = findTruth(repo, m, new Map(), before);
  const tmp = mkdtempSync(join(tmpdir(), 'jitp-ceval-'));
  try {
    const clone = join(tmp, 'repo');
    git(tmp, 'clone', '-q', '--shared', '--no-checkout', repo, clone);
    const cfg = join(tmp, 'config.yaml');
    writeFileSync(cfg, stringify({ plan: { ignore } }));
    const items: CommitItem[] = [];
    const t0 = performance.now();
    for (const [issue, t] of truth) {
      if (skip.has(issue)) continue;
      for (const c of t.own) {
        if (after !== undefined && Date.parse(git(repo, 'log', '-1', '--format=%cI', c)) <= after) continue;
        const files = git(repo, 'diff-tree', '--no-commit-id', '--no-renames', '--name-only', '-r', `${c}^`, c).split('\n').filter((f) => f && !ignore.some((g) => matches(f, g)));
        if (!files.length) continue;
        // Trailers name people, not code.
        const text = git(repo, 'log', '-1', '--format=%B', c).replace(/^(Co-Authored-By|Signed-off-by):.*$/gim, '').trim();
        const parent = git(repo, 'rev-parse', `${c}^`);
        git(clone, 'checkout', '-q', '--detach', '-f', parent);
        const predicted = await planText(clone, cfg, tmp, text);
        const literal = literalPaths(clone, text, ignore);
        items.push({ id: c.slice(0, 10), issue, parent, text, truth: new Set(files), predicted, literal });
      }
    }
    const ms = performance.now() - t0;
    // Pairs: commits of different issues only (one issue's commits are sequential).
    const pairs: string[] = [];
    for (let i = 0; i < items.length; i++) for (let j = i + 1; j < items.length; j++) if (items[i]!.issue !== items[j]!.issue) pairs.push(pairKey(items[i]!.id, items[j]!.id));
    const pairSet = new Set(pairs);
    const only = (s: Set<string>) => new Set([...s].filter((k) => pairSet.has(k)));
    const truthPairs = only(overlapPairs(new Map(items.map((c) => [c.id, c.truth]))));
    const planPairs = only(new Set(findConflicts(items.map((c) => ({ id: c.id, files: c.predicted }))).map((c) => pairKey(c.pair[0], c.pair[1]))));
    const literalPairs = only(overlapPairs(new Map(items.map((c) => [c.id, c.literal]))));
    const sum = (get: (c: CommitItem) => Set<string>): FileScore =>
      items.reduce<FileScore>((a, c) => {
        const s = fileScore(get(c), c.truth);
        return { tp: a.tp + s.tp, predicted: a.predicted + s.predicted, truth: a.truth + s.truth };
      }, { tp: 0, predicted: 0, truth: 0 });
    const policies = [
      { name: 'jitp plan', files: sum((c) => new Set(c.predicted.map((p) => p.path))), pairs: pairScore(pairs, planPairs, truthPairs) },
      { name: 'literal paths only', files: sum((c) => c.literal), pairs: pairScore(pairs, literalPairs, truthPairs) },
      { name: 'all parallel', files: null, pairs: pairScore(pairs, new Set(), truthPairs) },
      { name: 'serialise everything', files: null, pairs: pairScore(pairs, pairSet, truthPairs) },
    ];
    return { manifest: m.name, commits: items.length, perIssue: Object.fromEntries([...truth].map(([id]) => [id, items.filter((c) => c.issue === id).length])), pairs: pairs.length, truthConflicts: truthPairs.size, ms, policies, items: items.map((c) => ({ id: c.id, issue: c.issue, subject: c.text.split('\n')[0], truth: [...c.truth].sort(), predicted: c.predicted.map((p) => `${p.path} (${p.reason})`) })) };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const results = [];
for (const mf of manifests) results.push(await evaluate(mf));
if (asJson) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
else
  for (const r of results) {
    console.log(`# ${r.manifest}: commit level${after !== undefined ? ` (commits after ${new Date(after).toISOString()})` : ''}`);
    console.log(`${r.commits} commits (${Object.entries(r.perIssue).map(([k, v]) => `issue ${k}: ${v}`).join(', ')}), ${r.pairs} cross-issue pairs, ${r.truthConflicts} share a changed file; ${(r.ms / 1000).toFixed(1)} s`);
    console.log('');
    console.log('policy                 file recall  file prec | pairs: recall  prec   acc');
    for (const p of r.policies) {
      const f = p.files;
      console.log(`${p.name.padEnd(22)} ${f ? pct(ratio(f.tp, f.truth)) : '    -'}       ${f ? pct(ratio(f.tp, f.predicted)) : '    -'}    |      ${pct(p.pairs.recall)} ${pct(p.pairs.precision)} ${pct(p.pairs.accuracy)}`);
    }
    console.log('');
  }
