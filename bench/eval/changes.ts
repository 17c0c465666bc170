// Shared by the release and the Debian evaluations: a list of real changes, each with the text
// that describes it, the tree it was made on and the files it really changed. Plans each text on
// its tree, then scores pairs (chosen by the caller) against the truth for jitp and the baselines.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { findConflicts } from '../../src/plan/conflicts.js';
import type { PredictedFile } from '../../src/plan/types.js';
import { git } from './history.js';
import {
  curve,
  lexicalIndex,
  rankFiles,
  softOverlap,
  textSimilarity,
  type Curve,
  type LexicalIndex,
} from './lexical.js';
import { fileScore, overlapPairs, pairKey, pairScore, pct, ratio, type FileScore, type PairScore } from './metrics.js';
import { literalPaths, planText } from './plan-one.js';

export interface Change {
  id: string;
  /** Commit of `repo` the change was made on. */
  base: string;
  text: string;
  truth: Set<string>;
  /** Position in its sequence (release order, patch series order): pairs are chosen by it. */
  index: number;
  /** Tree the lexical experiment indexes (default `base`); must not contain the change. */
  lexicalBase?: string;
}

export interface Planned extends Change {
  predicted: PredictedFile[];
  literal: Set<string>;
  /** With `lexical`: the files BM25 ranks first for the text, with their shares. */
  lexical?: Array<{ path: string; share: number }>;
}

export interface Policy {
  name: string;
  files: FileScore | null;
  pairs: PairScore;
}

export async function planChanges(
  repo: string,
  changes: Change[],
  ignore: string[],
  progress?: (done: number) => void,
  opts: { lexical?: boolean } = {},
): Promise<Planned[]> {
  const tmp = mkdtempSync(join(tmpdir(), 'jitp-cheval-'));
  try {
    const clone = join(tmp, 'repo');
    git(tmp, 'clone', '-q', '--shared', '--no-checkout', repo, clone);
    const cfg = join(tmp, 'config.yaml');
    writeFileSync(cfg, stringify({ plan: { ignore } }));
    const out: Planned[] = [];
    const indexes = new Map<string, LexicalIndex>();
    const lexicalOf = (c: Change) => {
      const rev = c.lexicalBase ?? c.base;
      let ix = indexes.get(rev);
      if (!ix) indexes.set(rev, (ix = lexicalIndex(repo, rev, ignore)));
      return rankFiles(ix, c.text);
    };
    for (const c of changes) {
      git(clone, 'checkout', '-q', '--detach', '-f', c.base);
      out.push({
        ...c,
        predicted: await planText(clone, cfg, tmp, c.text),
        literal: literalPaths(clone, c.text, ignore),
        ...(opts.lexical ? { lexical: lexicalOf(c) } : {}),
      });
      progress?.(out.length);
    }
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** `pairOf(a, b)`: whether two changes form a pair to score (e.g. fewer than N releases apart). */
export function scoreChanges(
  items: Planned[],
  pairOf: (a: Planned, b: Planned) => boolean,
): { pairs: number; truthConflicts: number; policies: Policy[]; scores?: PairScores } {
  const pairs: string[] = [];
  const idx: Array<[number, number]> = [];
  for (let a = 0; a < items.length; a++)
    for (let b = a + 1; b < items.length; b++)
      if (pairOf(items[a]!, items[b]!)) {
        pairs.push(pairKey(items[a]!.id, items[b]!.id));
        idx.push([a, b]);
      }
  const pairSet = new Set(pairs);
  const only = (s: Set<string>) => new Set([...s].filter((k) => pairSet.has(k)));
  const truthPairs = only(overlapPairs(new Map(items.map((c) => [c.id, c.truth]))));
  const planPairs = only(
    new Set(
      findConflicts(items.map((c) => ({ id: c.id, files: c.predicted }))).map((c) => pairKey(c.pair[0], c.pair[1])),
    ),
  );
  const literalPairs = only(overlapPairs(new Map(items.map((c) => [c.id, c.literal]))));
  const sum = (get: (c: Planned) => Set<string>): FileScore =>
    items.reduce<FileScore>(
      (acc, c) => {
        const s = fileScore(get(c), c.truth);
        return { tp: acc.tp + s.tp, predicted: acc.predicted + s.predicted, truth: acc.truth + s.truth };
      },
      { tp: 0, predicted: 0, truth: 0 },
    );
  const policies: Policy[] = [
    {
      name: 'jitp plan',
      files: sum((c) => new Set(c.predicted.map((p) => p.path))),
      pairs: pairScore(pairs, planPairs, truthPairs),
    },
    { name: 'literal paths only', files: sum((c) => c.literal), pairs: pairScore(pairs, literalPairs, truthPairs) },
    { name: 'all parallel', files: null, pairs: pairScore(pairs, new Set(), truthPairs) },
    { name: 'serialise everything', files: null, pairs: pairScore(pairs, pairSet, truthPairs) },
  ];
  if (!items.every((c) => c.lexical)) return { pairs: pairs.length, truthConflicts: truthPairs.size, policies };
  // The lexical experiment: its top files as a file set, and its soft overlap as a pair score.
  const top = (k: number) => (c: Planned) => new Set(c.lexical!.slice(0, k).map((x) => x.path));
  const withTop = (k: number, plus: (c: Planned) => Set<string>) => (c: Planned) => new Set([...top(k)(c), ...plus(c)]);
  const jitpFiles = (c: Planned) => new Set(c.predicted.map((p) => p.path));
  const asPolicy = (name: string, get: (c: Planned) => Set<string>): Policy => ({
    name,
    files: sum(get),
    pairs: pairScore(pairs, only(overlapPairs(new Map(items.map((c) => [c.id, get(c)])))), truthPairs),
  });
  policies.push(
    asPolicy('lexical top 1', top(1)),
    asPolicy('lexical top 3', top(3)),
    asPolicy('jitp plan + lexical top 1', withTop(1, jitpFiles)),
  );
  const alike = textSimilarity(items.map((c) => c.text));
  const raw = idx.map(([a, b]) => {
    const [x, y] = [items[a]!, items[b]!];
    const key = pairKey(x.id, y.id);
    return {
      truth: truthPairs.has(key),
      soft: softOverlap(x.lexical!, y.lexical!),
      text: alike(a, b),
      plan: planPairs.has(key) ? 1 : 0,
    };
  });
  const as = (score: (p: (typeof raw)[number]) => number) => raw.map((p) => ({ truth: p.truth, score: score(p) }));
  return {
    pairs: pairs.length,
    truthConflicts: truthPairs.size,
    policies,
    scores: {
      'BM25 soft overlap': as((p) => p.soft),
      'text similarity of the pair': as((p) => p.text),
      'jitp plan, then both summed': as((p) => p.plan + (p.soft + p.text) / 2),
    },
  };
}

/** Pair scores for operating curves, by name: each a signal any threshold could be put on. */
export type PairScores = Record<string, Array<{ truth: boolean; score: number }>>;

export function curves(sets: ReadonlyArray<PairScores | undefined>): Record<string, Curve> | null {
  if (!sets.length || sets.some((s) => !s)) return null;
  return Object.fromEntries(Object.keys(sets[0]!).map((name) => [name, curve(sets.flatMap((s) => s![name]!))]));
}

/** Sums pair counts per policy over several sources (every pair counts once). */
export function pool(sets: Policy[][]): Array<{ name: string; pairs: PairScore }> {
  return sets[0]!.map((p, k) => {
    const s = sets.reduce(
      (a, ps) => {
        const x = ps[k]!.pairs;
        return { tp: a.tp + x.tp, fp: a.fp + x.fp, fn: a.fn + x.fn, tn: a.tn + x.tn };
      },
      { tp: 0, fp: 0, fn: 0, tn: 0 },
    );
    const n = s.tp + s.fp + s.fn + s.tn;
    return {
      name: p.name,
      pairs: {
        ...s,
        recall: ratio(s.tp, s.tp + s.fn),
        precision: ratio(s.tp, s.tp + s.fp),
        accuracy: ratio(s.tp + s.tn, n),
      },
    };
  });
}

export function policyRow(name: string, f: FileScore | null, p: PairScore): string {
  return (
    `${name.padEnd(27)} ${f ? pct(ratio(f.tp, f.truth)) : '    -'}       ` +
    `${f ? pct(ratio(f.tp, f.predicted)) : '    -'}    |      ${pct(p.recall)} ${pct(p.precision)} ${pct(p.accuracy)}`
  );
}

export const POLICY_HEADER = 'policy                      file recall  file prec | pairs: recall  prec   acc';

/** Human report: one block per source, then the pooled rows (`label` names what was pooled). */
export function printReport<R extends { policies: Policy[]; scores?: PairScores }>(
  results: R[],
  heading: (r: R) => string,
  label: string,
): void {
  for (const r of results) {
    console.log(heading(r));
    console.log(POLICY_HEADER);
    for (const p of r.policies) console.log(policyRow(p.name, p.files, p.pairs));
    console.log('');
  }
  const pooled = pool(results.map((r) => r.policies));
  const all = pooled[3]!.pairs;
  console.log(`# pooled${label}: ${all.tp + all.fp} pairs, ${all.tp} conflicting`);
  for (const p of pooled) console.log(policyRow(p.name, null, p.pairs));
  const c = curves(results.map((r) => r.scores));
  if (!c) return;
  console.log(`\n# what any threshold on a pair score could reach (pooled${label}; best accuracy with recall >= 85%)`);
  for (const [name, k] of Object.entries(c)) {
    const a = k.atRecall;
    console.log(
      `${name.padEnd(34)} AUC ${k.auc === null ? '-' : k.auc.toFixed(2)}  ` +
        (a ? `recall ${pct(a.recall)} precision ${pct(a.precision)} accuracy ${pct(a.accuracy)}` : 'no such threshold'),
    );
  }
}

/**
 * `--json` of the release and Debian evaluations: every source (without its raw pair scores), the pooled rows, the
 * curves.
 */
export function printJson<R extends { policies: Policy[]; scores?: PairScores }>(window: number, results: R[]): void {
  process.stdout.write(
    `${JSON.stringify(
      {
        window,
        results: results.map(({ scores: _, ...r }) => r),
        pooled: pool(results.map((r) => r.policies)),
        curves: curves(results.map((r) => r.scores)),
      },
      null,
      2,
    )}\n`,
  );
}
