// Worktree mode's git questions, as tasks on the platform git runner (src/platform/git.ts):
// for merge-tree and merge a non-zero exit is an answer, so callers that need it ask for the
// outcome; the rest throw E_GIT naming the command.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git, gitFailure, outcome, exitsZero, type GitTask } from '../platform/git.js';
import { withLock } from '../platform/file-lock.js';
import { JitpError } from '../platform/errors.js';
import { runProcess } from '../platform/process.js';

export async function currentBranch(cwd: string): Promise<string | undefined> {
  const r = await git(cwd, outcome(['symbolic-ref', '--quiet', '--short', 'HEAD']));
  return r.code === 0 ? r.stdout.trim() : undefined;
}

export const branchExists = (cwd: string, branch: string): Promise<boolean> =>
  git(cwd, exitsZero(['show-ref', '--verify', '--quiet', `refs/heads/${branch}`]));

export interface WorktreeRecord {
  path: string;
  head?: string;
  branch?: string;
  bare?: boolean;
  detached?: boolean;
  locked?: string;
  prunable?: string;
}

/**
 * Runs `fn` (worktree add, remove, prune, and deleting their branches) alone among this
 * repository's jitp processes. git does not lock its worktree admin folder: a `git worktree add`
 * that lists the worktrees while another is half made fails with "failed to read
 * .git/worktrees/<name>/commondir" (git 2.39, seen with six parallel adds), and a prune could
 * take a half-made entry for a dead one.
 */
export function worktreeAdmin<T>(
  commonDir: string,
  fn: () => Promise<T>,
  progress?: (line: string) => void,
): Promise<T> {
  // A checkout can take minutes on a large repository; a dead holder is detected by its pid.
  const lock = join(commonDir, 'jit-parallel', 'worktree-admin.lock');
  mkdirSync(dirname(lock), { recursive: true });
  return withLock(lock, fn, {
    timeoutMs: 600_000,
    maxHoldMs: 3_600_000,
    op: 'adding or removing a git worktree',
    onWait: (holder) =>
      progress?.(`waiting for another jitp (${holder}) that is adding or removing a worktree (${lock})`),
    timeoutError: (file, h, ms) =>
      new JitpError('E_LOCKED', `timed out after ${Math.round(ms / 1000)}s waiting for ${file}`, {
        hint: `another jitp is adding or removing a git worktree; if none runs, remove ${file}`,
        details: { lock: file, holder: h ?? null },
      }),
  });
}

/** The half-made worktree of a parallel `git worktree add` (see worktreeAdmin): gone in moments. */
const TRANSIENT_ADMIN = /failed to read .*worktrees\/[^\n]*\/(commondir|gitdir)/;

/** `git worktree list --porcelain -z`: paths may hold newlines, so NUL-separated. */
export async function listWorktrees(cwd: string): Promise<WorktreeRecord[]> {
  // Readers do not take the admin lock (status must not wait for a checkout): they retry.
  const args = ['worktree', 'list', '--porcelain', '-z'];
  let r = await git(cwd, outcome(args));
  for (let i = 0; r.code !== 0 && TRANSIENT_ADMIN.test(r.stderr) && i < 20; i++) {
    await new Promise((res) => setTimeout(res, 50));
    r = await git(cwd, outcome(args));
  }
  if (r.code !== 0) throw gitFailure(args, cwd, r);
  const out = r.stdout.replace(/\n$/, '');
  const recs: WorktreeRecord[] = [];
  let cur: WorktreeRecord | undefined;
  for (const field of out.split('\0')) {
    if (field === '') {
      if (cur) recs.push(cur);
      cur = undefined;
      continue;
    }
    const sp = field.indexOf(' ');
    const key = sp < 0 ? field : field.slice(0, sp);
    const val = sp < 0 ? '' : field.slice(sp + 1);
    if (key === 'worktree') cur = { path: val };
    else if (!cur) continue;
    else if (key === 'HEAD') cur.head = val;
    else if (key === 'branch') cur.branch = val.replace(/^refs\/heads\//, '');
    else if (key === 'bare') cur.bare = true;
    else if (key === 'detached') cur.detached = true;
    else if (key === 'locked') cur.locked = val;
    else if (key === 'prunable') cur.prunable = val;
  }
  if (cur) recs.push(cur);
  return recs;
}

export interface DirtyState {
  /** Tracked files modified, staged or in conflict. */
  modified: string[];
  /** Untracked files that are not ignored. */
  untracked: string[];
}

/** `git status -z`: tracked changes and untracked files; a rename's second field is its old path. */
export const dirtyStateTask: GitTask<DirtyState> = {
  args: ['status', '--porcelain=v1', '-z', '--untracked-files=all'],
  parse(r, ctx) {
    if (r.code !== 0) throw gitFailure(this.args, ctx.cwd, r);
    return parseStatusZ(r.stdout);
  },
};

export const dirtyState = (worktree: string): Promise<DirtyState> => git(worktree, dirtyStateTask);

function parseStatusZ(out: string): DirtyState {
  const modified: string[] = [];
  const untracked: string[] = [];
  const fields = out.split('\0');
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    if (f.length < 4) continue;
    const xy = f.slice(0, 2);
    const path = f.slice(3);
    if (xy === '??') untracked.push(path);
    else modified.push(path);
    if (xy[0] === 'R' || xy[0] === 'C') i++; // rename: the next field is the old path
  }
  return { modified, untracked };
}

/** Runs a shell command (test, postCreate, agent) with output streamed to callbacks. */
export async function runShell(
  cmd: string,
  opts: { cwd: string; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void; timeoutMs?: number },
): Promise<{ code: number; output: string; timedOut: boolean }> {
  let output = '';
  const r = await runProcess(cmd, [], {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    shell: true,
    ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    maxOutput: 0,
    onLine: (line) => {
      if (output.length < 1_000_000) output += `${line}\n`;
      opts.onLine?.(line);
    },
  });
  if (r.spawnError) output += String(r.spawnError);
  return { code: r.code, output, timedOut: r.timedOut };
}
