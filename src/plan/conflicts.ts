// Pure pairwise conflicts: two issues conflict when their predicted existing files overlap,
// they touch the same hot file, or they create the same new path.
import type { PredictedFile } from './types.js';

export interface Conflict {
  pair: [string, string];
  files: string[];
  reason: string;
}

export function findConflicts(preds: ReadonlyArray<{ id: string; files: PredictedFile[] }>): Conflict[] {
  const out: Conflict[] = [];
  const maps = preds.map((p) => new Map(p.files.map((f) => [f.path, f])));
  for (let i = 0; i < preds.length; i++) {
    for (let j = i + 1; j < preds.length; j++) {
      const a = maps[i]!;
      const b = maps[j]!;
      const [small, big] = a.size <= b.size ? [a, b] : [b, a];
      const hot: string[] = [];
      const same: string[] = [];
      const created: string[] = [];
      for (const [path, f] of small) {
        const g = big.get(path);
        if (!g) continue;
        if (f.isNew && g.isNew) created.push(path);
        else if (f.hot || g.hot) hot.push(path);
        else same.push(path);
      }
      if (!hot.length && !same.length && !created.length) continue;
      const parts: string[] = [];
      if (same.length) parts.push(`both change ${same.sort().join(', ')}`);
      if (hot.length) parts.push(`both touch hot file${hot.length > 1 ? 's' : ''} ${hot.sort().join(', ')}`);
      if (created.length) parts.push(`both create ${created.sort().join(', ')}`);
      out.push({
        pair: [preds[i]!.id, preds[j]!.id],
        files: [...same, ...hot, ...created].sort(),
        reason: parts.join('; '),
      });
    }
  }
  return out;
}
