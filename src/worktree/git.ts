// The one place worktree mode runs git. Every call returns stdout/stderr/exit code rather
// than throwing, because for merge-tree and merge a non-zero exit is an answer, not a fault.
import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { JitpError } from '../platform/errors.js';
import { withFileLock } from './atomic.js';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

const GIT_ENV = { LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' };

export function gitRun(
  cwd: string,
  args: string[],
  opts: { input?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<GitResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(
      'git',
      args,
      { cwd, env: { ...(opts.env ?? process.env), ...GIT_ENV }, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' },
      (err, stdout, stderr) => {
        const code = err
          ? typeof (err as { code?: unknown }).code === 'number'
            ? (err as { code: number }).code
            : 128
          : 0;
        resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Runs git and throws a JitpError (exit 7) naming the command when it fails. */
export async function git(cwd: string, args: string[], hint?: string): Promise<string> {
  const r = await gitRun(cwd, args);
  if (r.code !== 0) {
    throw new JitpError(
      'E_GIT',
      `git ${args.join(' ')} failed in ${cwd}: ${r.stderr.trim().split('\n').slice(-3).join(' ') || `exit ${r.code}`}`,
      {
        hint: hint ?? 'run the git command above yourself to see the full message',
        details: { args, cwd, code: r.code, stderr: r.stderr },
      },
    );
  }
  return r.stdout.replace(/\n$/, '');
}

export async function revParse(cwd: string, rev: string): Promise<string | undefined> {
  const r = await gitRun(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

export async function currentBranch(cwd: string): Promise<string | undefined> {
  const r = await gitRun(cwd, ['symbolic-ref', '--quiet', '--short', 'HEAD']);
  return r.code === 0 ? r.stdout.trim() : undefined;
}

export async function branchExists(cwd: string, branch: string): Promise<boolean> {
  return (await gitRun(cwd, ['show-ref', '--verify', '--quiet', `refs/heads/${branch}`])).code === 0;
}

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
  return withFileLock(lock, fn, {
    timeoutMs: 600_000,
    staleMs: 3_600_000,
    deadHolder: true,
    what: 'adding or removing a git worktree',
    onWait: (holder) =>
      progress?.(`waiting for another jitp (${holder}) that is adding or removing a worktree (${lock})`),
  });
}

/** The half-made worktree of a parallel `git worktree add` (see worktreeAdmin): gone in moments. */
const TRANSIENT_ADMIN = /failed to read .*worktrees\/[^\n]*\/(commondir|gitdir)/;

/** `git worktree list --porcelain -z`: paths may hold newlines, so NUL-separated. */
export async function listWorktrees(cwd: string): Promise<WorktreeRecord[]> {
  // Readers do not take the admin lock (status must not wait for a checkout): they retry.
  let r = await gitRun(cwd, ['worktree', 'list', '--porcelain', '-z']);
  for (let i = 0; r.code !== 0 && TRANSIENT_ADMIN.test(r.stderr) && i < 20; i++) {
    await new Promise((res) => setTimeout(res, 50));
    r = await gitRun(cwd, ['worktree', 'list', '--porcelain', '-z']);
  }
  const out = r.code === 0 ? r.stdout.replace(/\n$/, '') : await git(cwd, ['worktree', 'list', '--porcelain', '-z']);
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

export async function dirtyState(worktree: string): Promise<DirtyState> {
  const out = await git(worktree, ['status', '--porcelain=v1', '-z', '--untracked-files=all']);
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
export function runShell(
  cmd: string,
  opts: { cwd: string; env?: NodeJS.ProcessEnv; onLine?: (line: string) => void; timeoutMs?: number },
): Promise<{ code: number; output: string; timedOut: boolean }> {
  return new Promise((res) => {
    const child = spawn(cmd, {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      shell: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let pending = '';
    let timedOut = false;
    const feed = (b: Buffer) => {
      const s = b.toString('utf8');
      if (output.length < 1_000_000) output += s;
      pending += s;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        opts.onLine?.(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    };
    child.stdout.on('data', feed);
    child.stderr.on('data', feed);
    const timer = opts.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGTERM');
        }, opts.timeoutMs)
      : undefined;
    child.on('error', (e) => {
      output += String(e);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (pending) opts.onLine?.(pending);
      res({ code: code ?? (signal ? 128 : 1), output, timedOut });
    });
  });
}
