// Pure co-change mining: files that historically change in the same commits as the seeds.

import type { CommitFiles } from './types.js';

export interface CoChangeOptions {
  /** Commits touching more files than this are bulk changes (imports, renames); skipped. */
  maxCommitFiles: number;
  /** Minimum number of shared commits. */
  minSupport: number;
  /** Minimum share of the seed's commits that also touched the file. */
  minConfidence: number;
  /** At most this many files per seed. */
  perSeed: number;
}

export const DEFAULT_COCHANGE: CoChangeOptions = { maxCommitFiles: 30, minSupport: 2, minConfidence: 0.5, perSeed: 3 };

export interface CoChangeIndex {
  commits: CommitFiles[];
  /** File -> indices into commits (bulk commits excluded). */
  byFile: Map<string, number[]>;
}

export function indexCommits(commits: CommitFiles[], opts: CoChangeOptions = DEFAULT_COCHANGE): CoChangeIndex {
  const byFile = new Map<string, number[]>();
  commits.forEach((c, i) => {
    if (c.files.length > opts.maxCommitFiles || c.files.length < 2) return;
    for (const f of c.files) {
      const l = byFile.get(f);
      if (l) l.push(i);
      else byFile.set(f, [i]);
    }
  });
  return { commits, byFile };
}

export interface CoChangeHit {
  path: string;
  seed: string;
  together: number;
  seedCommits: number;
}

export function mineCoChange(
  seeds: readonly string[],
  idx: CoChangeIndex,
  opts: CoChangeOptions = DEFAULT_COCHANGE,
): CoChangeHit[] {
  const seedSet = new Set(seeds);
  const best = new Map<string, CoChangeHit>();
  for (const seed of seeds) {
    const mine = idx.byFile.get(seed);
    if (!mine || mine.length < opts.minSupport) continue;
    const co = new Map<string, number>();
    for (const ci of mine) for (const f of idx.commits[ci]!.files) if (!seedSet.has(f)) co.set(f, (co.get(f) ?? 0) + 1);
    const hits = [...co]
      .filter(([, n]) => n >= opts.minSupport && n / mine.length >= opts.minConfidence)
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, opts.perSeed);
    for (const [path, n] of hits) {
      const prev = best.get(path);
      if (!prev || n / mine.length > prev.together / prev.seedCommits)
        best.set(path, { path, seed, together: n, seedCommits: mine.length });
    }
  }
  return [...best.values()].sort(
    (a, b) => b.together / b.seedCommits - a.together / a.seedCommits || (a.path < b.path ? -1 : 1),
  );
}
