// Merge preview with `git merge-tree --write-tree`: computes every merge in the object
// store only, so no worktree, index or HEAD is touched. Runs the calls in parallel.
import { availableParallelism } from 'node:os';
import { gitRun } from '../worktree/git.js';
import { type PairResult, pairsToCheck } from './matrix.js';

export interface PreviewNode {
  label: string;
  /** Branch name or commit. */
  rev: string;
}

export async function mergeTreeOnce(cwd: string, a: string, b: string): Promise<{ clean: boolean; files: string[]; error?: string }> {
  const r = await gitRun(cwd, ['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', a, b]);
  if (r.code !== 0 && r.code !== 1) return { clean: false, files: [], error: r.stderr.trim().split('\n')[0] || `exit ${r.code}` };
  const fields = r.stdout.split('\0').filter((f) => f.length > 0);
  const files = [...new Set(fields.slice(1))];
  return { clean: r.code === 0, files };
}

export async function preview(
  cwd: string,
  tip: string,
  nodes: PreviewNode[],
  opts: { concurrency?: number; onDone?: (done: number, total: number) => void } = {},
): Promise<PairResult[]> {
  const revOf = new Map(nodes.map((n) => [n.label, n.rev]));
  revOf.set('tip', tip);
  const pairs = pairsToCheck(nodes.map((n) => n.label));
  const results: PairResult[] = new Array(pairs.length);
  let next = 0;
  let done = 0;
  const workers = Math.max(1, Math.min(opts.concurrency ?? availableParallelism(), pairs.length));
  await Promise.all(
    Array.from({ length: workers }, async () => {
      for (let i = next++; i < pairs.length; i = next++) {
        const [a, b] = pairs[i]!;
        const r = await mergeTreeOnce(cwd, revOf.get(a)!, revOf.get(b)!);
        results[i] = { a, b, ...r };
        opts.onDone?.(++done, pairs.length);
      }
    }),
  );
  return results;
}
