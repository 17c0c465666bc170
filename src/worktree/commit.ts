// `jitp worktree commit <id>`: a worktree-mode sub-agent leaves its work uncommitted in the
// issue's worktree; this commits it on the issue's branch with the convention's message, so the
// branch holds the work `jitp merge` brings back. Everything that changed in the worktree is the
// issue's (the worktree is its own), except jitp's and the tracker's bookkeeping.
import { existsSync } from 'node:fs';
import { matches } from '../core/globs.js';
import { JitpError } from '../platform/errors.js';
import { renderCommitMessage } from '../render/commit-message.js';
import { BOOKKEEPING_GLOBS } from '../workspace/bookkeeping.js';
import { readBatch } from './batch.js';
import type { WorktreeEnv } from './create.js';
import { git, nulFields, outcome, output } from '../platform/git.js';
import { currentBranch } from './git.js';
import { resolveIssue } from './issues.js';
import { liveLeases } from './leases.js';
import { jitpCommand } from '../core/shell-quote.js';

export interface WorktreeCommit {
  issue: { id: string; shortId: string; title: string };
  worktree: string;
  branch: string;
  /** False when there was nothing to commit (a second run, or no work yet). */
  committed: boolean;
  commit: string | null;
  /** The paths committed. */
  files: string[];
  /** Changed paths left out: jitp's and the tracker's bookkeeping. */
  skipped: string[];
  message: string;
}

/** Changed paths of a checkout (staged, unstaged, untracked; both sides of a rename), repo-relative. */
async function changedIn(worktree: string): Promise<string[]> {
  const recs = await git(
    worktree,
    nulFields(['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames']),
  );
  return [...new Set(recs.filter((r) => r.length > 3).map((r) => r.slice(3)))].sort();
}

export async function commitWorktree(w: WorktreeEnv, query: string): Promise<WorktreeCommit> {
  const batch = readBatch(w.mainRoot);
  const info = await resolveIssue(w.source, query, batch);
  const inBatch = batch?.issues.find((i) => i.id === info.id);
  const lease = (await liveLeases(w.store)).find((l) => l.issueId === info.id && l.worktree);
  const worktree = inBatch?.worktree ?? lease?.worktree ?? null;
  const branch = inBatch?.branch ?? lease?.branch ?? null;
  let shortId = inBatch?.short ?? info.id;
  let labels: string[] = [];
  try {
    const full = (await w.source()).get(info.id);
    shortId = full.shortId;
    labels = full.labels;
  } catch {
    /* a task of a loaded batch list, not in the tracker */
  }
  if (!worktree || !branch)
    throw new JitpError('E_NOT_FOUND', `${shortId} has no worktree in this batch`, {
      hint:
        `create it with \`${jitpCommand('worktree add', shortId)}\`; \`jitp worktree list\` shows the ` +
        `batch's worktrees`,
    });
  if (!existsSync(worktree))
    throw new JitpError('E_REFUSED', `the worktree of ${shortId} is gone: ${worktree}`, {
      hint: '`jitp worktree list` shows what is left; `jitp cleanup` prunes the record',
    });
  const on = await currentBranch(worktree);
  if (on !== branch)
    throw new JitpError(
      'E_REFUSED',
      `${worktree} is on ${on ?? 'a detached HEAD'}, not on ${shortId}'s branch ${branch}`,
      {
        hint: `switch back first: git -C ${worktree} switch ${branch}`,
      },
    );
  const { message } = renderCommitMessage([{ id: info.id, shortId, title: info.title, labels }], {
    conventional: w.config.commit.conventional,
    coAuthor: w.config.commit.coAuthor,
    summary: null,
  });
  const changed = await changedIn(worktree);
  const skipped = changed.filter((p) => BOOKKEEPING_GLOBS.some((g) => matches(p, g)));
  const files = changed.filter((p) => !skipped.includes(p));
  const base = { issue: { id: info.id, shortId, title: info.title }, worktree, branch, skipped, message };
  if (!files.length) return { ...base, committed: false, commit: null, files };
  w.progress(`worktree commit: ${files.length} path${files.length === 1 ? '' : 's'} on ${branch}`);
  await git(worktree, output(['--literal-pathspecs', 'add', '--', ...files]));
  const r = await git(
    {
      cwd: worktree,
      env: { ...w.env, ...(lease ? { JITP_LEASE: [w.env.JITP_LEASE, lease.id].filter(Boolean).join(',') } : {}) },
    },
    outcome(['--literal-pathspecs', 'commit', '-q', '-F', '-', '--', ...files], { input: message }),
  );
  if (r.code !== 0)
    throw new JitpError(
      'E_GIT',
      `git commit failed in ${worktree}: ${r.stderr.trim().split('\n').slice(-3).join(' ')}`,
      {
        hint: `the files are staged; fix what git says, then run again: ${jitpCommand('worktree commit', shortId)}`,
      },
    );
  return { ...base, committed: true, commit: await git(worktree, output(['rev-parse', 'HEAD'])), files };
}
