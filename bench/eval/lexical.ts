// Lexical retrieval over the code, as bug-localisation tools do it: rank the files of a tree by
// BM25 of the words (the planner's own tokenizer: word stems, camelCase and snake_case
// split). Evaluation only: it measures whether the words of a text point at the files a change
// really touches, before anything like it goes into the planner (it did not: docs/benchmarks.md).
import { execFileSync } from 'node:child_process';
import { matches } from '../../src/core/globs.js';
import { tokenize } from '../../src/plan/similar.js';

export interface LexicalIndex {
  files: string[];
  tf: Array<Map<string, number>>;
  len: number[];
  avgLen: number;
  idf: Map<string, number>;
}

const K1 = 1.2;
const B = 0.75;
/** Files larger than this are generated or vendored, not where a change is written. */
const MAX_BYTES = 1 << 20;

/** Indexes every text file of `rev` (binary and huge files left out). One `git cat-file --batch`. */
export function lexicalIndex(repo: string, rev: string, ignore: readonly string[]): LexicalIndex {
  const git = (args: string[], input?: string): Buffer =>
    execFileSync('git', ['-c', 'core.quotePath=false', ...args], { cwd: repo, input, maxBuffer: 1 << 30 });
  const entries = git(['ls-tree', '-r', '-z', '--format=%(objectname) %(objectsize) %(path)', rev])
    .toString('utf8')
    .split('\0')
    .filter(Boolean)
    .map((l) => {
      const [oid, size, ...p] = l.split(' ');
      return { oid: oid!, size: Number(size), path: p.join(' ') };
    })
    .filter((e) => e.size <= MAX_BYTES && !ignore.some((g) => matches(e.path, g)));
  const out = git(['cat-file', '--batch'], entries.map((e) => e.oid).join('\n') + '\n');
  const files: string[] = [];
  const tf: Array<Map<string, number>> = [];
  const len: number[] = [];
  const df = new Map<string, number>();
  let at = 0;
  for (const e of entries) {
    const nl = out.indexOf(10, at);
    const size = Number(out.subarray(at, nl).toString().split(' ')[2]);
    const body = out.subarray(nl + 1, nl + 1 + size);
    at = nl + 1 + size + 1;
    if (body.subarray(0, 8000).includes(0)) continue;
    const toks = tokenize(`${e.path.replace(/[/.]/g, ' ')}\n${body.toString('utf8')}`.slice(0, 400_000));
    const m = new Map<string, number>();
    for (const t of toks) m.set(t, (m.get(t) ?? 0) + 1);
    for (const t of m.keys()) df.set(t, (df.get(t) ?? 0) + 1);
    files.push(e.path);
    tf.push(m);
    len.push(toks.length);
  }
  const n = files.length;
  const idf = new Map<string, number>();
  for (const [t, d] of df) idf.set(t, Math.log(1 + (n - d + 0.5) / (d + 0.5)));
  return { files, tf, len, avgLen: len.reduce((a, b) => a + b, 0) / Math.max(1, n), idf };
}

/** The `top` best files for a text, with their share of the top files' summed score. */
export function rankFiles(ix: LexicalIndex, text: string, top = 20): Array<{ path: string; share: number }> {
  const q = [...new Set(tokenize(text))].filter((t) => ix.idf.has(t));
  const scored: Array<{ path: string; score: number }> = [];
  for (let i = 0; i < ix.files.length; i++) {
    const m = ix.tf[i]!;
    let s = 0;
    for (const t of q) {
      const f = m.get(t);
      if (f) s += ix.idf.get(t)! * ((f * (K1 + 1)) / (f + K1 * (1 - B + (B * ix.len[i]!) / ix.avgLen)));
    }
    if (s > 0) scored.push({ path: ix.files[i]!, score: s });
  }
  scored.sort((a, b) => b.score - a.score || (a.path < b.path ? -1 : 1));
  const best = scored.slice(0, top);
  const total = best.reduce((s, x) => s + x.score, 0);
  return best.map((x) => ({ path: x.path, share: x.score / total }));
}

/** Soft overlap of two rankings: the chance both pick the same file if each picks by share. */
export function softOverlap(
  a: ReadonlyArray<{ path: string; share: number }>,
  b: ReadonlyArray<{ path: string; share: number }>,
): number {
  const m = new Map(b.map((x) => [x.path, x.share]));
  return a.reduce((s, x) => s + x.share * (m.get(x.path) ?? 0), 0);
}

export interface Curve {
  pairs: number;
  conflicts: number;
  /** Chance a random conflicting pair scores above a random non-conflicting one (ties count half). */
  auc: number | null;
  /** The best pair accuracy any threshold on the score gives while catching ≥ `recallGoal`. */
  atRecall: { recallGoal: number; recall: number; precision: number; accuracy: number } | null;
}

/** The operating curve of a pair score: what any threshold on it could reach. */
export function curve(pairs: ReadonlyArray<{ truth: boolean; score: number }>, recallGoal = 0.85): Curve {
  const n = pairs.length;
  const pos = pairs.filter((p) => p.truth).length;
  const neg = n - pos;
  if (!pos || !neg) return { pairs: n, conflicts: pos, auc: null, atRecall: null };
  // Walk thresholds from high to low, one group of tied scores at a time.
  const sorted = [...pairs].sort((a, b) => b.score - a.score);
  let tp = 0,
    fp = 0,
    aucSum = 0;
  let best: Curve['atRecall'] = null;
  for (let i = 0; i < n;) {
    let j = i,
      gp = 0,
      gn = 0;
    for (; j < n && sorted[j]!.score === sorted[i]!.score; j++) sorted[j]!.truth ? gp++ : gn++;
    aucSum += gn * tp + (gn * gp) / 2;
    tp += gp;
    fp += gn;
    const recall = tp / pos;
    const accuracy = (tp + neg - fp) / n;
    if (recall >= recallGoal && (!best || accuracy > best.accuracy))
      best = { recallGoal, recall, precision: tp / (tp + fp), accuracy };
    i = j;
  }
  return { pairs: n, conflicts: pos, auc: aucSum / (pos * neg), atRecall: best };
}

/** tf-idf cosine between every two texts of one set (idf over the set): how alike two issues read. */
export function textSimilarity(texts: readonly string[]): (a: number, b: number) => number {
  const toks = texts.map((t) => tokenize(t));
  const df = new Map<string, number>();
  for (const ts of toks) for (const t of new Set(ts)) df.set(t, (df.get(t) ?? 0) + 1);
  const vecs = toks.map((ts) => {
    const tf = new Map<string, number>();
    for (const t of ts) tf.set(t, (tf.get(t) ?? 0) + 1);
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, n] of tf) {
      const w = (1 + Math.log(n)) * Math.log((texts.length + 1) / (df.get(t)! + 0.5));
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm);
    for (const [t, w] of v) v.set(t, norm ? w / norm : 0);
    return v;
  });
  return (a, b) => {
    let s = 0;
    for (const [t, w] of vecs[a]!) s += w * (vecs[b]!.get(t) ?? 0);
    return s;
  };
}
