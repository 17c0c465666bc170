// Plans one text on a checked-out clone, the way the evaluations use it: `jitp plan` in
// process, with a batch list of one task. Also the literal-paths baseline for the same text.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run } from '../../src/cli/main.js';
import { matches } from '../../src/core/globs.js';
import { dirOf } from '../../src/plan/classify.js';
import { extractMentions } from '../../src/plan/mentions.js';
import { DEFAULT_SIMILAR } from '../../src/plan/similar.js';
import type { PredictedFile, ReasonKind } from '../../src/plan/types.js';
import { git } from './history.js';

/** `cfg`: a config file (plan.ignore…); `tmp`: a scratch folder for the batch list. */
export async function planText(clone: string, cfg: string, tmp: string, text: string): Promise<PredictedFile[]> {
  const lines = text.split('\n');
  const batch = join(tmp, 'one.yaml');
  writeFileSync(batch, stringify({ tasks: [{ id: 'c', title: lines[0], instructions: lines.slice(1).join('\n') }] }));
  let out = '';
  const code = await run(['plan', 'c', '--batch', batch, '--json', '-C', clone], {
    stdout: (s) => (out += s),
    stderr: () => {},
    env: { ...process.env, JITP_CONFIG: cfg },
    cwd: clone,
    interactive: false,
  });
  if (code !== 0) throw new Error(`jitp plan failed: ${out}`);
  const plan = JSON.parse(out) as {
    issues: Array<{ predicted: Array<{ path: string; new: boolean; hot: boolean; kind: string; reason: string }> }>;
  };
  return (plan.issues[0]?.predicted ?? []).map((p) => ({
    path: p.path,
    isNew: p.new,
    hot: p.hot,
    kind: p.kind as ReasonKind,
    reason: p.reason,
  }));
}

/** Baseline: only the paths the text names literally that exist (or would be new under a folder). */
export function literalPaths(clone: string, text: string, ignore: string[]): Set<string> {
  const tracked = new Set(git(clone, 'ls-files').split('\n'));
  const dirs = new Set(
    [...tracked].flatMap((f) => {
      const o: string[] = [];
      for (let d = dirOf(f); d; d = dirOf(d)) o.push(d);
      return o;
    }),
  );
  return new Set(
    extractMentions(text)
      .paths.map((p) => p.replace(/\/$/, ''))
      .filter((p) => tracked.has(p) || (!dirs.has(p) && dirs.has(dirOf(p))))
      .filter((p) => !ignore.some((g) => matches(p, g))),
  );
}

/**
 * Sensitivity runs of the similar-past-changes rule: `--similar k=8,minShare=0.6` (k=0 turns it
 * off) changes the planner's defaults for this process. Returns the option's index (or -1).
 */
export function applySimilarOverrides(args: string[]): number {
  const at = args.indexOf('--similar');
  if (at < 0) return -1;
  for (const kv of (args[at + 1] ?? '').split(',')) {
    const [k, v] = kv.split('=');
    if (!k || !(k in DEFAULT_SIMILAR) || v === undefined || Number.isNaN(Number(v)))
      throw new Error(`--similar: unknown or non-numeric ${kv} (keys: ${Object.keys(DEFAULT_SIMILAR).join(', ')})`);
    (DEFAULT_SIMILAR as unknown as Record<string, number>)[k] = Number(v);
  }
  return at;
}

/**
 * The evaluation scripts' positional arguments: not an option, nor the value after one (`valueAt`: their indexes, -1
 * when absent).
 */
export function positionals(args: readonly string[], valueAt: readonly number[]): string[] {
  return args.filter((a, i) => !a.startsWith('--') && !valueAt.some((at) => at >= 0 && i === at + 1));
}
