// `jitp finish`: the shared-checkout post-flight in one step, safe to run again. verify; then
// mark the verified issues done; stage exactly what verify lists plus the tracker files the
// state change touched; one commit with the convention's message (only those paths, whatever
// else is staged); release the issues' leases last, so that a run stopped anywhere (a refused
// state change, a failing commit hook) leaves the leases to verify the same work again.
// A verify that needs a human stops it before anything changes. An issue worked in a worktree of
// its own is finished here only once the merge queue has merged its branch (`merged`, from the
// batch file): then nothing is left on its branch or in its worktree, and only its state changes.
import { matches } from '../core/globs.js';
import { escapeGlob } from '../core/glob-escape.js';
import { JitpError, isJitpError } from '../platform/errors.js';
import { renderCommitMessage, type CommitMessage } from '../render/commit-message.js';
import type { Issue } from '../sources/types.js';
import type { Workspace } from '../workspace/open.js';
import { resolveIssues } from './context.js';
import { git, output } from '../platform/git.js';
import { changedFiles } from './git.js';
import { markDoneOrExplain, trackerChanges, type DoneOutcome } from './issue-done.js';
import { leaseForIssue, liveLeases, releaseIssueLeases } from './leases.js';
import { runVerify, type VerifyOptions, type VerifyRun } from './verify-run.js';
import { jitpCommand } from '../core/shell-quote.js';

export interface FinishOptions extends Omit<VerifyOptions, 'ids'> {
  ids: string[];
  /** Stop after staging: the leases stay, and `jitp finish` again makes the commit. */
  commit: boolean;
  /** Worktree-mode issues whose branch the merge queue merged (the batch file says so). */
  merged?: ReadonlySet<string>;
}

export type FinishStatus = 'finished' | 'already-finished' | 'staged' | 'not-finished';

export interface FinishedIssue {
  id: string;
  shortId: string;
  title: string;
  status: FinishStatus;
  /** The state change (null when the issue was already finished or verify stopped the run). */
  done: DoneOutcome | null;
  releasedLeases: string[];
}

export interface FinishReport {
  ok: boolean;
  /** What needs a human (verify's findings, a refused state change); empty when ok. */
  needsHuman: string[];
  issues: FinishedIssue[];
  /** What verify said of the issues it checked (null when every issue was already finished). */
  verify: VerifyRun | null;
  /** The paths staged and committed: verify's `stage` plus the tracker files. */
  staged: string[];
  commit: { sha: string; message: string } | null;
}

/**
 * Done, its tracker file committed, and no uncommitted change under its live lease (if one is
 * left): a previous run (or the user) finished it; only a leftover lease may remain to release.
 */
async function alreadyFinished(ws: Workspace, issues: Issue[]): Promise<Set<string>> {
  const done = issues.filter((i) => i.state === 'done');
  if (!done.length) return new Set();
  const changed = await changedFiles(ws.root);
  const dirty = new Set(changed);
  const leases = await liveLeases(await ws.store());
  return new Set(
    done
      .filter((i) => !dirty.has(i.file))
      .filter((i) => {
        const l = leaseForIssue(leases, i.id);
        return !l || !changed.some((f) => l.paths.some((g) => matches(f, g)));
      })
      .map((i) => i.id),
  );
}

const row = (i: Issue, status: FinishStatus, done: DoneOutcome | null = null, released: string[] = []) => ({
  id: i.id,
  shortId: i.shortId,
  title: i.title,
  status,
  done,
  releasedLeases: released,
});

export async function finishIssues(ws: Workspace, o: FinishOptions): Promise<FinishReport> {
  const config = await ws.config();
  const source = await ws.source();
  const store = await ws.store();
  const all = resolveIssues(source, o.ids);
  const finished = await alreadyFinished(ws, all);
  const todo = all.filter((i) => !finished.has(i.id));
  const rows = new Map<string, FinishedIssue>();
  for (const i of all.filter((x) => finished.has(x.id)))
    rows.set(i.id, row(i, 'already-finished', null, await releaseIssueLeases(store, i.id, 'issue done')));
  const report = (r: Omit<FinishReport, 'issues'>): FinishReport => ({
    ...r,
    issues: all.map((i) => rows.get(i.id) ?? row(i, 'not-finished')),
  });
  if (!todo.length) return report({ ok: true, needsHuman: [], verify: null, staged: [], commit: null });

  // The state change of a run stopped before its commit shows in the task files: theirs, not unleased work.
  const ownTaskFiles = todo.filter((i) => i.source === 'tasks').map((i) => escapeGlob(i.file));
  const verify = await runVerify(ws, { ...o, ids: todo.map((i) => i.id), ignore: ownTaskFiles });
  // A merged worktree issue changed nothing left to see (its branch is in HEAD, its worktree clean).
  const mergedIn = new Set(
    verify.result.issues
      .filter((r) => r.mode === 'worktree' && o.merged?.has(r.id) && r.changed.length === 0)
      .map((r) => `${r.shortId}: changed no file`),
  );
  const needsHuman = verify.result.needsHuman.filter((n) => !mergedIn.has(n));
  for (const r of verify.result.issues.filter(
    (x) => x.mode === 'worktree' && !mergedIn.has(`${x.shortId}: changed no file`),
  ))
    needsHuman.push(
      `${r.shortId}: worked in its own worktree, not merged yet: its branch comes back through ` +
        `\`jitp merge\`, then \`${jitpCommand('finish', r.shortId)}\` marks it done`,
    );
  if (needsHuman.length) return report({ ok: false, needsHuman, verify, staged: [], commit: null });

  // Before anything moves: an invalid commit.coAuthor is a usage error.
  const msg: CommitMessage = renderCommitMessage(
    todo.map((i) => ({ id: i.id, shortId: i.shortId, title: i.title, labels: i.labels })),
    { conventional: config.commit.conventional, coAuthor: config.commit.coAuthor, summary: null },
  );
  o.progress(`finish: marking ${todo.map((i) => i.shortId).join(', ')} done`);
  for (const issue of todo) {
    const outcome = await markDoneOrExplain(ws.root, issue, ws.env, jitpCommand('finish', ...o.ids), undefined, {
      github: { repo: (await ws.config()).github.repo },
    });
    rows.set(issue.id, row(issue, 'not-finished', outcome));
    if (outcome.error) needsHuman.push(`${issue.shortId} could not be marked done: ${outcome.error}`);
  }
  // A refused state change (jit's gates): nothing is staged or committed, every lease stays.
  if (needsHuman.length) return report({ ok: false, needsHuman, verify, staged: [], commit: null });

  const tracker = await trackerChanges(ws.root, todo);
  const staged = [...new Set([...verify.result.stage, ...tracker])].sort();
  const leaseIds = verify.result.issues.map((i) => i.leaseId).filter((x): x is string => !!x);
  if (staged.length) {
    o.progress(`finish: staging ${staged.length} path${staged.length === 1 ? '' : 's'}`);
    await git(ws.root, output(['--literal-pathspecs', 'add', '--', ...staged]));
  }
  if (!o.commit) {
    for (const i of todo) rows.get(i.id)!.status = 'staged';
    return report({ ok: true, needsHuman: [], verify, staged, commit: null });
  }

  let commit: FinishReport['commit'] = null;
  if (staged.length) {
    o.progress('finish: committing');
    // Only these paths, whatever else the index holds. The pre-commit backstop runs; the batch's
    // leases are named as the committer's (JITP_LEASE): they are the work being committed.
    try {
      await git(
        { cwd: ws.root, env: { ...ws.env, JITP_LEASE: [ws.env.JITP_LEASE, ...leaseIds].filter(Boolean).join(',') } },
        output(['--literal-pathspecs', 'commit', '-q', '-m', msg.message, '--', ...staged]),
      );
    } catch (e) {
      throw new JitpError('E_GIT', `the commit failed: ${(e as Error).message}`, {
        hint:
          'the issues are marked done and staged, their leases kept; fix what git says, then run again: ' +
          jitpCommand('finish', ...o.ids),
      });
    }
    commit = { sha: (await git(ws.root, output(['rev-parse', 'HEAD']))).trim(), message: msg.message };
  }
  o.progress('finish: releasing leases');
  for (const i of todo) {
    const r = rows.get(i.id)!;
    try {
      r.releasedLeases = await releaseIssueLeases(store, i.id, 'issue done');
    } catch (e) {
      if (!isJitpError(e)) throw e;
      throw new JitpError(e.code, `${e.message} (releasing ${i.shortId}'s lease after the commit)`, {
        hint:
          `the work is committed${commit ? ` (${commit.sha.slice(0, 12)})` : ''}; run again to release the ` +
          `leases: ${jitpCommand('finish', ...o.ids)}`,
      });
    }
    r.status = 'finished';
  }
  return report({ ok: true, needsHuman: [], verify, staged, commit });
}
