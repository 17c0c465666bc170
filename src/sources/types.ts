// The normalised issue model every area uses (planner, prompts, worktrees, merge). Each
// store (jit JSON, task files, one-off batch lists) maps its own format onto this, so the
// rest of jitp never looks at a store's raw shape (it is still kept in `raw`).

/** jit's states; task files and batch lists map their words onto these. */
export const ISSUE_STATES = ['backlog', 'ready', 'in_progress', 'gated', 'done', 'rejected', 'archived'] as const;
export type IssueState = (typeof ISSUE_STATES)[number];

/** A dependency in one of these states no longer blocks (jit's definition). */
export const TERMINAL_STATES: readonly IssueState[] = ['done', 'rejected'];
export const isTerminal = (s: IssueState): boolean => TERMINAL_STATES.includes(s);

export const PRIORITIES = ['low', 'normal', 'high', 'critical'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const RISK_TIERS = ['GREEN', 'YELLOW', 'RED', 'CRITICAL'] as const;
export type RiskTier = (typeof RISK_TIERS)[number];

export type IssueSourceKind = 'jit' | 'tasks' | 'batch' | 'github';

export interface IssueDocument {
  /** As written in the issue (jit: repo-relative). */
  path: string;
  label?: string;
  /** Commit the document was pinned at, when the store records one. */
  commit?: string;
}

export interface Issue {
  /** Full id: the uuid for jit, the front-matter id (or file stem) for task files, the number for GitHub. */
  id: string;
  /** What people type: first 8 hex chars of a jit uuid, the id itself for tasks. */
  shortId: string;
  title: string;
  /** Markdown body (jit description, task file body, batch instructions). */
  description: string;
  state: IssueState;
  priority: Priority;
  /** Full ids of issues that must be terminal first. */
  dependencies: string[];
  labels: string[];
  assignee: string | null;
  documents: IssueDocument[];
  /** Items under `## Acceptance Criteria` / `## Success Criteria` / …, else checklist items. */
  acceptanceCriteria: string[];
  /** Repo-relative paths or globs the author declared (task `files:`, batch `files`). */
  declaredFiles: string[];
  /** Tier the author declared (task `risk:`, jit label `risk:<tier>`); the planner never lowers below it. */
  declaredRisk: RiskTier | null;
  source: IssueSourceKind;
  /** Repo-relative path of the file this issue was read from (GitHub: the issue's URL). */
  file: string;
  /** The parsed original (JSON object or front matter), untouched. */
  raw: unknown;
}

/** A file the source could not read (or read only partly); the other issues still load. */
export interface SourceProblem {
  /** Repo-relative path. */
  file: string;
  /** 1-based line when known (JSON syntax errors, YAML front matter). */
  line?: number;
  message: string;
  /** True when the issue was still loaded (with the bad field defaulted). */
  loaded: boolean;
}

export interface IssueSource {
  readonly kind: IssueSourceKind;
  /** Folder or file the issues come from, repo-relative. */
  readonly location: string;
  /** Every readable issue, sorted by id. */
  list(): Issue[];
  /** Files that were malformed, with what is wrong. */
  problems(): SourceProblem[];
  /** Full id, unique prefix (4+ chars for jit) or short id; throws JitpError NOT_FOUND (unknown/ambiguous). */
  get(idOrPrefix: string): Issue;
}
