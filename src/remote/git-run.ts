// Runs git against a remote with a hard deadline. A remote that hangs (dead ssh, stalled
// proxy, a helper waiting for a password) must never hang jitp, so the child runs in its own
// process group and the whole group is killed when the timer fires: killing only `git` would
// leave its ssh/upload-pack grandchild holding our pipes open.
import { spawn } from 'node:child_process';
import { JitpError } from '../platform/errors.js';

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GitRunOptions {
  cwd: string;
  /** Milliseconds before the process group is killed. */
  timeoutMs: number;
  input?: string;
  env?: NodeJS.ProcessEnv;
  /** Describes the operation in the timeout error, e.g. `push to origin`. */
  what: string;
  remote: string;
}

/** Environment that makes git fail instead of prompting or waiting forever. */
export function nonInteractiveEnv(base: NodeJS.ProcessEnv, timeoutMs: number): NodeJS.ProcessEnv {
  const secs = String(Math.max(1, Math.ceil(timeoutMs / 1000)));
  return {
    ...base,
    GIT_TERMINAL_PROMPT: '0',
    // ssh gets no controlling terminal (the child runs in a new session), so it cannot prompt;
    // GIT_SSH_COMMAND is left alone because it would override the user's core.sshCommand.
    // http(s): give up when the transfer stalls for the whole budget.
    GIT_HTTP_LOW_SPEED_LIMIT: base.GIT_HTTP_LOW_SPEED_LIMIT ?? '1',
    GIT_HTTP_LOW_SPEED_TIME: base.GIT_HTTP_LOW_SPEED_TIME ?? secs,
    LC_ALL: 'C',
    LANGUAGE: 'C',
  };
}

export function runGit(args: string[], opts: GitRunOptions): Promise<GitResult> {
  return new Promise((resolvePromise, reject) => {
    const env = nonInteractiveEnv(opts.env ?? process.env, opts.timeoutMs);
    let child;
    try {
      child = spawn('git', args, { cwd: opts.cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      reject(
        new JitpError('E_GIT_SPAWN', `cannot run git: ${(e as Error).message}`, {
          hint: 'install git 2.29 or newer and put it on PATH',
        }),
      );
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, opts.timeoutMs);
    // Our own exit must not strand a hanging transport in the background.
    const onExit = () => killGroup();
    process.once('exit', onExit);
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      process.removeListener('exit', onExit);
      reject(
        new JitpError('E_GIT_SPAWN', `cannot run git: ${e.message}`, {
          hint: 'install git 2.29 or newer and put it on PATH',
        }),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      process.removeListener('exit', onExit);
      const stderr = Buffer.concat(err).toString('utf8');
      if (timedOut) {
        reject(
          new JitpError(
            'E_REMOTE_TIMEOUT',
            `${opts.what} did not finish within ${(opts.timeoutMs / 1000).toFixed(1)} s; remote '${opts.remote}' is not answering`,
            {
              hint: `check the network and \`git ls-remote ${opts.remote}\`; raise the limit with remoteTimeout in .jit-parallel.yaml (or JITP_REMOTE_TIMEOUT_MS); meanwhile leases are local only without --remote`,
              details: { remote: opts.remote, timeoutMs: opts.timeoutMs, stderr: stderr.slice(-2000) },
            },
          ),
        );
        return;
      }
      resolvePromise({ code: code ?? 128, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
    child.stdin.on('error', () => {
      /* child died before reading its input; the close handler reports */
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Classifies a failed fetch/push whose cause is reaching the remote, not our refs. */
export function unreachableError(remote: string, what: string, stderr: string): JitpError {
  const last = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('hint:'))
    .slice(-3)
    .join(' | ');
  return new JitpError(
    'E_REMOTE_UNREACHABLE',
    `${what} failed: remote '${remote}' cannot be reached (${last || 'no output'})`,
    {
      hint: `check \`git remote get-url ${remote}\` and \`git ls-remote ${remote}\`; a hosted remote must allow pushing refs/jit-parallel/* (see docs/remote-leases.md)`,
      details: { remote, stderr: stderr.slice(-2000) },
    },
  );
}
