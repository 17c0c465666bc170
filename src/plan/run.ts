// Adapter that runs a plan for a repository: source -> selection -> git facts -> pure plan.
import type { Config } from '../config/schema.js';
import type { Hold } from '../sources/available.js';
import { join } from 'node:path';
import { listJitIssueIds } from '../sources/jit-ids.js';
import { readIssueFile } from '../sources/safe-read.js';
import { issueRefs } from './past-issues.js';
import type { CommitFiles } from './types.js';
import { isTerminal, type Issue, type IssueSource, type SourceProblem } from '../sources/types.js';
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
  facts.issueTexts = issueTexts(o.root, all, source.kind, facts.commits);
  const t2 = performance.now();
  const plan = buildPlan(
    selected,
    excluded,
    facts,
    {
      hotFiles: o.config.plan.hotFiles,
      ignore,
      maxFilesPerIssue: o.config.plan.maxFilesPerIssue,
      maxParallel: o.maxParallel ?? o.config.plan.maxParallel,
    },
    undefined,
    all.filter((i) => !isTerminal(i.state)),
  );
  const t3 = performance.now();
  return {
    plan,
    source,
    problems: source.problems(),
    timings: { ...facts.timings, source: t1 - t0, git: t2 - t1, plan: t3 - t2, total: t3 - t0 },
  };
}

/** A past issue's file above this is not read for its text (its commits' messages stand in). */
const MAX_PAST_ISSUE_BYTES = 1 << 20;

/**
 * Short id -> title and description of every issue the source knows, done ones too: the text of
 * past issues that commits name. A repository with a jit store keeps its history there even when
 * this plan reads another source (a batch list); then only the store's issues the mined commits
 * name are read (a store can hold thousands).
 */
function issueTexts(
  root: string,
  all: readonly Issue[],
  kind: string,
  commits: readonly CommitFiles[],
): Map<string, string> {
  const out = new Map<string, string>();
  if (kind !== 'jit') {
    const uuids = listJitIssueIds(root) ?? [];
    const byShort = new Map(uuids.map((u) => [u.slice(0, 8), u]));
    const named = new Set(commits.flatMap((c) => (c.message ? issueRefs(c.message, byShort) : [])));
    for (const short of named) {
      const uuid = byShort.get(short);
      if (!uuid) continue;
      const read = readIssueFile(join(root, '.jit', 'issues', `${uuid}.json`), root, MAX_PAST_ISSUE_BYTES);
      if ('problem' in read) continue;
      try {
        const j = JSON.parse(read.text) as { title?: unknown; description?: unknown };
        if (typeof j.title === 'string')
          out.set(short, `${j.title}\n\n${typeof j.description === 'string' ? j.description : ''}`);
      } catch {
        // A malformed past issue is described by its commits' messages instead.
      }
    }
  }
  for (const i of all) {
    const text = `${i.title}\n\n${i.description}`;
    out.set(i.shortId, text);
    if (i.id !== i.shortId && i.id.length <= 64) out.set(i.id, text);
  }
  return out;
}

export function trackerGlobs(config: Pick<Config, 'tasksDir'>): string[] {
  return ['.jit/**', `${config.tasksDir.replace(/\/+$/, '')}/**`];
}
