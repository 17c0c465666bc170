// What `jitp verify` (and `jitp finish`, when verify stops it) prints for people: a table of the
// issues, what each changed, every finding, the test run, and the verdict. Paths are data: one
// line each, quoted when they hold anything unusual.
import { oneLine } from '../render/text.js';
import type { VerifyTests } from './verify-run.js';
import type { VerifyResult } from './verify-core.js';

export function verifyText(r: VerifyResult, tests: VerifyTests, withReports: boolean): string {
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
  if (r.handedOn.length)
    out.push(
      '',
      'Handed to a running issue (its commit takes them):',
      ...r.handedOn.map((h) => `    ${show(h.path)}  (${h.issue} -> ${h.toIssue})`),
    );
  if (r.otherReports.length)
    out.push('', `Reports of other issues, not checked: ${r.otherReports.map((o) => show(o.file)).join(', ')}`);
  out.push(
    '',
    tests
      ? `tests: ${tests.command} (${tests.source}) ` +
          `${tests.ok ? 'passed' : `FAILED (exit ${tests.exitCode ?? 'signal'})`} in ` +
          `${(tests.durationMs / 1000).toFixed(1)} s`
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

const show = (p: string) => (/^[\x21-\x7e]+$/.test(p) ? p : JSON.stringify(p));
export const shq = (s: string) => (/^[A-Za-z0-9_./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
