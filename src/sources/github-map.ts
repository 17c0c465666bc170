// Pure mapping from one `gh issue list/view --json …` object to the normalised Issue, and the
// GitHub-specific id rule (numbers only). The shapes are gh's own: `state` OPEN/CLOSED,
// `stateReason` COMPLETED/NOT_PLANNED/REOPENED/"", `labels` [{id,name,description,color}],
// `assignees` [{id,login,name}], `milestone` {number,title,…}|null, `url`, `body`.
import { JitpError } from '../platform/errors.js';
import { extractAcceptanceCriteria } from './markdown.js';
import { RISK_TIERS, type Issue, type IssueState, type Priority, type RiskTier, type SourceProblem } from './types.js';

/** The fields jitp asks gh for, in one place: list and view ask for the same ones. */
export const GH_ISSUE_FIELDS = [
  'number',
  'title',
  'body',
  'state',
  'stateReason',
  'labels',
  'assignees',
  'milestone',
  'url',
] as const;

/** Longest issue number accepted (GitHub's are 32-bit integers). */
const MAX_DIGITS = 10;

/**
 * `#123` or `123` → `"123"`: the one spelling stored, so `#123` and `123` can never become two
 * keys for one issue. Anything else (a title, `12abc`, `owner/repo#1`, `0`) is refused.
 */
export function githubIssueNumber(input: string): string {
  const q = String(input).trim().replace(/^#/, '');
  if (!/^[0-9]+$/.test(q) || q.length > MAX_DIGITS || /^0+$/.test(q)) {
    throw new JitpError(
      'E_BAD_ID',
      `invalid GitHub issue ${JSON.stringify(String(input).slice(0, 60))}: ` +
        'expected an issue number such as 123 or #123',
      { hint: 'list the issues with `jitp issues` (or `gh issue list`) and give a number', details: { input } },
    );
  }
  return String(Number(q));
}

const DEP_LINE = /\b(?:blocked\s+by|depends\s+on|dependent\s+on|requires)\b:?\s*((?:[,;]?\s*(?:and\s+)?#\d+)+)/gi;
const TASK_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+\[ \]\s+#(\d+)\b/;

/**
 * Issue numbers this body says must be finished first: "blocked by #12", "depends on #12, #13",
 * "Depends on: #4 and #5", and open task-list items `- [ ] #12` (a tracking issue waits for its
 * unticked items; a ticked `- [x] #12` is the author saying it is done). Code blocks are skipped,
 * and an issue never depends on itself.
 */
export function githubDependencies(body: string, self?: number): string[] {
  const out = new Set<string>();
  let fence = false;
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) {
      fence = !fence;
      continue;
    }
    if (fence) continue;
    const task = TASK_ITEM.exec(line);
    if (task) out.add(String(Number(task[1])));
    for (const m of line.matchAll(DEP_LINE)) for (const n of m[1]!.matchAll(/#(\d+)/g)) out.add(String(Number(n[1])));
  }
  if (self !== undefined) out.delete(String(self));
  return [...out].sort((a, b) => Number(a) - Number(b));
}

const PRIORITY_LABEL: Record<string, Priority> = {
  p0: 'critical',
  p1: 'high',
  p2: 'normal',
  p3: 'low',
  critical: 'critical',
  urgent: 'critical',
  high: 'high',
  normal: 'normal',
  medium: 'normal',
  low: 'low',
};

/** `priority: high`, `priority/low`, `P1` … → a priority; the first label that names one wins. */
function priorityOf(labels: string[]): Priority | null {
  for (const l of labels) {
    const m = /^(?:priority[\s:/_-]*)?(p[0-3]|critical|urgent|high|normal|medium|low)$/i.exec(l.trim());
    if (m && (/^p[0-3]$/i.test(m[1]!) || /^priority/i.test(l.trim()))) return PRIORITY_LABEL[m[1]!.toLowerCase()]!;
  }
  return null;
}

/** An open issue is ready unless a `status:` label says it is in progress, in review or blocked. */
function openStateOf(labels: string[]): IssueState {
  for (const l of labels) {
    const m = /^(?:status|state)[\s:/_-]*(.+)$/i.exec(l.trim());
    const w = m?.[1]
      ?.trim()
      .toLowerCase()
      .replace(/[\s_]+/g, '-');
    if (!w) continue;
    if (['in-progress', 'doing', 'wip', 'started'].includes(w)) return 'in_progress';
    if (['review', 'in-review', 'gated'].includes(w)) return 'gated';
    if (['blocked', 'backlog', 'draft', 'triage', 'needs-triage'].includes(w)) return 'backlog';
  }
  return 'ready';
}

const names = (v: unknown, key: string, bad: (m: string) => void, field: string): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    bad(`"${field}" is not a list`);
    return [];
  }
  return v.flatMap((x) =>
    x && typeof x === 'object' && typeof (x as Record<string, unknown>)[key] === 'string'
      ? [(x as Record<string, string>)[key]!]
      : [],
  );
};

/** `file` is what problems and `jitp issues` show for this issue: its URL when gh gives one. */
export function mapGithubIssue(obj: unknown, where: string): { issue?: Issue; problems: SourceProblem[] } {
  const problems: SourceProblem[] = [];
  const bad = (message: string, loaded = true) => problems.push({ file: where, message, loaded });
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    bad('gh returned something that is not an issue object', false);
    return { problems };
  }
  const o = obj as Record<string, unknown>;
  if (typeof o.number !== 'number' || !Number.isSafeInteger(o.number) || o.number <= 0) {
    bad(`gh returned an issue without a valid "number": ${JSON.stringify(o.number)}`, false);
    return { problems };
  }
  const number = o.number;
  const file = typeof o.url === 'string' && o.url ? o.url : `${where}#${number}`;
  const str = (k: string) => (typeof o[k] === 'string' ? (o[k] as string) : '');
  const title = str('title');
  const body = str('body');
  const labels = names(o.labels, 'name', bad, 'labels');
  const assignees = names(o.assignees, 'login', bad, 'assignees');
  const st = str('state').toUpperCase();
  let state: IssueState;
  if (st === 'OPEN') state = openStateOf(labels);
  else if (st === 'CLOSED') state = str('stateReason').toUpperCase() === 'NOT_PLANNED' ? 'rejected' : 'done';
  else {
    bad(`unknown "state" ${JSON.stringify(o.state)}; treated as backlog (never available)`);
    state = 'backlog';
  }
  const riskLabel = labels
    .find((l) => /^risk[:/]/i.test(l))
    ?.slice(5)
    .trim()
    .toUpperCase();
  const declaredRisk: RiskTier | null =
    riskLabel && (RISK_TIERS as readonly string[]).includes(riskLabel) ? (riskLabel as RiskTier) : null;
  const id = String(number);
  return {
    issue: {
      id,
      shortId: id,
      title: title || '(untitled)',
      description: body,
      state,
      priority: priorityOf(labels) ?? 'normal',
      dependencies: githubDependencies(body, number),
      labels,
      assignee: assignees[0] ?? null,
      documents: [],
      acceptanceCriteria: extractAcceptanceCriteria(body),
      declaredFiles: [],
      declaredRisk,
      source: 'github',
      file,
      raw: obj,
    },
    problems,
  };
}
