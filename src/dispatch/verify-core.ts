// Post-flight decisions of `jitp verify`, over plain data: which changed files belong to
// which issue's lease, which belong to nobody, which two issues share, what leaked into the
// main checkout, and what the sub-agents' reports say against what really changed. Pure.
import { matches } from '../core/globs.js';
import type { AgentReport } from './reports.js';

export interface VerifyIssueInput {
  id: string;
  shortId: string;
  title: string;
  lease: {
    id: string;
    paths: string[];
    worktree: string | null;
    branch: string | null;
    /** Paths this lease gave to a waiting issue after its sub-agent stopped (docs/wait.md). */
    handedOff?: Array<{ path: string; toIssueId: string }>;
  } | null;
  /** Worktree mode: files changed on the issue's branch/worktree. Null in a shared checkout. */
  ownChanges: string[] | null;
  report: { file: string; ok: true; report: AgentReport } | { file: string; ok: false; error: string } | null;
}

export interface VerifyInput {
  issues: VerifyIssueInput[];
  /** Files changed in the main checkout (working tree + index vs HEAD, untracked included). */
  mainChanges: string[];
  /** Globs never attributed or flagged (the issue store, jitp's own folders, reports dir). */
  ignore: string[];
  /** Reports found whose issue is not in the batch, or that could not be tied to an issue. */
  strayReports: { file: string; error: string }[];
  /** Reports of tracker issues outside the batch (finished one by one): listed, not a finding. */
  otherReports?: { file: string; issue: string }[];
  tests: { command: string; exitCode: number | null; ok: boolean } | null;
  /** Live leases of issues outside the batch: their files are someone else's work in progress. */
  otherLeases?: { id: string; issueId: string; paths: string[] }[];
  /** True when a reports folder was given: a missing report then needs a human. */
  reportsExpected?: boolean;
}

export interface VerifyIssueResult {
  id: string;
  shortId: string;
  title: string;
  leaseId: string | null;
  mode: 'shared' | 'worktree';
  /** Files this issue changed (inside its lease, or listed by its own report). */
  changed: string[];
  /** Changed files the issue's report lists or its branch holds but its lease does not cover. */
  outsideLease: string[];
  /** Files the report says it changed that did not change. */
  reportedButUnchanged: string[];
  needsOutsideScope: { path: string; why: string }[];
  problems: string[];
  failedChecks: { command: string; result: string }[];
  report: 'ok' | 'missing' | 'malformed';
  reportError?: string;
  /** Human-readable reasons this issue needs a human; empty = fine. */
  findings: string[];
}

export interface VerifyResult {
  ok: boolean;
  issues: VerifyIssueResult[];
  /** Changed files no lease of the batch covers and no report claims. */
  unleased: string[];
  /** Files changed by two or more issues. */
  shared: { path: string; issues: string[] }[];
  /** Changed files held by live leases outside the batch: not this batch's, never staged. */
  heldByOthers: { path: string; leaseId: string; issueId: string }[];
  /** Worktree mode: files of a worktree issue changed in the main checkout instead. */
  leaked: { path: string; issue: string }[];
  strayReports: { file: string; error: string }[];
  otherReports: { file: string; issue: string }[];
  /**
   * Files a batch issue handed to a waiting issue outside the batch whose lease is still live:
   * that issue has them now (its edits follow this one's), so they go into its commit, not this.
   */
  handedOn: { path: string; issue: string; toIssue: string }[];
  /** Everything the batch changed, for `git add` (shared checkout: main changes; worktree: none). */
  stage: string[];
  needsHuman: string[];
}

const uniq = (xs: string[]) => [...new Set(xs)].sort();

// The client writes a file as `<file>.tmp.<pid>.<hex>` and renames it over the file: a status
// taken while a running sub-agent writes (continuous dispatch verifies one issue while others
// work) can catch that name for an instant. Seen on 2.1.330: `src/a.ts.tmp.12408.289adf560cf5`.
const CLIENT_TEMP = /^(.+)\.tmp\.\d+\.[0-9a-f]{6,}$/;

/**
 * Drops the client's atomic-write temp files from a list of changed paths: one already gone
 * (renamed into place), or one beside a file a live lease holds (being written now). Any other
 * file of that shape stays, to be flagged like every change nobody owns.
 */
export function dropClientTempFiles(paths: string[], exists: (path: string) => boolean, livePaths: string[]): string[] {
  return paths.filter((p) => {
    const m = CLIENT_TEMP.exec(p);
    if (!m) return true;
    return exists(p) && !livePaths.some((g) => matches(m[1]!, g));
  });
}
const inLease = (path: string, paths: string[]) => paths.some((g) => matches(path, g));

export function analyseVerify(input: VerifyInput): VerifyResult {
  const ignored = (p: string) => input.ignore.some((g) => matches(p, g));
  const main = uniq(input.mainChanges.filter((p) => !ignored(p)));
  const mainSet = new Set(main);
  const owners = new Map<string, Set<string>>();
  const own = (path: string, issue: string) => (owners.get(path) ?? owners.set(path, new Set()).get(path)!).add(issue);
  const leaked: { path: string; issue: string }[] = [];
  /** Main-checkout changes attributed to a shared-checkout issue. */
  const mainOwned = new Set<string>();

  const batchIds = new Set(input.issues.map((i) => i.id));
  const handedOn: VerifyResult['handedOn'] = [];
  const results: VerifyIssueResult[] = input.issues.map((iss) => {
    const worktreeMode = iss.ownChanges !== null;
    // A file handed to a waiter outside the batch whose lease is live is the waiter's now: it
    // may still be changing it, so committing it here would commit half its work (continuous
    // dispatch finishes issues one by one). It goes into the waiter's commit with both changes.
    const onward = (iss.lease?.handedOff ?? []).filter(
      (h) =>
        !batchIds.has(h.toIssueId) &&
        (input.otherLeases ?? []).some((l) => l.issueId === h.toIssueId && inLease(h.path, l.paths)),
    );
    for (const h of onward) handedOn.push({ path: h.path, issue: iss.id, toIssue: h.toIssueId });
    // A handed-off file was this issue's too: the holder changed it before the waiter did.
    const kept = (iss.lease?.handedOff ?? []).filter((h) => !onward.includes(h)).map((h) => h.path);
    const paths = [...(iss.lease?.paths ?? []), ...kept];
    const onwardPaths = onward.map((h) => h.path);
    const gaveAway = (iss.lease?.handedOff ?? []).map((h) => h.path);
    const rep = iss.report?.ok ? iss.report.report : null;
    const reported = uniq((rep?.filesChanged ?? []).map((p) => p.replace(/^\.\//, '')).filter((p) => !ignored(p)));
    const pool = worktreeMode ? uniq(iss.ownChanges!.filter((p) => !ignored(p))) : main;
    const poolSet = new Set(pool);
    // Shared checkout: a file is this issue's when its lease covers it or its report claims it.
    const changed = uniq([
      ...pool.filter((p) => (inLease(p, paths) || (!worktreeMode && reported.includes(p))) && !inLease(p, onwardPaths)),
      ...(worktreeMode ? pool : []),
    ]);
    for (const p of changed) own(p, iss.id);
    // A worktree lease that names no paths scopes the issue to its worktree: nothing is outside.
    const outsideLease = worktreeMode && paths.length === 0 ? [] : changed.filter((p) => !inLease(p, paths));
    // A handed-off file the waiter already committed with its own change is unchanged now.
    const reportedButUnchanged = reported.filter((p) => !poolSet.has(p) && !inLease(p, gaveAway));
    // A leak: the main checkout changed a file this worktree issue holds (or, with a lease that
    // names no paths, a file its worktree changed too).
    if (worktreeMode) {
      for (const p of main)
        if (paths.length ? inLease(p, paths) : poolSet.has(p)) leaked.push({ path: p, issue: iss.id });
    } else {
      for (const p of changed) mainOwned.add(p);
    }
    const failedChecks = (rep?.checks ?? [])
      .filter((c) => c.result === 'fail')
      .map((c) => ({ command: c.command, result: c.result }));
    const findings: string[] = [];
    if (!iss.lease) findings.push('no live lease: nothing says which files this issue may change');
    if (changed.length === 0) findings.push('changed no file');
    if (outsideLease.length)
      findings.push(`changed ${outsideLease.length} file(s) outside its lease: ${outsideLease.join(', ')}`);
    if (reportedButUnchanged.length)
      findings.push(
        `report lists ${reportedButUnchanged.length} file(s) that did not change: ${reportedButUnchanged.join(', ')}`,
      );
    if (rep?.needsOutsideScope.length)
      findings.push(`needs changes outside its scope: ${rep.needsOutsideScope.map((n) => n.path).join(', ')}`);
    if (rep?.problems.length) findings.push(`reports ${rep.problems.length} problem(s)`);
    if (failedChecks.length)
      findings.push(`a check failed in the sub-agent: ${failedChecks.map((c) => c.command).join(', ')}`);
    if (input.reportsExpected && iss.report === null) findings.push('no report found for it in the reports folder');
    if (iss.report && !iss.report.ok) findings.push(`malformed report ${iss.report.file}: ${iss.report.error}`);
    return {
      id: iss.id,
      shortId: iss.shortId,
      title: iss.title,
      leaseId: iss.lease?.id ?? null,
      mode: worktreeMode ? 'worktree' : 'shared',
      changed,
      outsideLease,
      reportedButUnchanged,
      needsOutsideScope: rep?.needsOutsideScope ?? [],
      problems: rep?.problems ?? [],
      failedChecks,
      report: iss.report === null ? 'missing' : iss.report.ok ? 'ok' : 'malformed',
      ...(iss.report && !iss.report.ok ? { reportError: iss.report.error } : {}),
      findings,
    };
  });

  const leakedSet = new Set(leaked.map((l) => l.path));
  // A hand-off is two issues changing one file in turn, by design: not a finding.
  const gaveTo = (giver: string, path: string, to: Set<string>) =>
    input.issues
      .find((i) => i.id === giver)
      ?.lease?.handedOff?.some((h) => to.has(h.toIssueId) && inLease(path, [h.path])) ?? false;
  const shared = [...owners.entries()]
    .filter(([path, s]) => [...s].filter((i) => !gaveTo(i, path, s)).length > 1)
    .map(([path, s]) => ({ path, issues: [...s].sort() }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  const anyShared = results.some((r) => r.mode === 'shared');
  // In worktree mode every change in the main checkout is suspicious, attributed or not.
  const heldByOthers: VerifyResult['heldByOthers'] = [];
  for (const p of main) {
    if (mainOwned.has(p) || leakedSet.has(p)) continue;
    const other = (input.otherLeases ?? []).find((l) => inLease(p, l.paths));
    if (other) heldByOthers.push({ path: p, leaseId: other.id, issueId: other.issueId });
  }
  const othersSet = new Set(heldByOthers.map((h) => h.path));
  const unleased = main.filter((p) => !mainOwned.has(p) && !leakedSet.has(p) && !othersSet.has(p));
  const needsHuman: string[] = [];
  for (const r of results) for (const f of r.findings) needsHuman.push(`${r.shortId}: ${f}`);
  if (unleased.length)
    needsHuman.push(`${unleased.length} changed file(s) no lease of the batch covers: ${unleased.join(', ')}`);
  for (const s of shared) needsHuman.push(`${s.path} changed by ${s.issues.length} issues`);
  for (const l of leaked)
    needsHuman.push(`${l.path} leaked into the main checkout (belongs to the worktree of ${l.issue})`);
  for (const s of input.strayReports) needsHuman.push(`report ${s.file}: ${s.error}`);
  if (input.tests && !input.tests.ok)
    needsHuman.push(`tests failed: ${input.tests.command} (exit ${input.tests.exitCode ?? 'signal'})`);
  const stage = anyShared
    ? uniq(
        results
          .filter((r) => r.mode === 'shared')
          .flatMap((r) => r.changed)
          .filter((p) => mainSet.has(p)),
      )
    : [];
  return {
    ok: needsHuman.length === 0,
    issues: results,
    unleased,
    heldByOthers,
    shared,
    leaked,
    strayReports: input.strayReports,
    otherReports: input.otherReports ?? [],
    handedOn,
    stage,
    needsHuman,
  };
}
