// Pure conflict chances for cost-based scheduling: instead of a yes/no verdict from predicted
// files, the chance that two issues (or an issue and the running ones) need the same file, from
// each issue's soft file estimates (predicted files count as certain, files the nearest past issues
// changed as likely with their share). Files are taken as independent: a pair conflicts unless it
// avoids every shared file.
import type { LikelyFile } from './types.js';

function chances(files: readonly LikelyFile[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of files) m.set(f.path, Math.max(m.get(f.path) ?? 0, Math.min(1, Math.max(0, f.p))));
  return m;
}

/** P(two issues both change some file) = 1 - prod over shared files of (1 - pa * pb). */
export function pairConflictChance(a: readonly LikelyFile[], b: readonly LikelyFile[]): number {
  const ma = chances(a);
  const mb = chances(b);
  const [small, big] = ma.size <= mb.size ? [ma, mb] : [mb, ma];
  let none = 1;
  for (const [path, p] of small) {
    const q = big.get(path);
    if (q !== undefined) none *= 1 - p * q;
  }
  return 1 - none;
}

/** P(an issue needs a file that a live lease holds): held files are certain for their holder. */
export function heldConflictChance(files: readonly LikelyFile[], held: (path: string) => boolean): number {
  let none = 1;
  for (const [path, p] of chances(files)) if (held(path)) none *= 1 - p;
  return 1 - none;
}
