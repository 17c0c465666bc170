// `jitp verify`'s post-flight, over a workspace: the batch's issues and their leases, what
// changed (the shared checkout, each worktree issue's branch and worktree), the sub-agents'
// reports, one test run; the decisions are verify-core's (pure). `jitp finish` runs the same.
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Lease } from '../core/model.js';
import { testCommandFor } from '../render/test-command-fs.js';
import type { Workspace } from '../workspace/open.js';
import { BOOKKEEPING_GLOBS } from '../workspace/bookkeeping.js';
import { resolveIssues } from './context.js';
import { branchChanges, changedFiles } from './git.js';
import { leaseForIssue, liveLeases } from './leases.js';
import { readReports, type IssueReport } from './report-files.js';
import { normalizeReport } from './reports.js';
import { runTests, type TestRun } from './run-tests.js';
import { analyseVerify, dropClientTempFiles, type VerifyIssueInput, type VerifyResult } from './verify-core.js';

export interface VerifyOptions {
  /** Issue ids or prefixes; empty = every issue with a live lease. */
  ids: string[];
  /** Folder with the sub-agents' saved final answers (absolute), or null. */
  reportsDir: string | null;
  /** `--test <cmd>`, null for the configured/detected command, false for none. */
  test: string | null | false;
  /** More globs to leave out, besides jitp's and the tracker's bookkeeping (BOOKKEEPING_GLOBS). */
  ignore?: string[];
  progress: (line: string) => void;
  warn: (line: string) => void;
}

export type VerifyTests = (TestRun & { source: string }) | null;

export interface VerifyRun {
  issues: { id: string; shortId: string; title: string }[];
  result: VerifyResult;
  tests: VerifyTests;
  /** Live leases of the configured store when verify read it. */
  leases: Lease[];
}

const withRoots = (r: IssueReport | null, roots: string[]): IssueReport | null =>
  r && r.ok ? { ...r, report: normalizeReport(r.report, roots) } : r;

export async function runVerify(ws: Workspace, o: VerifyOptions): Promise<VerifyRun> {
  const config = await ws.config();
  const source = await ws.source();
  const leases = await liveLeases(await ws.store());
  let issues: { id: string; shortId: string; title: string }[];
  if (o.ids.length) issues = resolveIssues(source, o.ids);
  else {
    const ids = [...new Set(leases.map((l) => l.issueId))].sort();
    issues = ids.map((id) => {
      try {
        return source.get(id);
      } catch {
        return { id, shortId: id.slice(0, 8), title: '(issue not in the tracker)' };
      }
    });
    if (!issues.length)
      o.warn('no live leases and no issues given: nothing to verify per issue; checking the working tree only');
  }
  const rel = (abs: string) => {
    const r = relative(ws.root, abs);
    return r && !r.startsWith('..') && !isAbsolute(r) ? r.split('\\').join('/') : abs;
  };
  const known = o.reportsDir ? source.list().map((i) => ({ id: i.id, shortId: i.shortId })) : [];
  const reports = o.reportsDir ? readReports(o.reportsDir, issues, rel, known) : null;

  o.progress('verify: reading changes');
  const mainChanges = dropClientTempFiles(
    await changedFiles(ws.root),
    (p) => existsSync(join(ws.root, p)),
    leases.flatMap((l) => l.paths),
  );
  const inputs: VerifyIssueInput[] = [];
  for (const iss of issues) {
    const lease = leaseForIssue(leases, iss.id);
    let ownChanges: string[] | null = null;
    if (lease?.worktree && resolve(lease.worktree) !== resolve(ws.root)) {
      const own = new Set(await changedFiles(lease.worktree).catch(() => []));
      if (lease.branch) for (const f of await branchChanges(ws.root, 'HEAD', lease.branch).catch(() => [])) own.add(f);
      ownChanges = [...own].sort();
    }
    inputs.push({
      id: iss.id,
      shortId: iss.shortId,
      title: iss.title,
      lease: lease
        ? {
            id: lease.id,
            paths: lease.paths,
            worktree: lease.worktree,
            branch: lease.branch,
            ...(lease.handedOff ? { handedOff: lease.handedOff } : {}),
          }
        : null,
      ownChanges,
      report: withRoots(reports?.byIssue.get(iss.id) ?? null, [lease?.worktree ?? '', ws.root].filter(Boolean)),
    });
  }
  const reportsRel = o.reportsDir ? rel(o.reportsDir) : null;
  const ignore = [...BOOKKEEPING_GLOBS, ...(o.ignore ?? [])];
  if (reportsRel && !isAbsolute(reportsRel)) ignore.push(`${reportsRel.replace(/\/+$/, '')}/**`);

  let tests: VerifyTests = null;
  if (o.test !== false) {
    const t = o.test !== null ? { command: o.test, source: '--test' } : testCommandFor(ws.root, config.test.command);
    if (t) {
      o.progress(`verify: running ${t.command}`);
      tests = { ...(await runTests(t.command, ws.root)), source: t.source };
    } else o.warn('no test command detected; set test.command in .jit-parallel.yaml or pass --test "<cmd>"');
  }
  const result = analyseVerify({
    issues: inputs,
    mainChanges,
    ignore,
    strayReports: reports?.stray ?? [],
    otherReports: reports?.other ?? [],
    tests: tests ? { command: tests.command, exitCode: tests.exitCode, ok: tests.ok } : null,
    reportsExpected: !!reports,
    otherLeases: leases
      .filter((l) => !issues.some((i) => i.id === l.issueId))
      .map((l) => ({ id: l.id, issueId: l.issueId, paths: l.paths })),
  });
  return { issues, result, tests, leases };
}
