// What `jitp merge` does for each branch that really merged (tests passed after it, or it was
// already in the integration branch): the same finishing `jitp issue done` does. The issue is
// marked done in its tracker; the tracker files that change touched are committed on the
// integration branch at once (alone, whatever else is staged), so the next merge starts from a
// clean checkout; then the issue's leases are released. A refused state change (jit's gates, a
// file it cannot rewrite, gh) keeps the lease and is reported, never stops the queue: the merge
// itself is done and stays.
import { isJitpError } from '../platform/errors.js';
import { git, outcome } from '../platform/git.js';
import { jitpCommand } from '../core/shell-quote.js';
import type { LeaseStore } from '../core/model.js';
import type { Issue, IssueSource } from '../sources/types.js';
import { markDoneOrExplain, trackerChanges, type MarkDoneOptions } from './issue-done.js';
import { releaseIssueLeases } from './leases.js';

export interface MergedDone {
  /** done: marked now; already: it was; untracked: no tracker state (batch-list task); failed: see error. */
  state: 'done' | 'already' | 'untracked' | 'failed';
  via: 'jit-cli' | 'file' | 'gh' | 'none';
  /** The tracker file changed (repo-relative), when there is one. */
  file: string | null;
  /** The commit that holds the tracker change, when one was made. */
  commit: string | null;
  releasedLeases: string[];
  note?: string;
  error?: string;
}

const errText = (err: unknown): string =>
  isJitpError(err) ? `${err.message}${err.hint ? ` (${err.hint})` : ''}` : String((err as Error)?.message ?? err);

export interface MergedDoneEnv {
  /** The main checkout, on the integration branch. */
  root: string;
  env: NodeJS.ProcessEnv;
  source(): Promise<IssueSource>;
  store: LeaseStore | null;
  github?: MarkDoneOptions['github'];
}

export async function markMergedDone(
  e: MergedDoneEnv,
  ref: { id: string; short: string; branch: string | null; leaseId: string | null },
): Promise<MergedDone> {
  const base = { file: null, commit: null, releasedLeases: [] as string[] };
  let issue: Issue;
  try {
    issue = (await e.source()).get(ref.id);
  } catch (err) {
    // Tasks of a `jitp batch load` list live only in the batch file: no tracker holds a state.
    if (isJitpError(err) && (err.code === 'E_UNKNOWN_ISSUE' || err.code === 'E_NOT_FOUND')) {
      const releasedLeases = e.store ? await releaseIssueLeases(e.store, ref.id, 'merged').catch(() => []) : [];
      return { ...base, state: 'untracked', via: 'none', releasedLeases, note: 'not in the tracker (batch task)' };
    }
    return { ...base, state: 'failed', via: 'none', error: errText(err) };
  }
  const rerun = jitpCommand('issue done', issue.shortId);
  let done;
  try {
    done = await markDoneOrExplain(e.root, issue, e.env, rerun, undefined, e.github ? { github: e.github } : {});
  } catch (err) {
    return { ...base, state: 'failed', via: 'none', error: errText(err) };
  }
  if (done.error) return { ...base, state: 'failed', via: done.via, file: done.file, error: done.error };
  let commit: string | null = null;
  const paths = await trackerChanges(e.root, [issue]);
  if (paths.length) {
    const msg = `Mark ${issue.shortId} done (merged ${ref.branch ?? 'its branch'})`;
    // Only these paths; jitp's commit guard sees the issue's own lease as the committer's.
    const env = { ...e.env, ...(ref.leaseId ? { JITP_LEASE: ref.leaseId } : {}) };
    const add = await git({ cwd: e.root, env }, outcome(['--literal-pathspecs', 'add', '--', ...paths]));
    const c =
      add.code === 0
        ? await git({ cwd: e.root, env }, outcome(['--literal-pathspecs', 'commit', '-q', '-m', msg, '--', ...paths]))
        : add;
    if (c.code !== 0)
      return {
        ...base,
        state: 'failed',
        via: done.via,
        file: done.file,
        error:
          `marked done in ${paths.join(', ')} but the commit failed: ` +
          `${c.stderr.trim().split('\n').slice(-2).join(' ')}` +
          `; commit those files by hand, then: ${rerun}`,
      };
    const head = await git(e.root, outcome(['rev-parse', 'HEAD']));
    commit = head.stdout.trim();
  }
  let releasedLeases: string[] = [];
  try {
    releasedLeases = e.store ? await releaseIssueLeases(e.store, issue.id, 'merged') : [];
  } catch (err) {
    const error = `marked done, but releasing its lease failed: ${errText(err)}; run: ${rerun}`;
    return { ...base, state: 'failed', via: done.via, file: done.file, commit, error };
  }
  return {
    state: done.changed ? 'done' : 'already',
    via: done.via,
    file: done.file,
    commit,
    releasedLeases,
    ...(done.note ? { note: done.note } : {}),
  };
}
