// Pure risk tiers: GREEN new files only or tests/docs; YELLOW existing files; RED hot files
// or wide scope; CRITICAL manifests, lock files, migrations, CI or repo-wide changes.
import { CRITICAL_CLASSES, classifyPath } from './classify.js';
import type { PredictedFile, RiskTier } from './types.js';

export const TIER_RANK: Record<RiskTier, number> = { GREEN: 0, YELLOW: 1, RED: 2, CRITICAL: 3 };

/** Existing files above this count, or top-level folders above WIDE_DIRS, make a wide change. */
export const WIDE_FILES = 15;
export const WIDE_DIRS = 3;

export interface TierInput {
  files: PredictedFile[];
  repoWide: boolean;
  declaredRisk: RiskTier | null;
}

export function tierOf(t: TierInput): { tier: RiskTier; reasons: string[] } {
  const reasons: string[] = [];
  let tier: RiskTier = 'GREEN';
  const raise = (to: RiskTier, why: string) => {
    if (TIER_RANK[to] > TIER_RANK[tier]) tier = to;
    reasons.push(`${to}: ${why}`);
  };
  const existing = t.files.filter((f) => !f.isNew);
  // A new npm script edits the manifest's scripts block, not dependencies: hot, not critical.
  const critical = t.files.filter((f) => CRITICAL_CLASSES.has(classifyPath(f.path)) && f.kind !== 'script');
  if (critical.length)
    raise('CRITICAL', `changes ${critical.map((f) => `${f.path} (${classifyPath(f.path)})`).join(', ')}`);
  if (t.repoWide) raise('CRITICAL', 'the issue asks for a repository-wide change');
  const hot = existing.filter((f) => f.hot && !critical.includes(f));
  if (hot.length) raise('RED', `hot files ${hot.map((f) => f.path).join(', ')}`);
  const tops = new Set(existing.map((f) => f.path.split('/')[0]));
  if (existing.length > WIDE_FILES) raise('RED', `wide scope: ${existing.length} existing files`);
  else if (tops.size > WIDE_DIRS) raise('RED', `wide scope: ${tops.size} top-level folders`);
  const plain = existing.filter((f) => !['test', 'doc'].includes(classifyPath(f.path)));
  if (plain.length) raise('YELLOW', `changes ${plain.length} existing file${plain.length > 1 ? 's' : ''}`);
  if (t.files.length === 0) raise('YELLOW', 'no files predicted: nothing known about its scope');
  if (t.declaredRisk && TIER_RANK[t.declaredRisk] > TIER_RANK[tier]) raise(t.declaredRisk, 'declared by the issue');
  if (tier === 'GREEN') reasons.push(t.files.length ? 'GREEN: only new files, tests or docs' : 'GREEN');
  // Strongest reason first.
  reasons.sort((a, b) => TIER_RANK[b.split(':')[0] as RiskTier] - TIER_RANK[a.split(':')[0] as RiskTier]);
  return { tier, reasons };
}
