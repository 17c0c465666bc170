// Pure mapping from a parsed `.jit/issues/<uuid>.json` object to the normalised Issue.
// Unknown fields are ignored (kept in `raw`); a wrong field is reported and defaulted so one
// odd issue never hides the others.
import { extractAcceptanceCriteria } from './markdown.js';
import {
  ISSUE_STATES,
  PRIORITIES,
  RISK_TIERS,
  type Issue,
  type IssueDocument,
  type IssueState,
  type Priority,
  type RiskTier,
  type SourceProblem,
} from './types.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function mapJitIssue(
  obj: unknown,
  file: string,
  expectedId?: string,
): { issue?: Issue; problems: SourceProblem[] } {
  const problems: SourceProblem[] = [];
  const bad = (message: string, loaded = true) => problems.push({ file, message, loaded });
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    bad('not a JSON object', false);
    return { problems };
  }
  const o = obj as Record<string, unknown>;
  const id = typeof o.id === 'string' ? o.id.trim() : '';
  if (!id) {
    bad('missing "id"', false);
    return { problems };
  }
  if (!UUID.test(id)) bad(`"id" is not a uuid: ${JSON.stringify(id).slice(0, 60)}`);
  if (expectedId && expectedId.toLowerCase() !== id.toLowerCase())
    bad(`file name says ${expectedId} but "id" is ${id}`);
  const str = (k: string): string => {
    const v = o[k];
    if (v === undefined || v === null) return '';
    if (typeof v !== 'string') {
      bad(`"${k}" is not a string`);
      return '';
    }
    return v;
  };
  const strList = (k: string): string[] => {
    const v = o[k];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      bad(`"${k}" is not a list`);
      return [];
    }
    const out = v.filter((x): x is string => typeof x === 'string');
    if (out.length !== v.length) bad(`"${k}" has ${v.length - out.length} non-string entries (ignored)`);
    return out;
  };
  const title = str('title');
  if (!title) bad('missing "title"');
  let state: IssueState = 'backlog';
  if (typeof o.state === 'string' && (ISSUE_STATES as readonly string[]).includes(o.state))
    state = o.state as IssueState;
  else bad(`unknown "state" ${JSON.stringify(o.state)}; treated as backlog (never available)`);
  let priority: Priority = 'normal';
  if (o.priority !== undefined && o.priority !== null) {
    if (typeof o.priority === 'string' && (PRIORITIES as readonly string[]).includes(o.priority))
      priority = o.priority as Priority;
    else bad(`unknown "priority" ${JSON.stringify(o.priority)}; treated as normal`);
  }
  const documents: IssueDocument[] = [];
  if (Array.isArray(o.documents)) {
    for (const d of o.documents) {
      if (d && typeof d === 'object' && typeof (d as Record<string, unknown>).path === 'string') {
        const r = d as Record<string, unknown>;
        documents.push({
          path: r.path as string,
          ...(typeof r.label === 'string' ? { label: r.label } : {}),
          ...(typeof r.commit === 'string' ? { commit: r.commit } : {}),
        });
      } else bad('a "documents" entry has no "path" (ignored)');
    }
  } else if (o.documents !== undefined && o.documents !== null) bad('"documents" is not a list');
  const labels = strList('labels');
  const description = str('description');
  const riskLabel = labels
    .find((l) => /^risk:/i.test(l))
    ?.slice(5)
    .toUpperCase();
  const declaredRisk: RiskTier | null =
    riskLabel && (RISK_TIERS as readonly string[]).includes(riskLabel) ? (riskLabel as RiskTier) : null;
  // jit has no files field; teams put one in the free-form context map.
  const ctx = o.context && typeof o.context === 'object' ? (o.context as Record<string, unknown>) : {};
  const ctxFiles = ctx.files ?? ctx.paths;
  const declaredFiles =
    typeof ctxFiles === 'string'
      ? ctxFiles.split(/[\s,]+/).filter(Boolean)
      : Array.isArray(ctxFiles)
        ? ctxFiles.filter((x): x is string => typeof x === 'string')
        : [];
  const assignee = typeof o.assignee === 'string' && o.assignee ? o.assignee : null;
  return {
    issue: {
      id: id.toLowerCase(),
      shortId: id.slice(0, 8).toLowerCase(),
      title: title || '(untitled)',
      description,
      state,
      priority,
      dependencies: strList('dependencies').map((d) => d.toLowerCase()),
      labels,
      assignee,
      documents,
      acceptanceCriteria: extractAcceptanceCriteria(description),
      declaredFiles,
      declaredRisk,
      source: 'jit',
      file,
      raw: obj,
    },
    problems,
  };
}

/** Line (1-based) of a JSON syntax error: from `position N` when V8 gives one, else found by bisection. */
export function jsonErrorLine(text: string, message: string): number | undefined {
  const lineOf = (pos: number) => text.slice(0, pos).split('\n').length;
  const m = /position (\d+)/.exec(message);
  if (m) return lineOf(Number(m[1]));
  // Some V8 messages ("Unexpected token 'o', …") carry no position. A prefix that ends before
  // the bad character only fails as incomplete input, so the shortest prefix that fails
  // otherwise ends at the error.
  const incomplete = (n: number): boolean => {
    try {
      JSON.parse(text.slice(0, n));
      return true;
    } catch (e) {
      const msg = (e as Error).message;
      const at = /position (\d+)/.exec(msg);
      return /end of JSON/i.test(msg) || (at !== null && Number(at[1]) >= n);
    }
  };
  let lo = 0;
  let hi = text.length;
  if (incomplete(hi)) return undefined;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (incomplete(mid)) lo = mid;
    else hi = mid;
  }
  return lineOf(hi - 1);
}
