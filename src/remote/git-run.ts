// Runs git against a remote with a hard deadline, on the platform git runner: a remote that
// hangs (dead ssh, stalled proxy, a helper waiting for a password) must never hang jitp, so the
// command runs in its own process group, killed whole when the timer fires (its ssh or
// upload-pack grandchild included), in an environment where nothing can prompt.
import { JitpError } from '../platform/errors.js';
import { git, outcome, type GitResult } from '../platform/git.js';

export type { GitResult };

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

export function runGit(args: string[], opts: GitRunOptions): Promise<GitResult> {
  return git(
    {
      cwd: opts.cwd,
      ...(opts.env ? { env: opts.env } : {}),
      timeoutMs: opts.timeoutMs,
      timeoutError: (ms, r) =>
        new JitpError(
          'E_REMOTE_TIMEOUT',
          `${opts.what} did not finish within ${(ms / 1000).toFixed(1)} s; remote '${opts.remote}' is not answering`,
          {
            hint:
              `check the network and \`git ls-remote ${opts.remote}\`; raise the limit with remoteTimeout in ` +
              `.jit-parallel.yaml (or JITP_REMOTE_TIMEOUT_MS); meanwhile leases are local only without --remote`,
            details: { remote: opts.remote, timeoutMs: ms, stderr: r.stderr.slice(-2000) },
          },
        ),
    },
    outcome(args, opts.input !== undefined ? { input: opts.input } : {}),
  );
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
      hint:
        `check \`git remote get-url ${remote}\` and \`git ls-remote ${remote}\`; a hosted remote must allow ` +
        `pushing refs/jit-parallel/* (see docs/remote-leases.md)`,
      details: { remote, stderr: stderr.slice(-2000) },
    },
  );
}
