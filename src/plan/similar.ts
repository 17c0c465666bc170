// Pure "similar past changes": the files that the most similar past commits changed.
//
// Issue texts rarely name the shared files that make parallel work collide: the benchmark
// document a performance change updates, the manifest a new script lands in, the README section
// a new command is documented in. The repository's own history knows: commits whose messages
// read like this issue changed those files. We find the past commits most similar to the issue
// text (tf-idf cosine over their messages, k nearest) and predict a file when the neighbours
// that changed it carry most of the neighbours' similarity. Only history before the planned
// tree is used, so the prediction never sees the change it predicts.
import type { CommitFiles } from './types.js';

export interface SimilarOptions {
  /** Neighbours consulted. */
  k: number;
  /** Cosine below this is not a neighbour (unrelated commits must not vote). */
  minSimilarity: number;
  /** A file needs at least this share of the neighbours' summed similarity... */
  minShare: number;
  /** ...and at least this many neighbours that changed it. */
  minVotes: number;
  /** Commits touching more files than this are bulk changes (imports, renames): not examples. */
  maxCommitFiles: number;
  /** At most this many files per issue from this source. */
  maxFiles: number;
}

export const DEFAULT_SIMILAR: SimilarOptions = {
  k: 5,
  minSimilarity: 0.1,
  minShare: 0.5,
  minVotes: 2,
  maxCommitFiles: 30,
  maxFiles: 6,
};

/** Words that say nothing about where a change lands. */
const STOP = new Set(
  (
    'the and for with from into onto that this these those than then them they their there here when what which ' +
    'while where who why how ' +
    'not but are was were been being has have had does did done doing can could should would will shall may might ' +
    'must also only just ' +
    'each every all any some more most less least very much many one two three four five first last next new old ' +
    "now its it's our your " +
    'you use used uses using make makes made get gets got set sets add adds added adding fix fixes fixed remove ' +
    'removes removed update updates ' +
    'updated change changes changed instead still same other another both between about over under after before ' +
    'again out off own per via ' +
    'like such say says said see seen let lets way ways thing things part parts case cases time times too yet so no ' +
    'nor if else is be to ' +
    'of in on at by as or an a we us i me my he she his her him'
  ).split(/\s+/),
);

/** Lower-case word stems of a text: camelCase, snake_case, kebab-case and paths split apart. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  const spaced = text.slice(0, 20_000).replace(/([a-z0-9])([A-Z])/g, '$1 $2');
  for (const raw of spaced.split(/[^A-Za-z0-9]+/)) {
    const w = raw.toLowerCase();
    if (w.length < 3 || STOP.has(w) || /^\d+$/.test(w) || /^[0-9a-f]{7,}$/.test(w)) continue;
    out.push(stem(w));
  }
  return out;
}

/** A light stemmer: enough that `benchmarks`, `benchmark` and `benchmarking` meet. */
export function stem(w: string): string {
  if (w.length > 5 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 5 && w.endsWith('ing')) return w.slice(0, -3);
  if (w.length > 4 && w.endsWith('ed') && !w.endsWith('eed')) return w.slice(0, -2);
  if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is'))
    return w.slice(0, -1);
  return w;
}

type Vec = Map<string, number>;

export interface SimilarIndex {
  idf: Map<string, number>;
  examples: Array<{ hash: string; subject: string; files: string[]; vec: Vec }>;
}

function weigh(tokens: string[], idf: ReadonlyMap<string, number>, unknownIdf: number): Vec {
  const tf = new Map<string, number>();
  for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
  const v: Vec = new Map();
  let norm = 0;
  for (const [t, n] of tf) {
    const w = (1 + Math.log(n)) * (idf.get(t) ?? unknownIdf);
    if (w <= 0) continue;
    v.set(t, w);
    norm += w * w;
  }
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [t, w] of v) v.set(t, w / norm);
  return v;
}

function cosine(a: Vec, b: Vec): number {
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  let s = 0;
  for (const [t, w] of small) {
    const x = big.get(t);
    if (x !== undefined) s += w * x;
  }
  return s;
}

export function indexMessages(commits: readonly CommitFiles[], opts: SimilarOptions = DEFAULT_SIMILAR): SimilarIndex {
  const usable = commits.filter(
    (c) => c.message && c.message.trim() && c.files.length > 0 && c.files.length <= opts.maxCommitFiles,
  );
  const toks = usable.map((c) => tokenize(c.message!));
  const df = new Map<string, number>();
  for (const ts of toks) for (const t of new Set(ts)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = usable.length;
  const idf = new Map<string, number>();
  for (const [t, d] of df) idf.set(t, Math.log((n + 1) / (d + 0.5)));
  const examples = usable.map((c, i) => ({
    hash: c.hash,
    subject: c.message!.trim().split('\n')[0]!.slice(0, 80),
    files: [...new Set(c.files)],
    vec: weigh(toks[i]!, idf, 0),
  }));
  return { idf, examples };
}

export interface SimilarHit {
  path: string;
  /** Neighbours that changed the file, and neighbours consulted. */
  votes: number;
  of: number;
  /** Share of the neighbours' summed similarity carried by those that changed it. */
  share: number;
  /** Subject of the most similar neighbour that changed it. */
  example: string;
}

/** The k nearest examples to a text (cosine at least minSimilarity), nearest first. */
function nearest(text: string, idx: SimilarIndex, opts: Pick<SimilarOptions, 'k' | 'minSimilarity'>) {
  if (!idx.examples.length || opts.k <= 0) return [];
  // Words never seen in history carry no evidence about which files change.
  const v = weigh(tokenize(text), idx.idf, 0);
  if (!v.size) return [];
  return idx.examples
    .map((e) => ({ e, sim: cosine(v, e.vec) }))
    .filter((x) => x.sim >= opts.minSimilarity)
    .sort((a, b) => b.sim - a.sim || (a.e.hash < b.e.hash ? -1 : 1))
    .slice(0, opts.k);
}

/** Every file the nearest examples changed, with votes and similarity share, highest share first. */
export function likelyFiles(
  text: string,
  idx: SimilarIndex,
  opts: Pick<SimilarOptions, 'k' | 'minSimilarity'>,
): SimilarHit[] {
  const near = nearest(text, idx, opts);
  const total = near.reduce((s, x) => s + x.sim, 0);
  const acc = new Map<string, { votes: number; weight: number; example: string }>();
  for (const { e, sim } of near) {
    for (const f of e.files) {
      const a = acc.get(f);
      if (a) {
        a.votes++;
        a.weight += sim;
      } else acc.set(f, { votes: 1, weight: sim, example: e.subject });
    }
  }
  return [...acc]
    .map(([path, a]) => ({ path, votes: a.votes, of: near.length, share: a.weight / total, example: a.example }))
    .sort((a, b) => b.share - a.share || (a.path < b.path ? -1 : 1));
}

export function similarChanges(text: string, idx: SimilarIndex, opts: SimilarOptions = DEFAULT_SIMILAR): SimilarHit[] {
  const all = likelyFiles(text, idx, opts);
  if (!all.length || all[0]!.of < opts.minVotes) return [];
  return all.filter((h) => h.votes >= opts.minVotes && h.share >= opts.minShare).slice(0, opts.maxFiles);
}
