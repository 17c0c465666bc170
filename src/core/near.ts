// "Did you mean": the candidates closest to what was typed, for unknown commands and unknown
// issue ids. Pure. Distance is optimal string alignment (a swap of two neighbours costs one, so
// `aquire` is one step from `acquire`); a candidate the input is a prefix or a part of also counts.

/** Edit distance with adjacent transpositions (optimal string alignment), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  const rows: number[][] = [];
  for (let i = 0; i <= s.length; i++) {
    const row = new Array<number>(t.length + 1).fill(0);
    row[0] = i;
    rows.push(row);
  }
  for (let j = 0; j <= t.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= s.length; i++) {
    const cur = rows[i]!;
    const prev = rows[i - 1]!;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let d = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      cur[j] = d;
    }
  }
  return rows[s.length]![t.length]!;
}

export interface NearCandidate {
  /** What is suggested (a command path, an issue id). */
  value: string;
  /** Other names it answers to: a short id, a title, the last word of a command. */
  aliases?: readonly string[];
}

/**
 * Up to `max` candidates near `query`, best first: a small edit distance (at most a third of the
 * longer word, and at least 1), or the query being a prefix or a part (3+ characters) of a name.
 */
export function nearest(query: string, candidates: readonly NearCandidate[], max = 5): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const scored: Array<{ value: string; score: number }> = [];
  for (const c of candidates) {
    let best = Infinity;
    const names = [c.value, ...(c.aliases ?? [])];
    names.forEach((name, i) => {
      const n = name.toLowerCase();
      // The name itself ranks before an alias at the same distance (`status` before `claim status`).
      const alias = i > 0 ? 0.1 : 0;
      if (!n) return;
      if (n === q) best = Math.min(best, alias);
      else if (n.startsWith(q)) best = Math.min(best, 0.5 + alias);
      else if (q.length >= 3 && n.includes(q)) best = Math.min(best, 1.5 + alias);
      // Long names (titles) are compared word by word as well: `loign` is near "Fix login".
      const words = n.split(/[^\p{L}\p{N}]+/u).filter((x) => x.length >= 3 && x !== n);
      [n, ...words].forEach((w, j) => {
        const d = editDistance(q, w);
        const part = j > 0 ? 0.1 : 0;
        if (d <= Math.max(1, Math.floor(Math.max(q.length, w.length) / 3)))
          best = Math.min(best, d + 0.75 + alias + part);
      });
    });
    if (best < Infinity) scored.push({ value: c.value, score: best });
  }
  scored.sort((x, y) => x.score - y.score || x.value.localeCompare(y.value));
  return [...new Set(scored.map((s) => s.value))].slice(0, max);
}
