// The one way jitp runs git. A command is a task, `{args, parse}`: what to run and how its
// outcome becomes an answer (simple-git's task/runner split); the runner here only runs it on
// the process runner, in an environment where git can never wait for a person.
// Platform layer: imports nothing of ours outside platform/, safe for the hooks' hot path.
import { JitpError } from './errors.js';
import { runProcess, runProcessSync, type ProcResult } from './process.js';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Where and how a git command runs. */
export interface GitContext {
  cwd: string;
  /** Base environment (default process.env); the non-interactive settings go on top. */
  env?: NodeJS.ProcessEnv;
  /**
   * Deadline: the command runs in its own process group, killed whole when the time is up
   * (git's ssh or http helper included), and an http transfer stalled for as long gives up.
   */
  timeoutMs?: number;
  /** The error a timeout throws (default: E_GIT naming the command). */
  timeoutError?: (ms: number, r: ProcResult) => Error;
}

export interface GitTask<T> {
  args: readonly string[];
  input?: string;
  /** Extra environment for this command only (e.g. GIT_OPTIONAL_LOCKS=0 for a read-only scan). */
  env?: Readonly<Record<string, string>>;
  /** Turns the finished command into the answer; throws when the outcome is a failure. */
  parse(r: GitResult, ctx: GitContext): T;
}

/**
 * Environment in which git fails instead of waiting for a person: no terminal prompt, no
 * askpass program (GIT_ASKPASS set empty also overrides core.askPass and SSH_ASKPASS for git;
 * SSH_ASKPASS_REQUIRE=never stops ssh's own), no pager, and messages in the C locale, because
 * callers read git's output and its error text. GIT_SSH_COMMAND is left alone: it would
 * override the user's core.sshCommand.
 */
export function gitEnv(base: NodeJS.ProcessEnv = process.env, timeoutMs?: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    SSH_ASKPASS_REQUIRE: 'never',
    GIT_PAGER: 'cat',
    PAGER: 'cat',
    LC_ALL: 'C',
    LANGUAGE: 'C',
  };
  if (timeoutMs !== undefined) {
    // http(s): give up when the transfer stalls for the whole budget.
    env.GIT_HTTP_LOW_SPEED_LIMIT = base.GIT_HTTP_LOW_SPEED_LIMIT ?? '1';
    env.GIT_HTTP_LOW_SPEED_TIME = base.GIT_HTTP_LOW_SPEED_TIME ?? String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  }
  return env;
}

const ctxOf = (c: GitContext | string): GitContext => (typeof c === 'string' ? { cwd: c } : c);

function spawnFailed(e: Error): JitpError {
  return new JitpError('E_GIT_SPAWN', `cannot run git: ${e.message}`, {
    hint: 'install git 2.29 or newer and put it on PATH',
  });
}

function timedOut(ctx: GitContext, task: GitTask<unknown>, r: ProcResult): Error {
  const ms = ctx.timeoutMs!;
  return (
    ctx.timeoutError?.(ms, r) ??
    new JitpError(
      'E_GIT',
      `git ${task.args.join(' ')} did not finish within ${(ms / 1000).toFixed(1)} s in ${ctx.cwd}`,
      {
        hint: `run \`git -C ${ctx.cwd} ${task.args.join(' ')}\` yourself to see what it waits for`,
        details: { args: task.args, cwd: ctx.cwd, timeoutMs: ms, stderr: r.stderr.slice(-2000) },
      },
    )
  );
}

function finish<T>(ctx: GitContext, task: GitTask<T>, r: ProcResult): T {
  if (r.spawnError) throw spawnFailed(r.spawnError);
  if (r.timedOut) throw timedOut(ctx, task, r);
  return task.parse({ code: r.code, stdout: r.stdout, stderr: r.stderr }, ctx);
}

function procOptions(ctx: GitContext, task: GitTask<unknown>) {
  const env = gitEnv(ctx.env ?? process.env, ctx.timeoutMs);
  return {
    cwd: ctx.cwd,
    env: task.env ? { ...env, ...task.env } : env,
    ...(task.input !== undefined ? { input: task.input } : {}),
    ...(ctx.timeoutMs !== undefined ? { timeoutMs: ctx.timeoutMs } : {}),
  };
}

/** Runs a task; `ctx` is the working directory or a full context. */
export async function git<T>(ctx: GitContext | string, task: GitTask<T>): Promise<T> {
  const c = ctxOf(ctx);
  const opts = { ...procOptions(c, task), group: c.timeoutMs !== undefined };
  return finish(c, task, await runProcess('git', task.args, opts));
}

/**
 * The synchronous form, for synchronous paths (the pre-commit check, the remote store's reads
 * of the clone). No process group: keep it to local commands.
 */
export function gitSync<T>(ctx: GitContext | string, task: GitTask<T>): T {
  const c = ctxOf(ctx);
  return finish(c, task, runProcessSync('git', task.args, procOptions(c, task)));
}

/** The error for a git command that failed: the command, where, and git's last words. */
export function gitFailure(args: readonly string[], cwd: string, r: GitResult, hint?: string): JitpError {
  const last = r.stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('hint:'))
    .slice(-3)
    .join(' ');
  return new JitpError('E_GIT', `git ${args.join(' ')} failed in ${cwd}: ${last || `exit ${r.code}`}`, {
    hint: hint ?? `run \`git -C ${cwd} ${args.join(' ')}\` to see the full message`,
    details: { args, cwd, code: r.code, stderr: r.stderr.slice(-2000) },
  });
}

// ---- Tasks --------------------------------------------------------------------------------

/** The outcome whatever the exit code: for merge-tree, merge or `rev-parse --verify` a non-zero exit is an answer. */
export const outcome = (args: readonly string[], opts: { input?: string } = {}): GitTask<GitResult> => ({
  args,
  ...opts,
  parse: (r) => r,
});

/** stdout of a command that must succeed, without its final newline; E_GIT naming the command otherwise. */
export const output = (args: readonly string[], opts: { input?: string; hint?: string } = {}): GitTask<string> => ({
  args,
  ...(opts.input !== undefined ? { input: opts.input } : {}),
  parse: (r, ctx) => {
    if (r.code !== 0) throw gitFailure(args, ctx.cwd, r, opts.hint);
    return r.stdout.replace(/\n$/, '');
  },
});

/** The NUL-separated fields of a `-z` command that must succeed, empty fields dropped. */
export const nulFields = (args: readonly string[], opts: { hint?: string } = {}): GitTask<string[]> => ({
  args,
  parse: (r, ctx) => {
    if (r.code !== 0) throw gitFailure(args, ctx.cwd, r, opts.hint);
    return r.stdout.split('\0').filter(Boolean);
  },
});

/** True when the command exits 0 (show-ref --verify, merge-base --is-ancestor…). */
export const exitsZero = (args: readonly string[]): GitTask<boolean> => ({ args, parse: (r) => r.code === 0 });

/** A commit id, or undefined when `rev` names no commit. */
export const commitOf = (rev: string): GitTask<string | undefined> => ({
  args: ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`],
  parse: (r) => (r.code === 0 ? r.stdout.trim() || undefined : undefined),
});
