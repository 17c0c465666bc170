// Plain data the planner works on. The git adapter (repo-facts.ts) fills RepoFacts; every
// decision after that (prediction, tiers, conflicts, batches) is a pure function of it.
import type { Issue, RiskTier } from '../sources/types.js';

export type { RiskTier };

/** What the planner needs to know about one issue: a projection of sources' Issue. */
export type PlanIssue = Pick<
  Issue,
  | 'id'
  | 'shortId'
  | 'title'
  | 'description'
  | 'state'
  | 'priority'
  | 'dependencies'
  | 'labels'
  | 'declaredFiles'
  | 'declaredRisk'
> & { documents: Array<{ path: string }> };

/** One commit of mined history: the files it changed. */
export interface CommitFiles {
  hash: string;
  files: string[];
  /** The commit message (subject and body), when the log was asked for it. */
  message?: string;
}

/** Matches of the batched `git grep`: per identifier, per file, uses and definition lines. */
export interface IdentifierHit {
  file: string;
  uses: number;
  defines: number;
}

export interface RepoFacts {
  /** Tracked files at the planned tree, repo-relative POSIX. */
  files: string[];
  /** Recent non-merge commits, newest first (bounded by plan.historyDepth). */
  commits: CommitFiles[];
  /** Identifier -> files that mention it (from one `git grep -w -F`). */
  grep: Map<string, IdentifierHit[]>;
  /** Names the project's CLI is run by (package.json `bin` keys). */
  binNames?: string[];
  /** Names of scripts in the root package.json, when there is one. */
  npmScripts: Set<string> | null;
  /** Issue short id -> its title and description (the source's issues, done ones too): past issues' text. */
  issueTexts?: Map<string, string>;
}

export interface PlanOptions {
  hotFiles: string[];
  ignore: string[];
  maxFilesPerIssue: number;
  maxParallel: number;
}

export type ReasonKind =
  | 'declared'
  | 'named'
  | 'new'
  | 'document'
  | 'defines'
  | 'uses'
  | 'file-name'
  | 'registry'
  | 'manifest'
  | 'script'
  | 'command'
  | 'test'
  | 'co-change'
  | 'similar'
  | 'past-issue'
  | 'hot-history';

export interface PredictedFile {
  path: string;
  /** True when the file does not exist yet at the planned tree. */
  isNew: boolean;
  hot: boolean;
  kind: ReasonKind;
  reason: string;
}

export interface Prediction {
  id: string;
  files: PredictedFile[];
  /** Notes on text the predictor saw but refused (`..` paths, absolute paths…). */
  ignored: string[];
  /**
   * Files the most similar past issues changed, with the share of their similarity (0-1): a soft
   * estimate of the chance this issue changes each one, for cost-based scheduling.
   */
  likely: LikelyFile[];
}

export interface LikelyFile {
  path: string;
  p: number;
}
