// Pure mapping for task files (`.jit-parallel/tasks/*.md`, front matter + Markdown body)
// and one-off batch lists (YAML/JSON lists of tasks with instructions and files).
import { validateIssueId } from '../core/issue-ids.js';
import { extractAcceptanceCriteria } from './markdown.js';
import {
  PRIORITIES,
  RISK_TIERS,
  type Issue,
  type IssueSourceKind,
  type IssueState,
  type Priority,
  type RiskTier,
  type SourceProblem,
} from './types.js';

/** Words people use in task files, mapped onto jit's states. */
const STATE_WORDS: Record<string, IssueState> = {
  backlog: 'backlog',
  ready: 'ready',
  todo: 'ready',
  'to-do': 'ready',
  open: 'ready',
  new: 'ready',
  in_progress: 'in_progress',
  'in-progress': 'in_progress',
  'in progress': 'in_progress',
  doing: 'in_progress',
  wip: 'in_progress',
  started: 'in_progress',
  gated: 'gated',
  review: 'gated',
  'in-review': 'gated',
  in_review: 'gated',
  blocked: 'backlog',
  draft: 'backlog',
  done: 'done',
  closed: 'done',
  complete: 'done',
  completed: 'done',
  resolved: 'done',
  rejected: 'rejected',
  cancelled: 'rejected',
  canceled: 'rejected',
  wontfix: 'rejected',
  "won't fix": 'rejected',
  archived: 'archived',
};

export interface TaskFields {
  /** Fallback id (file stem or list position). */
  fallbackId: string;
  data: Record<string, unknown>;
  body: string;
  file: string;
  source: Exclude<IssueSourceKind, 'jit' | 'github'>;
}

const asList = (v: unknown): unknown[] =>
  v === undefined || v === null
    ? []
    : Array.isArray(v)
      ? v
      : typeof v === 'string'
        ? v.split(/[\s,]+/).filter(Boolean)
        : [v];

export function mapTask(t: TaskFields): { issue?: Issue; problems: SourceProblem[] } {
  const problems: SourceProblem[] = [];
  const bad = (message: string, loaded = true) => problems.push({ file: t.file, message, loaded });
  const d = t.data;
  const rawId = d.id === undefined || d.id === null ? t.fallbackId : String(d.id).trim();
  try {
    validateIssueId(rawId);
  } catch (e) {
    bad(`${(e as Error).message}; skipped`, false);
    return { problems };
  }
  let state: IssueState = 'ready';
  if (d.state !== undefined && d.state !== null) {
    const w = String(d.state).trim().toLowerCase();
    const s = STATE_WORDS[w];
    if (s) state = s;
    else {
      bad(`unknown state ${JSON.stringify(d.state)}; treated as backlog (never available)`);
      state = 'backlog';
    }
  }
  let priority: Priority = 'normal';
  if (d.priority !== undefined && d.priority !== null) {
    const p = String(d.priority).toLowerCase();
    if ((PRIORITIES as readonly string[]).includes(p)) priority = p as Priority;
    else bad(`unknown priority ${JSON.stringify(d.priority)}; treated as normal`);
  }
  let declaredRisk: RiskTier | null = null;
  if (d.risk !== undefined && d.risk !== null) {
    const r = String(d.risk).toUpperCase();
    if ((RISK_TIERS as readonly string[]).includes(r)) declaredRisk = r as RiskTier;
    else bad(`unknown risk ${JSON.stringify(d.risk)} (GREEN, YELLOW, RED or CRITICAL); ignored`);
  }
  const deps = asList(d.depends_on ?? d.dependencies ?? d.depends).map(String);
  const files = asList(d.files ?? d.paths);
  const declaredFiles = files.filter((f): f is string => typeof f === 'string' && f.length > 0);
  if (declaredFiles.length !== files.length) bad('some "files" entries are not strings (ignored)');
  const labels = asList(d.labels).map(String);
  const documents = asList(d.documents ?? d.docs).flatMap((x) =>
    typeof x === 'string'
      ? [{ path: x }]
      : x && typeof x === 'object' && typeof (x as Record<string, unknown>).path === 'string'
        ? [
            {
              path: (x as { path: string }).path,
              ...(typeof (x as Record<string, unknown>).label === 'string'
                ? { label: (x as { label: string }).label }
                : {}),
            },
          ]
        : [],
  );
  const firstHeading = /^#\s+(.+)$/m.exec(t.body)?.[1]?.trim();
  const title = d.title !== undefined && d.title !== null ? String(d.title) : (firstHeading ?? rawId);
  const criteriaField = asList(d.acceptance ?? d.acceptance_criteria).map(String);
  return {
    issue: {
      id: rawId,
      shortId: rawId,
      title,
      description: t.body,
      state,
      priority,
      dependencies: deps,
      labels,
      assignee: typeof d.assignee === 'string' ? d.assignee : null,
      documents,
      acceptanceCriteria: criteriaField.length ? criteriaField : extractAcceptanceCriteria(t.body),
      declaredFiles,
      declaredRisk,
      source: t.source,
      file: t.file,
      raw: d,
    },
    problems,
  };
}
