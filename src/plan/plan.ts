// Pure planning pipeline: predictions -> tiers -> conflicts -> batches. The result object is
// the `jitp plan --json` contract (docs/plan.md); add keys, never rename or remove them.
import type { Issue } from '../sources/types.js';
import { PRIORITIES } from '../sources/types.js';
import { planBatches, cycleError, findCycle, type BatchNode } from './batch.js';
import { findConflicts, type Conflict } from './conflicts.js';
import { extractMentions } from './mentions.js';
import { buildIndex, issueText, predictIssue, type RepoIndex } from './predict.js';
import { tierOf } from './tier.js';
import type { LikelyFile, PlanOptions, PredictedFile, RepoFacts, RiskTier } from './types.js';

export interface PlannedIssue {
  id: string;
  shortId: string;
  title: string;
  /** Every predicted path, existing and new, repo-relative, sorted. */
  files: string[];
  newFiles: string[];
  hotFiles: string[];
  tier: RiskTier;
  reasons: string[];
  /** Each predicted file with why it was predicted (same paths as `files`). */
  predicted: Array<{ path: string; new: boolean; hot: boolean; kind: string; reason: string }>;
  /** Text the predictor refused (paths with `..`, absolute paths, caps hit). */
  ignored: string[];
  /** Files the most similar past issues changed, with the chance (0-1) this one changes each. */
  likely: LikelyFile[];
}

export interface PlanResult {
  issues: PlannedIssue[];
  conflicts: Conflict[];
  batches: string[][];
  excluded: Array<{ id: string; reason: string }>;
}

/** Identifiers of every issue, for the one batched git grep. */
export function identifiersOf(issues: readonly Pick<Issue, 'title' | 'description'>[]): string[] {
  const s = new Set<string>();
  for (const i of issues) for (const id of extractMentions(issueText(i)).identifiers) s.add(id.name);
  return [...s].sort();
}

export function buildPlan(
  selected: readonly Issue[],
  excluded: PlanResult['excluded'],
  facts: RepoFacts,
  opts: PlanOptions,
  index?: RepoIndex,
): PlanResult {
  const ids = new Set(selected.map((i) => i.id));
  const cycle = findCycle(
    selected.map((i) => ({ id: i.id, tier: 'GREEN' as RiskTier, deps: i.dependencies.filter((d) => ids.has(d)) })),
  );
  if (cycle) {
    const short = new Map(selected.map((i) => [i.id, i.shortId]));
    throw cycleError(cycle, (id) => short.get(id) ?? id);
  }
  const idx = index ?? buildIndex(facts, opts);
  const planned: PlannedIssue[] = [];
  const preds: Array<{ id: string; files: PredictedFile[] }> = [];
  for (const issue of selected) {
    const mentions = extractMentions(issueText(issue), { bins: facts.binNames ?? [] });
    const p = predictIssue(issue, idx, facts, opts, mentions);
    const { tier, reasons } = tierOf({ files: p.files, repoWide: mentions.repoWide, declaredRisk: issue.declaredRisk });
    const sorted = [...p.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    preds.push({ id: issue.id, files: sorted });
    planned.push({
      id: issue.id,
      shortId: issue.shortId,
      title: issue.title,
      files: sorted.map((f) => f.path),
      newFiles: sorted.filter((f) => f.isNew).map((f) => f.path),
      hotFiles: sorted.filter((f) => f.hot).map((f) => f.path),
      tier,
      reasons,
      predicted: sorted.map((f) => ({ path: f.path, new: f.isNew, hot: f.hot, kind: f.kind, reason: f.reason })),
      ignored: p.ignored,
      likely: p.likely,
    });
  }
  const conflicts = findConflicts(preds);
  const nodes: BatchNode[] = selected.map((i, k) => ({
    id: i.id,
    tier: planned[k]!.tier,
    deps: i.dependencies.filter((d) => ids.has(d)),
    priority: PRIORITIES.indexOf(i.priority),
  }));
  const batches = planBatches(nodes, conflicts, opts.maxParallel);
  return { issues: planned, conflicts, batches, excluded };
}
