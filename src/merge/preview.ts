// Merge preview with `git merge-tree --write-tree`: computes every merge in the object
// store only, so no worktree, index or HEAD is touched. The calls run in one `sh` per
// chunk rather than one child process each from node: spawning from node costs a few ms per
// call, which is most of a merge-tree on a small change (see docs/benchmarks.md).
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { gitEnv } from '../platform/git.js';
import { runProcess } from '../platform/process.js';
import { type PairResult, pairsToCheck } from './matrix.js';

export interface PreviewNode {
  label: string;
  /** Branch name or commit. */
  rev: string;
}

interface Call {
  index: number;
  a: string;
  b: string;
}

interface RawResult {
  code: number;
  fields: string[];
}

/** Parses one chunk's output: git's NUL-separated fields, then a marker with the exit code. Pure. */
export function parseChunkOutput(out: string, token: string): Map<number, RawResult> {
  const res = new Map<number, RawResult>();
  let fields: string[] = [];
  for (const f of out.split('\0')) {
    if (f.startsWith(token)) {
      const [, idx, code] = f.split(':');
      res.set(Number(idx), { code: Number(code), fields });
      fields = [];
    } else if (f.length) fields.push(f);
  }
  return res;
}

async function runChunk(
  cwd: string,
  calls: Call[],
  revs: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ results: Map<number, RawResult>; stderr: string }> {
  const token = `JITPMARK${randomBytes(8).toString('hex')}`;
  // Revisions go in as positional parameters, never into the script text.
  const script = calls
    .map(
      (c) =>
        `git merge-tree --write-tree --name-only --no-messages -z "\${${revs.indexOf(c.a) + 1}}" ` +
        `"\${${revs.indexOf(c.b) + 1}}"; printf '\\0${token}:${c.index}:%d\\0' $?`,
    )
    .join('\n');
  // git's environment, as the git runner gives it (src/platform/git.ts), for the git calls in the script.
  const r = await runProcess('sh', ['-c', script, 'sh', ...revs], { cwd, env: gitEnv(env) });
  if (r.spawnError) return { results: new Map(), stderr: String(r.spawnError) };
  return { results: parseChunkOutput(r.stdout, token), stderr: r.stderr };
}

export async function preview(
  cwd: string,
  tip: string,
  nodes: PreviewNode[],
  opts: { concurrency?: number; env?: NodeJS.ProcessEnv; onDone?: (done: number, total: number) => void } = {},
): Promise<PairResult[]> {
  const revOf = new Map(nodes.map((n) => [n.label, n.rev]));
  revOf.set('tip', tip);
  const pairs = pairsToCheck(nodes.map((n) => n.label));
  const revs = [...new Set(revOf.values())];
  const calls: Call[] = pairs.map(([a, b], index) => ({ index, a: revOf.get(a)!, b: revOf.get(b)! }));
  const k = Math.max(1, Math.min(opts.concurrency ?? Math.min(2, availableParallelism()), calls.length));
  const chunks: Call[][] = Array.from({ length: k }, () => []);
  calls.forEach((c, i) => chunks[i % k]!.push(c));
  let done = 0;
  const outs = await Promise.all(
    chunks.map(async (ch) => {
      const r = await runChunk(cwd, ch, revs, opts.env ?? process.env);
      done += ch.length;
      opts.onDone?.(done, calls.length);
      return r;
    }),
  );
  const all = new Map<number, RawResult>();
  let stderr = '';
  for (const o of outs) {
    for (const [i, r] of o.results) all.set(i, r);
    stderr += o.stderr;
  }
  return pairs.map(([a, b], i) => {
    const r = all.get(i);
    if (!r || (r.code !== 0 && r.code !== 1)) {
      return {
        a,
        b,
        clean: false,
        files: [],
        error: stderr.trim().split('\n')[0] || `git merge-tree failed (exit ${r?.code ?? 'none'})`,
      };
    }
    return { a, b, clean: r.code === 0, files: [...new Set(r.fields.slice(1))] };
  });
}
