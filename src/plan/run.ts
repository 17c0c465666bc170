// Adapter that runs a plan for a repository: source -> selection -> git facts -> pure plan.
import type { Config } from '../config/schema.js';
import type { Hold } from '../sources/available.js';
import { readJitStore } from '../sources/jit.js';
import type { Issue, IssueSource, SourceProblem } from '../sources/types.js';
import { buildPlan, identifiersOf, type PlanResult } from './plan.js';
import { gatherFacts, startRepoScan } from './repo-facts.js';
import { selectIssues } from './select.js';

export interface RunPlanOptions {
  root: string;
  config: Config;
  /** Requested ids or prefixes; empty = every available issue. */
  ids: string[];
  /** The issue source (src/workspace opens it: tracker, task files or a batch list). */
  source: IssueSource;
  maxParallel?: number;
  holds: ReadonlyMap<string, Hold>;
  progress?: (line: string) => void;
  /** For sources that run a tool (GitHub: gh on PATH). */
  env?: NodeJS.ProcessEnv;
}

export interface RunPlanResult {
  plan: PlanResult;
  source: IssueSource;
  problems: SourceProblem[];
  timings: Record<string, number>;
}

export async function runPlan(o: RunPlanOptions): Promise<RunPlanResult> {
  const t0 = performance.now();
  const started = startRepoScan(o.root, { historyDepth: o.config.plan.historyDepth });
  // Settle the early git runs even when the source throws, so no rejection goes unhandled.
  started.ls.catch(() => {});
  started.log.catch(() => {});
  const source = o.source;
  const all = source.list();
  const requested: Issue[] | null = o.ids.length
    ? [...new Map(o.ids.map((q) => source.get(q)).map((i) => [i.id, i])).values()]
    : null;
  const { selected, excluded } = selectIssues(all, requested, o.holds);
  const t1 = performance.now();
  o.progress?.(`planning ${selected.length} issue${selected.length === 1 ? '' : 's'} from ${source.location}…`);
  const idents = identifiersOf(selected);
  // The tracker's own data (issue files mention every identifier) is never a prediction.
  const ignore = [...trackerGlobs(o.config), ...o.config.plan.ignore];
  const facts = await gatherFacts(o.root, idents, { historyDepth: o.config.plan.historyDepth, ignore }, started);
  facts.issueTexts = issueTexts(o.root, all, source.kind);
  const t2 = performance.now();
  const plan = buildPlan(selected, excluded, facts, {
    hotFiles: o.config.plan.hotFiles,
    ignore,
    maxFilesPerIssue: o.config.plan.maxFilesPerIssue,
    maxParallel: o.maxParallel ?? o.config.plan.maxParallel,
  });
  const t3 = performance.now();
  return {
    plan,
    source,
    problems: source.problems(),
    timings: { ...facts.timings, source: t1 - t0, git: t2 - t1, plan: t3 - t2, total: t3 - t0 },
  };
}

/**
 * Short id -> title and description of every issue the source knows, done ones too: the text of
 * past issues that commits name. A repository with a jit store keeps its history there even when
 * this plan reads another source (a batch list), so the store's issues count as well.
 */
function issueTexts(root: string, all: readonly Issue[], kind: string): Map<string, string> {
  const out = new Map<string, string>();
  const put = (i: Issue) => {
    const text = `${i.title}\n\n${i.description}`;
    out.set(i.shortId, text);
    if (i.id !== i.shortId && i.id.length <= 64) out.set(i.id, text);
  };
  if (kind !== 'jit') for (const i of readJitStore(root).issues) put(i);
  for (const i of all) put(i);
  return out;
}

export function trackerGlobs(config: Pick<Config, 'tasksDir'>): string[] {
  return ['.jit/**', `${config.tasksDir.replace(/\/+$/, '')}/**`];
}
