// Pure continuous dispatch (`jitp next`): the next issue to start as soon as a sub-agent
// finishes, instead of waiting for the slowest of a batch. The flow evaluation (docs/plan.md,
// "Flow evaluation") measured this against batches: on the dev data it cut the wall time.
import { matches } from '../core/globs.js';
import { isLive, type Lease } from '../core/model.js';
import { heldConflictChance } from './cost.js';
import type { PlanResult } from './plan.js';

export interface NextPick {
  id: string;
  shortId: string;
  title: string;
  tier: string;
  /** Predicted files: claim them when starting it (`jitp claim acquire <id> <files…>`). */
  files: string[];
  /** The plan batch it came from (1-based): earlier batches go first. */
  batch: number;
}

export interface NextResult {
  next: NextPick | null;
  /** Issues holding live leases now, and the cap. */
  running: string[];
  maxParallel: number;
  /** Available issues passed over, with why (a predicted file another live lease holds…). */
  skipped: Array<{ id: string; shortId: string; reason: string }>;
  /** Why nothing was picked, when nothing was. */
  reason?: string;
}

/** Lease paths may be globs; a predicted file is busy when a live lease's path covers it. */
function heldBy(path: string, leases: readonly Lease[]): Lease | undefined {
  return leases.find((l) => l.paths.some((p) => p === path || matches(path, p)));
}

export interface NextOptions {
  /**
   * Pass over an issue whose chance of needing a file a live lease holds (from its likely files,
   * the nearest past issues' files) is above this: it would wait or be refused. 1 = off.
   */
  maxConflictChance?: number;
}

export function pickNext(
  plan: PlanResult,
  leases: readonly Lease[],
  nowMs: number,
  maxParallel: number,
  opts: NextOptions = {},
): NextResult {
  const maxChance = opts.maxConflictChance ?? 1;
  const live = leases.filter((l) => isLive(l, nowMs));
  // A lease whose sub-agent stopped (finishedAt, docs/wait.md) frees its slot at once: the next
  // sub-agent may start while the orchestrator verifies; its files stay busy until `issue done`.
  const running = [...new Set(live.filter((l) => !l.finishedAt).map((l) => l.issueId))].sort();
  const skipped: NextResult['skipped'] = [];
  const base = { running, maxParallel, skipped };
  if (running.length >= maxParallel)
    return {
      ...base,
      next: null,
      reason:
        (running.length === 1
          ? '1 issue already holds a live lease'
          : `${running.length} issues already hold live leases`) + ` (max parallel ${maxParallel})`,
    };
  const byId = new Map(plan.issues.map((i) => [i.id, i]));
  for (const [b, batch] of plan.batches.entries()) {
    for (const id of batch) {
      const i = byId.get(id);
      if (!i) continue;
      if (i.tier === 'CRITICAL' && running.length) {
        skipped.push({ id, shortId: i.shortId, reason: 'CRITICAL: runs alone, and other issues are running' });
        continue;
      }
      let busy: string | undefined;
      for (const f of i.files) {
        const l = heldBy(f, live);
        if (l) {
          busy = `${f} is held by ${l.agentId} (issue ${l.issueId.slice(0, 8)})`;
          break;
        }
      }
      if (busy) {
        skipped.push({ id, shortId: i.shortId, reason: `predicted file ${busy}` });
        continue;
      }
      if (maxChance < 1 && live.length) {
        const chance = heldConflictChance(i.likely ?? [], (f) => heldBy(f, live) !== undefined);
        if (chance > maxChance) {
          skipped.push({
            id,
            shortId: i.shortId,
            reason:
              `${Math.round(chance * 100)}% likely to need a file a live lease holds (past issues like it ` +
              `changed it; limit ${Math.round(maxChance * 100)}%)`,
          });
          continue;
        }
      }
      return {
        ...base,
        next: { id, shortId: i.shortId, title: i.title, tier: i.tier, files: i.files, batch: b + 1 },
      };
    }
  }
  return {
    ...base,
    next: null,
    reason: plan.issues.length
      ? 'every available issue has a predicted file that a live lease holds: wait for a sub-agent to finish'
      : 'no available issue',
  };
}
