// Plan accuracy on release histories rebuilt from the npm registry (bench/eval/releases/). Each
// release is one issue: the text is its changelog section, the truth the files it changed, and
// the plan runs on the previous release's tree with only the history before it. Pairs are
// releases fewer than `window` apart (issues worked in the same weeks).
// Usage: npm run eval:plan:releases [-- <sources.json>] [--window N] [--json] [--similar k=…] [--lexical]
// --lexical adds the BM25 retrieval experiment (bench/eval/lexical.ts) and its operating curves.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { matches } from '../../src/core/globs.js';
import { planChanges, printJson, printReport, scoreChanges, type Change } from './changes.js';
import { git } from './history.js';
import { applySimilarOverrides, positionals } from './plan-one.js';
import { buildHistory, type ReleaseSource } from './releases/build.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const lexical = args.includes('--lexical');
const simAt = applySimilarOverrides(args);
const winAt = args.indexOf('--window');
const files = positionals(args, [simAt, winAt]);
const sourcesFile = resolve(files[0] ?? join(here, 'releases/sources.json'));
const spec = JSON.parse(readFileSync(sourcesFile, 'utf8')) as { window?: number; sources: ReleaseSource[] };
for (const s of spec.sources) if (s.tarballs) s.tarballs = resolve(dirname(sourcesFile), s.tarballs);
const window = winAt >= 0 ? Number(args[winAt + 1]) : (spec.window ?? 6);
if (!Number.isInteger(window) || window < 2) throw new Error(`--window needs an integer ≥ 2, got ${args[winAt + 1]}`);

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
  const changes: Change[] = [];
  for (let i = 1; i < releases.length; i++) {
    const prev = releases[i - 1]!;
    const cur = releases[i]!;
    if (!cur.text.trim()) continue; // no changelog words for this release: nothing to plan from
    let truth = git(repo, 'diff-tree', '--no-commit-id', '--no-renames', '--name-only', '-r', prev.commit, cur.commit)
      .split('\n')
      .filter((f) => f && !ignore.some((g) => matches(f, g)));
    if (truth.includes('package.json') && manifestOnlyVersion(repo, prev.commit, cur.commit))
      truth = truth.filter((f) => f !== 'package.json');
    if (!truth.length) continue;
    changes.push({ id: cur.version, base: prev.commit, text: cur.text, truth: new Set(truth), index: i });
  }
  const t0 = performance.now();
  const items = await planChanges(repo, changes, ignore, undefined, { lexical });
  const ms = performance.now() - t0;
  const scored = scoreChanges(items, (a, b) => Math.abs(b.index - a.index) < window);
  return {
    source: `${src.name} ${src.range}`,
    versions: `${releases[0]!.version}..${releases.at(-1)!.version}`,
    releases: releases.length,
    planned: items.length,
    ...scored,
    ms,
    items: items.map((c) => ({
      version: c.id,
      subject:
        c.text
          .split('\n')
          .find((l) => l.trim() && !/^#/.test(l))
          ?.trim()
          .slice(0, 100) ?? '',
      truth: [...c.truth].sort(),
      predicted: c.predicted.map((p) => `${p.path} (${p.reason})`),
    })),
  };
}

const results: Array<Awaited<ReturnType<typeof evaluate>>> = [];
for (const s of spec.sources) results.push(await evaluate(s));
// Pooled over all sources: every pair counts once, whatever history it came from.
if (asJson) printJson(window, results);
else
  printReport(
    results,
    (r) =>
      `# ${r.source} (${r.versions}): ${r.releases} releases, ${r.planned} planned (a changelog section and a ` +
      `change), ${r.pairs} pairs < ${window} releases apart, ${r.truthConflicts} share a changed file; ` +
      `${(r.ms / 1000).toFixed(1)} s`,
    '',
  );
