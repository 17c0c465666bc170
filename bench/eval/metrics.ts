// Pure metrics for the plan accuracy evaluation.

export interface FileScore {
  tp: number;
  predicted: number;
  truth: number;
}

export function fileScore(pred: ReadonlySet<string>, truth: ReadonlySet<string>): FileScore {
  let tp = 0;
  for (const p of pred) if (truth.has(p)) tp++;
  return { tp, predicted: pred.size, truth: truth.size };
}

export const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

export const pairKey = (a: string, b: string): string => (a < b ? `${a}|${b}` : `${b}|${a}`);

export function allPairs(ids: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ids.length; i++) for (let j = i + 1; j < ids.length; j++) out.push(pairKey(ids[i]!, ids[j]!));
  return out;
}

/** Pairs whose file sets share a file. */
export function overlapPairs(files: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const ids = [...files.keys()];
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i++)
    for (let j = i + 1; j < ids.length; j++) {
      const a = files.get(ids[i]!)!;
      const b = files.get(ids[j]!)!;
      for (const f of a)
        if (b.has(f)) {
          out.add(pairKey(ids[i]!, ids[j]!));
          break;
        }
    }
  return out;
}

export interface PairScore {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  recall: number | null;
  precision: number | null;
  accuracy: number | null;
}

export function pairScore(
  all: readonly string[],
  predicted: ReadonlySet<string>,
  truth: ReadonlySet<string>,
): PairScore {
  let tp = 0,
    fp = 0,
    fn = 0,
    tn = 0;
  for (const p of all) {
    const a = predicted.has(p);
    const t = truth.has(p);
    if (a && t) tp++;
    else if (a) fp++;
    else if (t) fn++;
    else tn++;
  }
  return {
    tp,
    fp,
    fn,
    tn,
    recall: ratio(tp, tp + fn),
    precision: ratio(tp, tp + fp),
    accuracy: ratio(tp + tn, all.length),
  };
}

export const pct = (x: number | null): string => (x === null ? '  n/a' : `${(x * 100).toFixed(0).padStart(4)}%`);
