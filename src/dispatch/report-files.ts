// Reads the sub-agents' saved final answers from a folder and ties each to an issue: by the
// report's own `issue` field, else by a file name starting with the issue's short id.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseReport, type AgentReport } from './reports.js';

export type IssueReport = { file: string; ok: true; report: AgentReport } | { file: string; ok: false; error: string };

export interface ReportsRead {
  byIssue: Map<string, IssueReport>;
  stray: { file: string; error: string }[];
  /**
   * Reports of issues outside the batch (the tracker knows them): continuous dispatch finishes
   * issues one by one while their siblings' reports share the folder. Listed, never a finding.
   */
  other: { file: string; issue: string }[];
}

const MAX_REPORT_BYTES = 4 * 1024 * 1024;

type IssueKey = { id: string; shortId: string };

export function readReports(
  dir: string,
  issues: IssueKey[],
  display: (abs: string) => string,
  /** Every issue the tracker knows: a report of one outside the batch is `other`, not stray. */
  known: IssueKey[] = [],
): ReportsRead {
  const byIssue = new Map<string, IssueReport>();
  const stray: { file: string; error: string }[] = [];
  const other: { file: string; issue: string }[] = [];
  const inBatch = new Set(issues.map((i) => i.id));
  const outside = known.filter((i) => !inBatch.has(i.id));
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => !n.startsWith('.'))
      .sort();
  } catch (e) {
    stray.push({ file: display(dir), error: `cannot read the reports folder: ${(e as Error).message}` });
    return { byIssue, stray, other };
  }
  const byName = (name: string, among: IssueKey[] = issues) => {
    const lower = name.toLowerCase();
    const hits = among.filter((i) => lower.startsWith(i.shortId.toLowerCase()) || lower.startsWith(i.id.toLowerCase()));
    return hits.length === 1 ? hits[0] : undefined;
  };
  const byField = (v: string | undefined, among: IssueKey[] = issues) => {
    if (!v) return undefined;
    const q = v.trim().toLowerCase();
    const hits = among.filter(
      (i) =>
        i.id.toLowerCase() === q ||
        i.shortId.toLowerCase() === q ||
        (q.length >= 4 && i.id.toLowerCase().startsWith(q)),
    );
    return hits.length === 1 ? hits[0] : undefined;
  };
  for (const name of names) {
    const abs = join(dir, name);
    const file = display(abs);
    let text: string;
    try {
      const st = statSync(abs);
      if (!st.isFile()) continue;
      if (st.size > MAX_REPORT_BYTES) {
        stray.push({ file, error: `larger than ${MAX_REPORT_BYTES} bytes; not read` });
        continue;
      }
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      stray.push({ file, error: `cannot read: ${(e as Error).message}` });
      continue;
    }
    const parsed = parseReport(text);
    const issue = (parsed.ok ? byField(parsed.report.issue) : undefined) ?? byName(name);
    // Another issue's report (by its own field, else by its file name): not this batch's.
    const elsewhere = issue
      ? undefined
      : parsed.ok && parsed.report.issue
        ? byField(parsed.report.issue, outside)
        : byName(name, outside);
    if (elsewhere) {
      other.push({ file, issue: elsewhere.id });
      continue;
    }
    if (parsed.ok && parsed.report.issue && !byField(parsed.report.issue) && !issue) {
      stray.push({ file, error: `names issue ${JSON.stringify(parsed.report.issue)}, which is not in this batch` });
      continue;
    }
    if (!issue) {
      if (parsed.ok)
        stray.push({
          file,
          error:
            'cannot tell which issue it belongs to (no `issue` field, and the file name does not start with a short ' +
            'id of the batch)',
        });
      // A malformed file that belongs to no issue of the batch is someone else's: note it.
      else stray.push({ file, error: parsed.error });
      continue;
    }
    const prev = byIssue.get(issue.id);
    if (prev) {
      stray.push({ file, error: `second report for ${issue.shortId} (first: ${prev.file}); only the first is used` });
      continue;
    }
    byIssue.set(
      issue.id,
      parsed.ok ? { file, ok: true, report: parsed.report } : { file, ok: false, error: parsed.error },
    );
  }
  return { byIssue, stray, other };
}
