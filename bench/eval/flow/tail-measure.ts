// The hand-off's tail, measured instead of assumed (issue 15): when a sub-agent is refused a file a
// sibling holds, `jitp claim wait` lets it do the rest of its issue first and wait last, so only the
// part of its work that needs the held files follows the holder's stop. How large that part is can
// be read from history: for two issues worked in the same week whose commits change a common file
// (the "held files", from the waiter's side), the waiter's own commits say
// - how much of its change is on the held files (lines added + deleted there over all its lines):
//   the tail when the sub-agent defers exactly its held-file edits, as the prompt tells it;
// - how much of its work came from its first commit touching a held file to its end: a pessimistic
//   tail, for a sub-agent that works in the order history did and stops at the first held file.
// Lines stand in for time: no finer clock exists in the history. Pure: plain data in, shares out.

/** One commit of an issue's work: when, and lines changed (added + deleted) per file. */
export interface WorkCommit {
  time: number;
  /** Path -> lines added + deleted (bookkeeping left out; a binary change counts as 1). */
  lines: Readonly<Record<string, number>>;
}

const total = (c: WorkCommit) => Object.values(c.lines).reduce((s, n) => s + n, 0);
const touches = (c: WorkCommit, held: ReadonlySet<string>) => Object.keys(c.lines).some((f) => held.has(f));

/**
 * Share of the waiter's changed lines that are on held files. A waiter with no counted lines (only
 * mode changes, say) gives 1: with nothing to measure, assume all of its work waits.
 */
export function heldLinesShare(work: readonly WorkCommit[], held: Iterable<string>): number {
  const h = new Set(held);
  let all = 0;
  let on = 0;
  for (const c of work)
    for (const [f, n] of Object.entries(c.lines)) {
      all += n;
      if (h.has(f)) on += n;
    }
  return all > 0 ? on / all : 1;
}

/**
 * Share of the waiter's changed lines from its first commit (by time; ties keep the given order)
 * that touches a held file to its last commit. No commit touching a held file gives 0 (nothing
 * waits); no counted lines gives 1, as heldLinesShare.
 */
export function fromFirstTouchShare(work: readonly WorkCommit[], held: Iterable<string>): number {
  const h = new Set(held);
  const ordered = work.map((c, i) => ({ c, i })).sort((a, b) => a.c.time - b.c.time || a.i - b.i);
  const all = ordered.reduce((s, x) => s + total(x.c), 0);
  if (all <= 0) return ordered.some((x) => touches(x.c, h)) ? 1 : 0;
  const first = ordered.findIndex((x) => touches(x.c, h));
  if (first < 0) return 0;
  return ordered.slice(first).reduce((s, x) => s + total(x.c), 0) / all;
}

export interface TailIssue {
  id: string;
  /** The files its commits changed (bookkeeping left out). */
  files: readonly string[];
  work: readonly WorkCommit[];
}

export interface TailPair {
  week: string;
  waiter: string;
  holder: string;
  /** Files both changed: those the waiter would meet held. */
  held: string[];
  heldLines: number;
  fromFirstTouch: number;
}

/**
 * Every ordered pair (waiter, holder) of issues of one week whose files overlap: either may be the
 * one that starts second, so each overlapping pair counts once from each side.
 */
export function tailPairs(batches: ReadonlyArray<{ week: string; issues: readonly TailIssue[] }>): TailPair[] {
  const out: TailPair[] = [];
  for (const b of batches)
    for (const w of b.issues)
      for (const h of b.issues) {
        if (w === h) continue;
        const theirs = new Set(h.files);
        const held = w.files.filter((f) => theirs.has(f));
        if (!held.length) continue;
        out.push({
          week: b.week,
          waiter: w.id,
          holder: h.id,
          held,
          heldLines: heldLinesShare(w.work, held),
          fromFirstTouch: fromFirstTouchShare(w.work, held),
        });
      }
  return out;
}

export interface Quartiles {
  n: number;
  q1: number;
  median: number;
  q3: number;
}

/** Quartiles by linear interpolation between order statistics (R's type 7, numpy's default). */
export function quartiles(xs: readonly number[]): Quartiles {
  if (!xs.length) throw new Error('quartiles: no values (no overlapping pairs in the weeks given)');
  const s = [...xs].sort((a, b) => a - b);
  const at = (p: number) => {
    const x = (s.length - 1) * p;
    const lo = Math.floor(x);
    const hi = Math.ceil(x);
    return s[lo]! + (s[hi]! - s[lo]!) * (x - lo);
  };
  return { n: s.length, q1: at(0.25), median: at(0.5), q3: at(0.75) };
}
