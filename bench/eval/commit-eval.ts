// Commit-level view of the same history: each issue's own commits, with the commit message as
// the text, planned on the tree of the commit's parent; pairs are commits of different issues
// (worked at the same time on parallel branches). Finer grained than the issue-level view, so
// not every pair conflicts. Usage: npm run eval:plan (runs both), or
//   tsx bench/eval/commit-eval.ts [<manifest.json>…] [--json]
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { matches } from '../../src/core/globs.js';
import { planChanges, policyRow, POLICY_HEADER, scoreChanges, type Change } from './changes.js';
import { findTruth, git, type Manifest } from './history.js';
import { applySimilarOverrides, positionals } from './plan-one.js';

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
const manifests = positionals(args, [beforeAt, afterAt, skipAt, simAt]);
if (!manifests.length) manifests.push(join(here, 'jit-parallel/manifest.json'));

async function evaluate(manifestPath: string) {
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const repo = resolve(dirname(resolve(manifestPath)), m.repo);
  const ignore = m.ignore ?? [];
  const truth = findTruth(repo, m, new Map(), before);
  const changes: Change[] = [];
  const issueOf = new Map<string, string>();
  for (const [issue, t] of truth) {
    if (skip.has(issue)) continue;
    for (const c of t.own) {
      if (after !== undefined && Date.parse(git(repo, 'log', '-1', '--format=%cI', c)) <= after) continue;
      const files = git(repo, 'diff-tree', '--no-commit-id', '--no-renames', '--name-only', '-r', `${c}^`, c)
        .split('\n')
        .filter((f) => f && !ignore.some((g) => matches(f, g)));
      if (!files.length) continue;
      // Trailers name people, not code.
      const text = git(repo, 'log', '-1', '--format=%B', c)
        .replace(/^(Co-Authored-By|Signed-off-by):.*$/gim, '')
        .trim();
      const id = c.slice(0, 10);
      issueOf.set(id, issue);
      changes.push({ id, base: git(repo, 'rev-parse', `${c}^`), text, truth: new Set(files), index: changes.length });
    }
  }
  const t0 = performance.now();
  const items = await planChanges(repo, changes, ignore);
  const ms = performance.now() - t0;
  // Pairs: commits of different issues only (one issue's commits are sequential).
  const scored = scoreChanges(items, (a, b) => issueOf.get(a.id) !== issueOf.get(b.id));
  return {
    manifest: m.name,
    commits: items.length,
    perIssue: Object.fromEntries([...truth].map(([id]) => [id, items.filter((c) => issueOf.get(c.id) === id).length])),
    ...scored,
    ms,
    items: items.map((c) => ({
      id: c.id,
      issue: issueOf.get(c.id)!,
      subject: c.text.split('\n')[0],
      truth: [...c.truth].sort(),
      predicted: c.predicted.map((p) => `${p.path} (${p.reason})`),
    })),
  };
}

const results = [];
for (const mf of manifests) results.push(await evaluate(mf));
if (asJson) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
else
  for (const r of results) {
    console.log(
      `# ${r.manifest}: commit level${after !== undefined ? ` (commits after ${new Date(after).toISOString()})` : ''}`,
    );
    console.log(
      `${r.commits} commits (${Object.entries(r.perIssue)
        .map(([k, v]) => `issue ${k}: ${v}`)
        .join(
          ', ',
        )}), ${r.pairs} cross-issue pairs, ${r.truthConflicts} share a changed file; ${(r.ms / 1000).toFixed(1)} s`,
    );
    console.log('');
    console.log(POLICY_HEADER);
    for (const p of r.policies) console.log(policyRow(p.name, p.files, p.pairs));
    console.log('');
  }
