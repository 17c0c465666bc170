// Runs the real `claude` binary (pinned 2.1.330) offline against a scripted model server.
import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { budget } from './budget.js';
import { claudeEnv } from './claude-env.js';
import { CLAUDE_BIN } from './paths.js';
import type { ModelServer } from './model-server.js';

/** The `--output-format json` result object (fields tests use; the client prints more). */
export interface ClaudeResult {
  type: string;
  subtype: string;
  is_error: boolean;
  result?: string;
  session_id: string;
  num_turns?: number;
  permission_denials: Array<{ tool_name: string; tool_use_id: string; tool_input: Record<string, unknown> }>;
  [k: string]: unknown;
}

export interface RunClaudeOptions {
  cwd: string;
  prompt: string;
  /** The scripted model server (its url becomes ANTHROPIC_BASE_URL). */
  server: ModelServer | { url: string };
  /** Passed as --plugin-dir. */
  pluginDir?: string;
  /** Extra CLI arguments, appended after the defaults. */
  args?: string[];
  env?: Record<string, string>;
  /** Default 60 s on a quiet machine, scaled by budget(). */
  timeoutMs?: number;
  /** Default acceptEdits. */
  permissionMode?: string;
  /** Keep the temp HOME (transcripts under .claude/projects/) after the run; default: removed. */
  keepHome?: boolean;
}

export interface ClaudeRun {
  /** Parsed JSON result, or undefined when stdout was not JSON (see stdout/stderr). */
  json: ClaudeResult | undefined;
  stdout: string;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  durationMs: number;
  /** HOME used for the run (its .claude/ holds the session transcripts); gone unless keepHome. */
  home: string;
}

export class ClaudeTimeoutError extends Error {}

export function runClaude(opts: RunClaudeOptions): Promise<ClaudeRun> {
  const base = claudeEnv();
  const createdHome = base.HOME!;
  const env: NodeJS.ProcessEnv = {
    ...base,
    ANTHROPIC_API_KEY: 'sk-ant-dummy',
    ANTHROPIC_BASE_URL: opts.server.url,
    ...opts.env,
  };
  const home = env.HOME!;
  // The client keeps task output under $CLAUDE_CODE_TMPDIR (default /tmp/claude-<uid>/);
  // inside the temp HOME it is private to this run and removed with it.
  env.CLAUDE_CODE_TMPDIR ??= join(home, 'tmp');
  mkdirSync(env.CLAUDE_CODE_TMPDIR, { recursive: true, mode: 0o700 });
  // Only the HOME made here is ours to remove; a caller-supplied HOME is left alone.
  const dropHome = () => {
    if (home !== createdHome) rmSync(createdHome, { recursive: true, force: true });
    else if (!opts.keepHome) rmSync(home, { recursive: true, force: true });
  };
  const args = [
    '-p',
    opts.prompt,
    '--permission-mode',
    opts.permissionMode ?? 'acceptEdits',
    '--output-format',
    'json',
    '--model',
    'claude-sonnet-4-5',
    ...(opts.pluginDir ? ['--plugin-dir', opts.pluginDir] : []),
    ...(opts.args ?? []),
  ];
  // Scaled to the machine's speed now (test/support/budget.ts): a loaded machine gets more time.
  const timeoutMs = budget(opts.timeoutMs ?? 60_000);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    // detached: its own process group, so a timeout kills the client and whatever it started.
    if (!CLAUDE_BIN) throw new Error('no claude client: npm run setup:client');
    const child = spawn(CLAUDE_BIN, args, { cwd: opts.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      dropHome();
      reject(err);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      const durationMs = Date.now() - started;
      dropHome();
      if (timedOut) {
        reject(
          new ClaudeTimeoutError(
            `claude did not finish within ${timeoutMs} ms (cwd ${opts.cwd}).\n--- stderr tail ` +
              `---\n${stderr.slice(-2000)}\n--- stdout tail ---\n${stdout.slice(-1000)}`,
          ),
        );
        return;
      }
      let json: ClaudeResult | undefined;
      try {
        json = JSON.parse(stdout.trim()) as ClaudeResult;
      } catch {
        json = undefined;
      }
      resolve({ json, stdout, stderr, exitCode, signal, durationMs, home });
    });
  });
}

/** Throws with the run's output when the run did not end in a successful JSON result. */
export function expectOk(run: ClaudeRun): ClaudeResult {
  if (!run.json || run.exitCode !== 0 || run.json.is_error) {
    throw new Error(
      `claude run failed (exit ${run.exitCode}, is_error ${run.json?.is_error}).\n--- stdout ` +
        `---\n${run.stdout.slice(-2000)}\n--- stderr ---\n${run.stderr.slice(-2000)}`,
    );
  }
  return run.json;
}
