// Accuracy of `jitp plan` on real history. Usage:
//   npm run eval:plan [-- <manifest.json>…] [-- --json] [-- --verbose]
// A manifest names a repository, a base commit, the issues worked in parallel from it (their
// text) and how to find each one's real change: the merge commit on the integration branch
// whose subject matches `merge`, else (work in progress) the tip of `branch`. The plan runs
// on a shared clone checked out at the base; nothing in the evaluated repository is changed.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { findTruth, git, gitOk, readIssue, type Manifest, type Truth } from './history.js';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { run } from '../../src/cli/main.js';
import { matches } from '../../src/core/globs.js';
import { extractMentions } from '../../src/plan/mentions.js';
import { dirOf } from '../../src/plan/classify.js';
import {
  allPairs,
  fileScore,
  overlapPairs,
  pairKey,
  pairScore,
  pct,
  ratio,
  type FileScore,
  type PairScore,
} from './metrics.js';
import { positionals } from './plan-one.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const verbose = args.includes('--verbose');
const beforeAt = args.indexOf('--before');
const before = beforeAt >= 0 ? args[beforeAt + 1] : undefined;
const afterAt = args.indexOf('--after'); // commit-eval's option; the issue level has no use for it
const skipAt = args.indexOf('--skip-issue'); // commit-eval's option too
const manifests = positionals(args, [beforeAt, afterAt, skipAt]);
if (!manifests.length) manifests.push(join(here, 'jit-parallel/manifest.json'));

/** Pairs `git merge-tree --write-tree` reports as conflicting (ignored paths do not count). */
function mergeTreePairs(repo: string, ids: string[], truth: Map<string, Truth>, ignore: string[]): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const a = truth.get(ids[i]!)!.tip;
      const b = truth.get(ids[j]!)!.tip;
      if (!a || !b) continue;
      const r = gitOk(repo, 'merge-tree', '--write-tree', '--name-only', '--no-messages', a, b);
      if (r.code === 0) continue;
      const files = r.out.split('\n').slice(1).filter(Boolean);
      if (files.some((f) => !ignore.some((g) => matches(f, g)))) out.add(pairKey(ids[i]!, ids[j]!));
    }
  return out;
}

interface PolicyResult {
  name: string;
  files: FileScore | null;
  overlap: PairScore;
  mergeTree: PairScore;
}

async function evaluate(manifestPath: string) {
  const m = JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const mdir = dirname(resolve(manifestPath));
  const repo = resolve(mdir, m.repo);
  const ignore = m.ignore ?? [];
  const ids = m.issues.map((i) => i.id);
  const tips = new Map<string, string>();
  const truth = findTruth(repo, m, tips, before);
  const evalIds = ids.filter((id) => truth.get(id)!.tip);
  const tmp = mkdtempSync(join(tmpdir(), 'jitp-eval-'));
  try {
    const clone = join(tmp, 'repo');
    git(tmp, 'clone', '-q', '--shared', '--no-checkout', repo, clone);
    git(clone, 'checkout', '-q', '--detach', m.base);
    const tasks = m.issues.map((is) => {
      const { title, body } = readIssue(resolve(mdir, is.text));
      return { id: is.id, title, instructions: body };
    });
    const batchFile = join(tmp, 'batch.yaml');
    writeFileSync(batchFile, stringify({ tasks }));
    const cfgFile = join(tmp, 'config.yaml');
    writeFileSync(cfgFile, stringify({ plan: { ignore } }));
    let stdout = '';
    const t0 = performance.now();
    const code = await run(['plan', '--batch', batchFile, '--json', '-C', clone], {
      stdout: (s) => (stdout += s),
      stderr: () => {},
      env: { ...process.env, JITP_CONFIG: cfgFile },
      cwd: clone,
      interactive: false,
    });
    const planMs = performance.now() - t0;
    if (code !== 0) throw new Error(`jitp plan failed (${code}): ${stdout}`);
    const plan = JSON.parse(stdout) as {
      issues: Array<{ id: string; files: string[]; tier: string; predicted: Array<{ path: string; reason: string }> }>;
      conflicts: Array<{ pair: [string, string]; files: string[] }>;
    };
    const baseFiles = new Set(git(clone, 'ls-files').split('\n'));
    const baseDirs = new Set(
      [...baseFiles].flatMap((f) => {
        const out: string[] = [];
        for (let d = dirOf(f); d; d = dirOf(d)) out.push(d);
        return out;
      }),
    );

    const pairs = allPairs(evalIds);
    const truthOverlap = overlapPairs(new Map(evalIds.map((id) => [id, truth.get(id)!.files])));
    const truthMerge = mergeTreePairs(repo, evalIds, truth, ignore);
    const sumFiles = (pred: Map<string, Set<string>>): FileScore =>
      evalIds.reduce<FileScore>(
        (acc, id) => {
          const s = fileScore(pred.get(id) ?? new Set(), truth.get(id)!.files);
          return { tp: acc.tp + s.tp, predicted: acc.predicted + s.predicted, truth: acc.truth + s.truth };
        },
        { tp: 0, predicted: 0, truth: 0 },
      );

    const planFiles = new Map(plan.issues.map((i) => [i.id, new Set(i.files)]));
    const planPairs = new Set(
      plan.conflicts
        .map((c) => pairKey(c.pair[0], c.pair[1]))
        .filter((k) => k.split('|').every((x) => evalIds.includes(x))),
    );
    const literalFiles = new Map(
      tasks.map((t) => [
        t.id,
        new Set(
          extractMentions(`${t.title}\n\n${t.instructions}`)
            .paths.map((p) => p.replace(/\/$/, ''))
            .filter(
              (p) =>
                baseFiles.has(p) ||
                (!baseDirs.has(p) && (baseDirs.has(dirOf(p)) || dirOf(p) === '') && !p.endsWith('/')),
            )
            .filter((p) => !ignore.some((g) => matches(p, g))),
        ),
      ]),
    );
    const policies: PolicyResult[] = [
      {
        name: 'jitp plan',
        files: sumFiles(planFiles),
        overlap: pairScore(pairs, planPairs, truthOverlap),
        mergeTree: pairScore(pairs, planPairs, truthMerge),
      },
      {
        name: 'literal paths only',
        files: sumFiles(literalFiles),
        overlap: pairScore(pairs, overlapPairs(literalFiles), truthOverlap),
        mergeTree: pairScore(pairs, overlapPairs(literalFiles), truthMerge),
      },
      {
        name: 'all parallel',
        files: null,
        overlap: pairScore(pairs, new Set(), truthOverlap),
        mergeTree: pairScore(pairs, new Set(), truthMerge),
      },
      {
        name: 'serialise everything',
        files: null,
        overlap: pairScore(pairs, new Set(pairs), truthOverlap),
        mergeTree: pairScore(pairs, new Set(pairs), truthMerge),
      },
    ];
    // Caught for the right reason: the conflict names a file both issues really changed.
    const planConflictFiles = new Map(plan.conflicts.map((c) => [pairKey(c.pair[0], c.pair[1]), c.files]));
    const explained = [...truthOverlap].filter((k) => {
      const [a, b] = k.split('|') as [string, string];
      return (planConflictFiles.get(k) ?? []).some((f) => truth.get(a)!.files.has(f) && truth.get(b)!.files.has(f));
    });
    return {
      manifest: m.name,
      repo,
      base: m.base,
      planMs,
      explained: explained.length,
      issues: evalIds.map((id) => ({
        id,
        truth: truth.get(id)!.how,
        truthFiles: [...truth.get(id)!.files].sort(),
        predicted: [...(planFiles.get(id) ?? [])].sort(),
        tier: plan.issues.find((i) => i.id === id)?.tier,
        reasons: plan.issues.find((i) => i.id === id)?.predicted,
      })),
      pairs: pairs.length,
      truthOverlap: [...truthOverlap].sort(),
      truthMergeTree: [...truthMerge].sort(),
      predictedPairs: [...planPairs].sort(),
      policies,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

const results = [];
for (const mf of manifests) results.push(await evaluate(mf));
if (asJson) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
else {
  for (const r of results) {
    console.log(`# ${r.manifest}`);
    console.log(
      `base ${r.base.slice(0, 10)}, ${r.issues.length} issues, ${r.pairs} pairs, plan took ${r.planMs.toFixed(0)} ms`,
    );
    for (const i of r.issues) {
      const t = new Set(i.truthFiles);
      const hit = i.predicted.filter((p) => t.has(p)).length;
      console.log(
        `  issue ${i.id}: ${i.tier}, predicted ${i.predicted.length}, changed ${i.truthFiles.length}, both ${hit}  ` +
          `[truth: ${i.truth}]`,
      );
      if (verbose) {
        for (const p of i.reasons ?? [])
          console.log(`      ${t.has(p.path) ? 'HIT ' : 'miss'} ${p.path} (${p.reason})`);
        for (const f of i.truthFiles) if (!i.predicted.includes(f)) console.log(`      not predicted: ${f}`);
      }
    }
    console.log(
      `truth conflicts: ${r.truthOverlap.length}/${r.pairs} pairs share a changed file; ` +
        `${r.truthMergeTree.length}/${r.pairs} conflict in git merge-tree`,
    );
    console.log(
      `predicted conflicts: ${r.predictedPairs.length}/${r.pairs}; of the ${r.truthOverlap.length} real overlaps, ` +
        `${r.explained} predicted through a file both really changed`,
    );
    console.log('');
    console.log(
      'policy                 file recall  file prec | overlap: recall  prec  acc | merge-tree: recall  prec  acc',
    );
    for (const p of r.policies) {
      const f = p.files;
      console.log(
        `${p.name.padEnd(22)} ${f ? pct(ratio(f.tp, f.truth)) : '    -'}       ` +
          `${f ? pct(ratio(f.tp, f.predicted)) : '    -'}    |        ${pct(p.overlap.recall)} ` +
          `${pct(p.overlap.precision)} ${pct(p.overlap.accuracy)} |           ${pct(p.mergeTree.recall)} ` +
          `${pct(p.mergeTree.precision)} ${pct(p.mergeTree.accuracy)}`,
      );
    }
    console.log('');
  }
}
