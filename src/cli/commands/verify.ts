import { isAbsolute, relative, resolve } from 'node:path';
import type { CommandSpec } from '../command.js';
import { flag, str } from '../command.js';
import { EXIT, usageError } from '../../platform/errors.js';
import { resolveIssues } from '../../dispatch/context.js';
import { workspaceOf } from '../workspace.js';
import { branchChanges, changedFiles } from '../../dispatch/git.js';
import { liveLeases, leaseForIssue } from '../../dispatch/leases.js';
import { readReports, type IssueReport } from '../../dispatch/report-files.js';
import { normalizeReport } from '../../dispatch/reports.js';
import { runTests, type TestRun } from '../../dispatch/run-tests.js';
import { analyseVerify, type VerifyIssueInput, type VerifyResult } from '../../dispatch/verify-core.js';
import { testCommandFor } from '../../render/test-command-fs.js';
import { oneLine } from '../../render/text.js';

export const command: CommandSpec = {
  name: 'verify',
  summary: "Post-flight: check the batch's changes against its leases and reports, run the tests once",
  usage: 'jitp verify [<issue…>] [--reports <dir>] [--test "<cmd>" | --no-test] [--json]',
  help: [
    'For each issue (default: every issue with a live lease): the files it changed (working tree vs HEAD in',
    "the shared checkout; its branch and worktree in worktree mode) against its lease's paths; changed files",
    'no lease covers; files changed by two issues; in worktree mode, files that leaked into the main checkout.',
    "With --reports <dir>, parses the sub-agents' final answers saved there (one file each, named <short-id>.md",
    'or carrying "issue" in the JSON block): files they claim but did not change, needs outside scope, problems,',
    'failed checks, malformed reports. Then runs the test command once (config test.command, else detected).',
    '',
    'JSON: {"ok": bool, "needsHuman": [string], "issues": [{"id","shortId","title","leaseId","mode":"shared"|"worktree",',
    '  "changed":[…],"outsideLease":[…],"reportedButUnchanged":[…],"needsOutsideScope":[{"path","why"}],"problems":[…],',
    '  "failedChecks":[{"command","result"}],"report":"ok"|"missing"|"malformed","reportError"?,"findings":[…]}],',
    '  "unleased":[…], "heldByOthers":[{"path","leaseId","issueId"}] (changes under leases outside the batch; not staged),',
    '  "shared":[{"path","issues":[…]}], "leaked":[{"path","issue"}], "strayReports":[{"file","error"}],',
    '  "stage":[…] (paths to `git add` for the batch), "tests": {"command","source","exitCode","ok","durationMs","outputTail"}|null}',
    'Exit codes: 0 all clean, 1 something needs a human (see needsHuman), 2 bad arguments, 4 unknown issue id,',
    '5 lease store unreadable, 7 git.',
  ].join('\n'),
  options: {
    reports: { type: 'string', arg: '<dir>', description: "Folder with the sub-agents' saved final answers" },
    test: { type: 'string', arg: '<cmd>', description: 'Test command to run instead of the configured/detected one' },
    'no-test': { type: 'boolean', description: 'Do not run tests' },
  },
  async run(ctx) {
    if (flag(ctx.args.values['no-test']) && str(ctx.args.values.test))
      throw usageError('--test and --no-test exclude each other');
    const ws = workspaceOf(ctx);
    const config = await ws.config();
    const source = await ws.source();
    const leases = await liveLeases(await ws.store());
    let issues: { id: string; shortId: string; title: string }[];
    if (ctx.args.positionals.length) issues = resolveIssues(source, ctx.args.positionals);
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
        ctx.warn('no live leases and no issues given: nothing to verify per issue; checking the working tree only');
    }
    const reportsOpt = str(ctx.args.values.reports);
    const reportsDir = reportsOpt ? resolve(ctx.cwd, reportsOpt) : null;
    const rel = (abs: string) => {
      const r = relative(ws.root, abs);
      return r && !r.startsWith('..') && !isAbsolute(r) ? r.split('\\').join('/') : abs;
    };
    const reports = reportsDir ? readReports(reportsDir, issues, rel) : null;

    ctx.progress('verify: reading changes');
    const mainChanges = await changedFiles(ws.root);
    const inputs: VerifyIssueInput[] = [];
    for (const iss of issues) {
      const lease = leaseForIssue(leases, iss.id);
      let ownChanges: string[] | null = null;
      if (lease?.worktree && resolve(lease.worktree) !== resolve(ws.root)) {
        const own = new Set(await changedFiles(lease.worktree).catch(() => []));
        if (lease.branch)
          for (const f of await branchChanges(ws.root, 'HEAD', lease.branch).catch(() => [])) own.add(f);
        ownChanges = [...own].sort();
      }
      inputs.push({
        id: iss.id,
        shortId: iss.shortId,
        title: iss.title,
        lease: lease ? { id: lease.id, paths: lease.paths, worktree: lease.worktree, branch: lease.branch } : null,
        ownChanges,
        report: withRoots(reports?.byIssue.get(iss.id) ?? null, [lease?.worktree ?? '', ws.root].filter(Boolean)),
      });
    }
    const reportsRel = reportsDir ? rel(reportsDir) : null;
    const ignore = ['.jit/**', '.jit-parallel/reports/**', '.jit-parallel/batches/**', '.jit-parallel/batch.yaml'];
    if (reportsRel && !isAbsolute(reportsRel)) ignore.push(`${reportsRel.replace(/\/+$/, '')}/**`);

    let tests: (TestRun & { source: string }) | null = null;
    if (!flag(ctx.args.values['no-test'])) {
      const explicit = str(ctx.args.values.test);
      const t = explicit ? { command: explicit, source: '--test' } : testCommandFor(ws.root, config.test.command);
      if (t) {
        ctx.progress(`verify: running ${t.command}`);
        tests = { ...(await runTests(t.command, ws.root)), source: t.source };
      } else ctx.warn('no test command detected; set test.command in .jit-parallel.yaml or pass --test "<cmd>"');
    }
    const result = analyseVerify({
      issues: inputs,
      mainChanges,
      ignore,
      strayReports: reports?.stray ?? [],
      tests: tests ? { command: tests.command, exitCode: tests.exitCode, ok: tests.ok } : null,
      reportsExpected: !!reports,
      otherLeases: leases
        .filter((l) => !issues.some((i) => i.id === l.issueId))
        .map((l) => ({ id: l.id, issueId: l.issueId, paths: l.paths })),
    });
    return {
      exitCode: result.ok ? EXIT.OK : EXIT.FAILURE,
      json: { ...result, tests },
      text: renderText(result, tests, !!reports),
    };
  },
};

const withRoots = (r: IssueReport | null, roots: string[]): IssueReport | null =>
  r && r.ok ? { ...r, report: normalizeReport(r.report, roots) } : r;

function renderText(r: VerifyResult, tests: (TestRun & { source: string }) | null, withReports: boolean): string {
  const out: string[] = [];
  const rows = r.issues.map((i) => [
    i.shortId,
    i.mode,
    String(i.changed.length),
    String(i.outsideLease.length),
    withReports ? i.report : '-',
    i.findings.length ? 'CHECK' : 'ok',
  ]);
  const head = ['issue', 'mode', 'changed', 'outside', 'report', 'status'];
  const w = head.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, k) => c.padEnd(w[k]!))
      .join('  ')
      .trimEnd();
  if (rows.length) out.push(line(head), ...rows.map(line), '');
  for (const i of r.issues) {
    out.push(`${i.shortId}  ${oneLine(i.title)}`);
    for (const f of i.changed) out.push(`    ${i.outsideLease.includes(f) ? '!' : ' '} ${show(f)}`);
    for (const f of i.findings) out.push(`    - ${oneLine(f)}`);
    for (const n of i.needsOutsideScope) out.push(`      needs ${show(n.path)}: ${oneLine(n.why)}`);
    for (const p of i.problems) out.push(`      problem: ${oneLine(p)}`);
  }
  if (r.unleased.length)
    out.push('', 'Changed, but no lease of the batch covers them:', ...r.unleased.map((f) => `    ${show(f)}`));
  if (r.heldByOthers.length)
    out.push(
      '',
      'Changed, held by live leases outside this batch (their work; not staged):',
      ...r.heldByOthers.map((h) => `    ${show(h.path)}  (${h.leaseId}, issue ${h.issueId})`),
    );
  if (r.shared.length)
    out.push(
      '',
      'Changed by two or more issues:',
      ...r.shared.map((s) => `    ${show(s.path)}  (${s.issues.join(', ')})`),
    );
  if (r.leaked.length)
    out.push(
      '',
      'Leaked into the main checkout:',
      ...r.leaked.map((l) => `    ${show(l.path)}  (worktree of ${l.issue})`),
    );
  if (r.strayReports.length)
    out.push('', 'Reports:', ...r.strayReports.map((s) => `    ${show(s.file)}: ${oneLine(s.error)}`));
  out.push(
    '',
    tests
      ? `tests: ${tests.command} (${tests.source}) ${tests.ok ? 'passed' : `FAILED (exit ${tests.exitCode ?? 'signal'})`} in ${(tests.durationMs / 1000).toFixed(1)} s`
      : 'tests: not run',
  );
  if (tests && !tests.ok)
    out.push(
      ...tests.outputTail
        .split('\n')
        .slice(-15)
        .map((l) => `    ${l}`),
    );
  out.push('');
  if (r.ok) out.push(`OK: nothing needs a human. Stage with: git add -- ${r.stage.map(shq).join(' ')}`);
  else out.push('NEEDS A HUMAN:', ...r.needsHuman.map((n) => `  - ${oneLine(n)}`));
  return out.join('\n');
}

// Paths are data: one line each in the table, quoted when they hold anything unusual.
const show = (p: string) => (/^[\x21-\x7e]+$/.test(p) ? p : JSON.stringify(p));
const shq = (s: string) => (/^[A-Za-z0-9_./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
