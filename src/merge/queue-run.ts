// Runs the consolidated queue in the main checkout: merge one branch, run the tests, record,
// next. On a conflict or a red test it stops with the repository exactly as git left it
// (conflict markers and MERGE_HEAD kept), records why in the batch, and says how to go on.
import { existsSync } from 'node:fs';
import { JitpError } from '../platform/errors.js';
import { type Batch, type BatchIssue, findIssue, readBatch, updateBatch } from '../worktree/batch.js';
import { commitOf, git, outcome, output } from '../platform/git.js';
import { branchExists, currentBranch, dirtyState, runShell } from '../worktree/git.js';
import { continueAction, type IssueGitFacts, mergeOrder, readiness, skipAction } from './queue.js';

export interface QueueEnv {
  mainRoot: string;
  commonDir: string;
  env: NodeJS.ProcessEnv;
  progress(line: string): void;
  /**
   * Called once for each branch that really merged (its tests passed, or it was already in the
   * integration branch), never for a conflict or a red test: the CLI marks the issue done and
   * releases its leases there (dispatch/merged-done.ts). What it returns is the step's `done`.
   */
  onMerged?(issue: BatchIssue): Promise<StepDone>;
}

/** What happened to a merged issue's tracker state and leases (see dispatch/merged-done.ts). */
export interface StepDone {
  state: 'done' | 'already' | 'untracked' | 'failed';
  via: string;
  file: string | null;
  commit: string | null;
  releasedLeases: string[];
  note?: string;
  error?: string;
}

export interface QueueStep {
  issue: string;
  short: string;
  branch: string | null;
  outcome: 'merged' | 'conflict' | 'test-failed' | 'merge-failed' | 'skipped' | 'not-ready';
  detail: string;
  files?: string[];
  commit?: string;
  /** merged steps, when the merge marks issues done (`jitp merge` does unless --no-done). */
  done?: StepDone;
}

export interface QueueReport {
  steps: QueueStep[];
  stopped: null | {
    issue: string;
    short: string;
    because: 'conflict' | 'test-failed' | 'merge-failed';
    files: string[];
    next: string[];
  };
  done: boolean;
}

const oneLine = (s: string) =>
  s
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);

export async function issueFacts(mainRoot: string, batch: Batch, issue: BatchIssue): Promise<IssueGitFacts> {
  const exists = !!issue.branch && (await branchExists(mainRoot, issue.branch));
  let ahead = 0;
  let overBase = 0;
  if (exists) {
    const r = await git(
      mainRoot,
      outcome(['rev-list', '--count', `refs/heads/${batch.integration}..refs/heads/${issue.branch}`]),
    );
    ahead = r.code === 0 ? Number(r.stdout.trim()) : 0;
    const o = await git(mainRoot, outcome(['rev-list', '--count', `${batch.base}..refs/heads/${issue.branch}`]));
    overBase = o.code === 0 ? Number(o.stdout.trim()) : 0;
  }
  let dirty = false;
  if (issue.worktree && existsSync(issue.worktree)) {
    const d = await dirtyState(issue.worktree);
    dirty = d.modified.length + d.untracked.length > 0;
  }
  return { ahead, overBase, dirty, branchExists: exists };
}

async function mergeCheckout(mainRoot: string, branch: string | null) {
  const mergeHead = (await git(mainRoot, outcome(['rev-parse', '-q', '--verify', 'MERGE_HEAD']))).code === 0;
  const u = await git(mainRoot, outcome(['diff', '--name-only', '--diff-filter=U', '-z']));
  const unmerged = [...new Set(u.stdout.split('\0').filter(Boolean))];
  const branchInHead =
    !!branch &&
    (await git(mainRoot, outcome(['merge-base', '--is-ancestor', `refs/heads/${branch}`, 'HEAD']))).code === 0;
  const head = (await git(mainRoot, commitOf('HEAD'))) ?? '';
  return { mergeHead, unmerged, branchInHead, head };
}

async function requireIntegrationCheckout(q: QueueEnv, batch: Batch, allowMerge: boolean): Promise<void> {
  const cur = await currentBranch(q.mainRoot);
  if (cur !== batch.integration) {
    throw new JitpError(
      'E_NOT_ON_INTEGRATION',
      `the main checkout ${q.mainRoot} is on ${cur ?? 'a detached HEAD'}, not the integration branch ` +
        `${batch.integration}`,
      {
        hint: `git -C ${JSON.stringify(q.mainRoot)} switch ${batch.integration}`,
      },
    );
  }
  const f = await mergeCheckout(q.mainRoot, null);
  if (f.mergeHead && !allowMerge) {
    throw new JitpError('E_MERGE_IN_PROGRESS', `a merge is in progress in ${q.mainRoot}`, {
      hint: 'resolve it and run `jitp merge --continue`, or `jitp merge --skip` to drop this one branch',
    });
  }
  if (!f.mergeHead) {
    const d = await dirtyState(q.mainRoot);
    if (d.modified.length) {
      throw new JitpError(
        'E_DIRTY_MAIN',
        `the main checkout has uncommitted changes: ${d.modified.slice(0, 5).join(', ')}`,
        {
          hint: 'commit or stash them first (`git stash`), then run `jitp merge` again',
        },
      );
    }
  }
}

async function setIssue(
  q: QueueEnv,
  id: string,
  patch: Partial<BatchIssue['merge']>,
  run?: Partial<Batch['mergeRun']>,
): Promise<void> {
  await updateBatch(q.mainRoot, q.commonDir, (b) => {
    if (!b)
      throw new JitpError('E_BATCH_VANISHED', 'the batch file vanished during the merge', {
        hint: 'restore .jit-parallel/batch.yaml',
      });
    const i = b.issues.find((x) => x.id === id)!;
    Object.assign(i.merge, patch, { at: new Date().toISOString() });
    if (run) Object.assign(b.mergeRun, run);
    return { batch: b, value: undefined };
  });
}

async function setRun(q: QueueEnv, run: Partial<Batch['mergeRun']>): Promise<void> {
  await updateBatch(q.mainRoot, q.commonDir, (b) => {
    if (!b) return { batch: undefined, value: undefined };
    Object.assign(b.mergeRun, run);
    return { batch: b, value: undefined };
  });
}

const nextSteps = (
  because: 'conflict' | 'test-failed' | 'merge-failed',
  root: string,
  short: string,
  branch: string,
): string[] =>
  because === 'conflict'
    ? [
        `cd ${JSON.stringify(root)}`,
        `# resolve the conflict markers in the files listed, then:`,
        `git add <files>`,
        `jitp merge --continue`,
        `# or drop this branch from the queue (its work stays on ${branch}):`,
        `jitp merge --skip`,
      ]
    : because === 'test-failed'
      ? [
          `cd ${JSON.stringify(root)}`,
          `# fix and commit on the integration branch, then re-run the tests and go on:`,
          `jitp merge --continue`,
          `# or undo this merge and go on without ${short} (its work stays on ${branch}):`,
          `jitp merge --skip`,
        ]
      : [
          `# see the git message above; fix the cause in ${JSON.stringify(root)}, then:`,
          `jitp merge --continue`,
          `jitp merge --skip`,
        ];

async function runTests(q: QueueEnv, test: string | null, short: string): Promise<{ ok: boolean; tail: string }> {
  if (!test) return { ok: true, tail: '' };
  q.progress(`[${short}] test: ${test}`);
  const started = Date.now();
  const r = await runShell(test, { cwd: q.mainRoot, env: q.env, onLine: (l) => q.progress(`[${short}]   ${l}`) });
  q.progress(
    `[${short}] test ${r.code === 0 ? 'passed' : `FAILED (exit ${r.code})`} in ` +
      `${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
  return { ok: r.code === 0, tail: r.output.trim().split('\n').slice(-3).join(' | ').slice(0, 300) };
}

async function afterMerged(
  q: QueueEnv,
  batch: Batch,
  issue: BatchIssue,
  test: string | null,
  report: QueueReport,
): Promise<boolean> {
  const t = await runTests(q, test, issue.short);
  const head = (await git(q.mainRoot, commitOf('HEAD')))!;
  if (!t.ok) {
    const reason = `tests failed after merging: ${test}${t.tail ? ` (${t.tail})` : ''}`;
    await setIssue(
      q,
      issue.id,
      { state: 'test-failed', reason, commit: head },
      { state: 'stopped', current: issue.id, stoppedBecause: 'test-failed' },
    );
    report.steps.push({
      issue: issue.id,
      short: issue.short,
      branch: issue.branch,
      outcome: 'test-failed',
      detail: reason,
      commit: head,
    });
    report.stopped = {
      issue: issue.id,
      short: issue.short,
      because: 'test-failed',
      files: [],
      next: nextSteps('test-failed', q.mainRoot, issue.short, issue.branch!),
    };
    return false;
  }
  await setIssue(
    q,
    issue.id,
    { state: 'merged', reason: null, files: [], commit: head },
    { state: 'running', current: null, before: null, stoppedBecause: null },
  );
  q.progress(`[${issue.short}] merged ${issue.branch} -> ${batch.integration} (${head.slice(0, 12)})`);
  report.steps.push({
    issue: issue.id,
    short: issue.short,
    branch: issue.branch,
    outcome: 'merged',
    detail: `merged as ${head.slice(0, 12)}`,
    commit: head,
    ...(await finishMerged(q, issue)),
  });
  return true;
}

async function finishMerged(q: QueueEnv, issue: BatchIssue): Promise<{ done?: StepDone }> {
  if (!q.onMerged) return {};
  const done = await q.onMerged(issue);
  const released = done.releasedLeases.length ? `, released ${done.releasedLeases.join(', ')}` : '';
  const what =
    done.state === 'failed'
      ? `NOT marked done: ${done.error}`
      : done.state === 'untracked'
        ? `no tracker state to change (${done.note})${released}`
        : `${done.state === 'done' ? 'marked done' : 'already done'}${released}`;
  q.progress(`[${issue.short}] ${what}`);
  return { done };
}

/** Runs the queue from wherever the batch stands. */
async function drive(q: QueueEnv, test: string | null, report: QueueReport): Promise<QueueReport> {
  const batch0 = readBatch(q.mainRoot)!;
  const { order, cycle } = mergeOrder(batch0.issues);
  if (cycle.length) q.progress(`warning: dependency cycle among ${cycle.length} issue(s); merged in plan order`);
  const total = order.length;
  for (let n = 0; n < order.length; n++) {
    const batch = readBatch(q.mainRoot)!;
    const issue = batch.issues.find((i) => i.id === order[n])!;
    if (issue.merge.state === 'merged' || issue.merge.state === 'skipped') continue;
    const facts = await issueFacts(q.mainRoot, batch, issue);
    const r = readiness(issue, facts, batch);
    if (!r.ready) {
      if (r.reason === 'already-merged') {
        const head = (await git(q.mainRoot, commitOf('HEAD')))!;
        await setIssue(q, issue.id, { state: 'merged', reason: null, commit: head });
        report.steps.push({
          issue: issue.id,
          short: issue.short,
          branch: issue.branch,
          outcome: 'merged',
          detail: r.detail,
          commit: head,
          ...(await finishMerged(q, issue)),
        });
        continue;
      }
      if (r.reason === 'no-commits' && facts.branchExists) {
        await setIssue(q, issue.id, { state: 'skipped', reason: r.detail });
        report.steps.push({
          issue: issue.id,
          short: issue.short,
          branch: issue.branch,
          outcome: 'skipped',
          detail: r.detail,
        });
      } else {
        await setIssue(q, issue.id, { reason: r.detail });
        report.steps.push({
          issue: issue.id,
          short: issue.short,
          branch: issue.branch,
          outcome: 'not-ready',
          detail: r.detail,
        });
      }
      q.progress(`[${issue.short}] (${n + 1}/${total}) not merged: ${r.detail}`);
      continue;
    }
    const before = (await git(q.mainRoot, commitOf('HEAD')))!;
    await setIssue(
      q,
      issue.id,
      { state: 'merging', reason: null },
      { state: 'running', current: issue.id, before, test, stoppedBecause: null },
    );
    q.progress(`[${issue.short}] (${n + 1}/${total}) merging ${issue.branch} into ${batch.integration}…`);
    const msg = `Merge ${issue.branch} (${issue.short}${issue.title ? `: ${oneLine(issue.title)}` : ''})`;
    const m = await git(
      q.mainRoot,
      outcome(['merge', '--no-ff', '--no-edit', '-m', msg, `refs/heads/${issue.branch}`]),
    );
    if (m.code !== 0) {
      const f = await mergeCheckout(q.mainRoot, issue.branch);
      if (f.mergeHead && f.unmerged.length) {
        const reason = `conflict in ${f.unmerged.length} file(s): ${f.unmerged.slice(0, 5).join(', ')}`;
        await setIssue(
          q,
          issue.id,
          { state: 'conflict', reason, files: f.unmerged },
          { state: 'stopped', current: issue.id, stoppedBecause: 'conflict' },
        );
        report.steps.push({
          issue: issue.id,
          short: issue.short,
          branch: issue.branch,
          outcome: 'conflict',
          detail: reason,
          files: f.unmerged,
        });
        report.stopped = {
          issue: issue.id,
          short: issue.short,
          because: 'conflict',
          files: f.unmerged,
          next: nextSteps('conflict', q.mainRoot, issue.short, issue.branch!),
        };
        q.progress(`[${issue.short}] CONFLICT: ${reason}; the merge is left in progress for you to resolve`);
        return report;
      }
      // git refused before merging (e.g. an untracked file would be overwritten).
      const reason = `git merge failed: ${m.stderr.trim().split('\n').slice(0, 3).join(' ')}`;
      await setIssue(
        q,
        issue.id,
        { state: 'pending', reason },
        { state: 'stopped', current: issue.id, stoppedBecause: null },
      );
      report.steps.push({
        issue: issue.id,
        short: issue.short,
        branch: issue.branch,
        outcome: 'merge-failed',
        detail: reason,
      });
      report.stopped = {
        issue: issue.id,
        short: issue.short,
        because: 'merge-failed',
        files: [],
        next: nextSteps('merge-failed', q.mainRoot, issue.short, issue.branch!),
      };
      return report;
    }
    if (!(await afterMerged(q, batch, issue, test, report))) return report;
  }
  await setRun(q, { state: 'done', current: null, before: null, stoppedBecause: null });
  report.done = true;
  return report;
}

export async function startQueue(q: QueueEnv, test: string | null): Promise<QueueReport> {
  const batch = readBatch(q.mainRoot)!;
  if (batch.mergeRun.state === 'stopped' || (batch.mergeRun.state === 'running' && batch.mergeRun.current)) {
    const cur = batch.issues.find((i) => i.id === batch.mergeRun.current);
    throw new JitpError(
      'E_MERGE_STOPPED',
      `the merge queue is stopped at ${cur?.short ?? batch.mergeRun.current} ` +
        `(${batch.mergeRun.stoppedBecause ?? 'merge failed'})`,
      {
        hint: 'resolve it and run `jitp merge --continue`, or `jitp merge --skip`',
      },
    );
  }
  await requireIntegrationCheckout(q, batch, false);
  return drive(q, test, { steps: [], stopped: null, done: false });
}

/** A run killed mid-merge (state `running` with a current issue) is treated as stopped. */
async function loadForResume(q: QueueEnv): Promise<Batch> {
  const b = readBatch(q.mainRoot)!;
  if (b.mergeRun.state === 'running' && b.mergeRun.current) {
    await setRun(q, { state: 'stopped' });
    return readBatch(q.mainRoot)!;
  }
  return b;
}

export async function continueQueue(q: QueueEnv, testOverride: string | null | undefined): Promise<QueueReport> {
  const batch = await loadForResume(q);
  const test = testOverride !== undefined ? testOverride : batch.mergeRun.test;
  const report: QueueReport = { steps: [], stopped: null, done: false };
  if (batch.mergeRun.state !== 'stopped' || !batch.mergeRun.current) {
    await requireIntegrationCheckout(q, batch, false);
    return drive(q, test, report);
  }
  await requireIntegrationCheckout(q, batch, true);
  const issue = findIssue(batch, batch.mergeRun.current);
  const f = await mergeCheckout(q.mainRoot, issue.branch);
  const act = continueAction(batch, f);
  switch (act.kind) {
    case 'still-conflicted':
      throw new JitpError(
        'E_STILL_CONFLICTED',
        `${act.files.length} file(s) still in conflict: ${act.files.slice(0, 8).join(', ')}`,
        {
          hint: 'resolve the markers, `git add` each file, then `jitp merge --continue` (or `jitp merge --skip`)',
          details: { files: act.files },
        },
      );
    case 'merge-aborted':
      throw new JitpError(
        'E_MERGE_GONE',
        `the merge of ${issue.branch} is no longer in progress and ${issue.branch} is not in ${batch.integration}`,
        {
          hint:
            'it was aborted by hand: run `jitp merge --skip` to go on without it, or `git merge ' +
            issue.branch +
            '` and resolve it again',
        },
      );
    case 'commit-merge': {
      q.progress(`[${issue.short}] concluding the resolved merge`);
      // The user's hooks run; the issue's own lease is named so jitp's commit guard accepts its files.
      const c = await git(
        { cwd: q.mainRoot, env: { ...q.env, ...(issue.leaseId ? { JITP_LEASE: issue.leaseId } : {}) } },
        outcome(['commit', '--no-edit']),
      );
      if (c.code !== 0) {
        throw new JitpError(
          'E_GIT',
          `could not conclude the merge of ${issue.branch}: ${c.stderr.trim().split('\n').slice(-3).join(' ')}`,
          {
            hint: 'fix what the commit hook reports (the merge is still in progress), then `jitp merge --continue`',
          },
        );
      }
      break;
    }
    case 'retest':
    case 'nothing-stopped':
      break;
  }
  if (!(await afterMerged(q, batch, issue, test, report))) return report;
  return drive(q, test, report);
}

export async function skipQueue(q: QueueEnv, testOverride: string | null | undefined): Promise<QueueReport> {
  const batch = await loadForResume(q);
  const test = testOverride !== undefined ? testOverride : batch.mergeRun.test;
  if (batch.mergeRun.state !== 'stopped' || !batch.mergeRun.current) {
    throw new JitpError('E_NOTHING_TO_SKIP', 'the merge queue is not stopped on any issue', {
      hint: 'run `jitp merge` (or `jitp status`)',
    });
  }
  await requireIntegrationCheckout(q, batch, true);
  const issue = findIssue(batch, batch.mergeRun.current);
  const f = await mergeCheckout(q.mainRoot, issue.branch);
  const act = skipAction(batch, { ...f, mergeCommit: issue.merge.commit });
  const report: QueueReport = { steps: [], stopped: null, done: false };
  let detail = 'skipped';
  switch (act.kind) {
    case 'refuse':
      throw new JitpError('E_SKIP_REFUSED', `cannot skip ${issue.short}: ${act.reason}`, {
        hint: 'undo the merge by hand, then `jitp merge --skip` again',
      });
    case 'abort-merge':
      // Said out loud: the conflict resolution in progress is dropped; the branch keeps its commits.
      q.progress(
        `[${issue.short}] aborting the in-progress merge of ${issue.branch} (its commits stay on ${issue.branch})`,
      );
      await git(q.mainRoot, output(['merge', '--abort']));
      detail = `skipped by hand after a conflict; work kept on ${issue.branch}`;
      break;
    case 'reset-to-before': {
      const d = await dirtyState(q.mainRoot);
      if (d.modified.length)
        throw new JitpError(
          'E_DIRTY_MAIN',
          `uncommitted changes in ${q.mainRoot}: ${d.modified.slice(0, 5).join(', ')}`,
          { hint: 'commit or stash them, then `jitp merge --skip` again' },
        );
      q.progress(
        `[${issue.short}] undoing merge ${f.head.slice(0, 12)}: ${batch.integration} back to ` +
          `${act.before.slice(0, 12)} (the merge commit stays reachable as ${f.head})`,
      );
      await git(q.mainRoot, output(['reset', '--hard', act.before]));
      detail = `skipped after failing tests; merge ${f.head.slice(0, 12)} undone; work kept on ${issue.branch}`;
      break;
    }
    case 'mark-only':
    case 'nothing-stopped':
      break;
  }
  await setIssue(
    q,
    issue.id,
    { state: 'skipped', reason: detail },
    { state: 'running', current: null, before: null, stoppedBecause: null },
  );
  report.steps.push({ issue: issue.id, short: issue.short, branch: issue.branch, outcome: 'skipped', detail });
  return drive(q, test, report);
}
