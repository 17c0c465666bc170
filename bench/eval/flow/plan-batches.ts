// Runs `jitp plan --batch --json` (in process) for each dev batch on the tree it started from,
// in a linked worktree of the clone; results are cached by base, issues and planner sources.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { run } from '../../../src/cli/main.js';
import { DEFAULT_PAST_ISSUES } from '../../../src/plan/past-issues.js';
import { DEFAULT_SIMILAR } from '../../../src/plan/similar.js';
import { git } from '../history.js';
import type { LikelyFile, PredictedFile, ReasonKind, RiskTier } from '../../../src/plan/types.js';
import { BOOKKEEPING, type DevBatch } from './devset.js';

export interface PlannedBatch {
  /** Issue id -> predicted files, with the kind of each. */
  predicted: Map<string, PredictedFile[]>;
  tiers: Map<string, RiskTier>;
  likely: Map<string, LikelyFile[]>;
  /** `jitp plan` batches of the whole batch, dependencies ignored (see planDevBatch). */
  batches: string[][];
}

/** A digest of the planner's sources, so a changed planner re-plans. */
function plannerDigest(root: string): string {
  const h = createHash('sha256');
  for (const dir of ['src/plan', 'src/sources', 'src/cli/commands']) {
    const full = join(root, dir);
    for (const f of readdirSync(full).sort()) if (f.endsWith('.ts')) h.update(f).update(readFileSync(join(full, f)));
  }
  return h.digest('hex').slice(0, 16);
}

export async function planDevBatch(
  root: string,
  clone: string,
  b: DevBatch,
  maxParallel: number,
): Promise<PlannedBatch> {
  // Without dependencies: `jitp plan` leaves blocked issues out, and the flow needs every issue's
  // prediction (`jitp next` plans each one once its dependencies are done). Predictions do not
  // depend on dependencies; the schedules apply them (plan-view.ts).
  const tasks = b.issues.map((i) => ({ id: i.shortId, title: i.title, instructions: i.description }));
  const key = createHash('sha256')
    .update(
      JSON.stringify({
        base: b.base,
        tasks,
        maxParallel,
        p: plannerDigest(root),
        // Levers switched in process (eval:flow --lever): a changed option re-plans.
        o: [DEFAULT_SIMILAR, DEFAULT_PAST_ISSUES],
      }),
    )
    .digest('hex')
    .slice(0, 20);
  const cacheDir = join(clone, '..', 'flow-plans');
  mkdirSync(cacheDir, { recursive: true });
  const cached = join(cacheDir, `${key}.json`);
  let out: string;
  if (existsSync(cached)) out = readFileSync(cached, 'utf8');
  else {
    const wt = join(clone, '..', `flow-wt-${b.base.slice(0, 12)}`);
    if (!existsSync(wt)) git(clone, 'worktree', 'add', '-q', '--detach', wt, b.base);
    const list = join(cacheDir, `${key}.yaml`);
    writeFileSync(list, stringify({ tasks }));
    const cfg = join(cacheDir, 'config.yaml');
    writeFileSync(cfg, stringify({ plan: { ignore: BOOKKEEPING } }));
    out = '';
    let err = '';
    const code = await run(['plan', '--batch', list, '--json', '--max-parallel', String(maxParallel), '-C', wt], {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      env: { ...process.env, JITP_CONFIG: cfg },
      cwd: wt,
      interactive: false,
    });
    if (code !== 0) throw new Error(`jitp plan failed on ${b.week} (${b.base}): ${err || out}`);
    writeFileSync(cached, out);
  }
  const plan = JSON.parse(out) as {
    issues: Array<{
      id: string;
      tier: RiskTier;
      predicted: Array<{ path: string; kind: ReasonKind; hot: boolean; new: boolean; reason: string }>;
      likely?: LikelyFile[];
    }>;
    batches: string[][];
  };
  return {
    predicted: new Map(
      plan.issues.map((i) => [
        i.id,
        i.predicted.map((p) => ({ path: p.path, kind: p.kind, hot: p.hot, isNew: p.new, reason: p.reason })),
      ]),
    ),
    tiers: new Map(plan.issues.map((i) => [i.id, i.tier])),
    likely: new Map(plan.issues.map((i) => [i.id, i.likely ?? []])),
    batches: plan.batches,
  };
}
