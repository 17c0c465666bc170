// The one way jitp runs a child process and waits for it. A deadline is a deadline: with
// `group`, the child leads its own process group (and session, so it has no terminal to
// prompt on) and the whole group is killed, because killing only `git` would leave its
// ssh/upload-pack grandchild holding our pipes open. Platform layer: imports nothing of ours
// but errors.ts, plain node:child_process, safe for the hooks' hot path.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface ProcOptions {
  cwd?: string;
  /** The child's whole environment (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed (default: stdin closed at once, or ignored without it). */
  input?: string;
  /** Milliseconds before the child (with `group`, its whole process group) is killed. */
  timeoutMs?: number;
  /**
   * Own process group and session: a timeout or our own exit kills every process it started,
   * and nothing in it can open the terminal to prompt.
   */
  group?: boolean;
  /** Signal sent at the deadline (default SIGKILL with `group`, else SIGTERM). */
  killSignal?: NodeJS.Signals;
  /** Run `file` through the shell (a command line the user or project wrote). */
  shell?: boolean;
  /** Each complete line of stdout and stderr, interleaved as they arrive. */
  onLine?: (line: string) => void;
  /** Each piece of stdout / stderr as it arrives (e.g. to stream it into a file). */
  onStdout?: (text: string) => void;
  onStderr?: (text: string) => void;
  /** Characters of each stream kept (default 256 MiB); the rest is dropped, not an error. */
  maxOutput?: number;
  /** Called once the child exists (its pid, e.g. to record it). */
  onSpawn?: (child: ChildProcess) => void;
}

export interface ProcResult {
  /** Exit status; 128 + nothing meaningful when killed by a signal; 127 when it could not start. */
  code: number;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Set when the process could not be started at all (ENOENT, EACCES…). */
  spawnError?: Error;
}

const DEFAULT_MAX = 256 * 1024 * 1024;

/** Splits text arriving in chunks into complete lines (the last partial line on flush). */
function lineSplitter(onLine: (line: string) => void): { feed(s: string): void; flush(): void } {
  let pending = '';
  return {
    feed(s) {
      pending += s;
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        onLine(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    },
    flush() {
      if (pending) onLine(pending);
      pending = '';
    },
  };
}

export function runProcess(file: string, args: readonly string[], opts: ProcOptions = {}): Promise<ProcResult> {
  return new Promise((resolvePromise) => {
    const max = opts.maxOutput ?? DEFAULT_MAX;
    let child: ChildProcess;
    try {
      child = spawn(file, args, {
        cwd: opts.cwd,
        env: opts.env ?? process.env,
        shell: opts.shell ?? false,
        detached: opts.group ?? false,
        stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      });
    } catch (e) {
      resolvePromise({ code: 127, signal: null, stdout: '', stderr: '', timedOut: false, spawnError: e as Error });
      return;
    }
    opts.onSpawn?.(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let spawnError: Error | undefined;
    const lines = opts.onLine ? lineSplitter(opts.onLine) : undefined;
    child.stdout!.setEncoding('utf8');
    child.stderr!.setEncoding('utf8');
    child.stdout!.on('data', (s: string) => {
      if (stdout.length < max) stdout += s.length > max - stdout.length ? s.slice(0, max - stdout.length) : s;
      opts.onStdout?.(s);
      lines?.feed(s);
    });
    child.stderr!.on('data', (s: string) => {
      if (stderr.length < max) stderr += s.length > max - stderr.length ? s.slice(0, max - stderr.length) : s;
      opts.onStderr?.(s);
      lines?.feed(s);
    });
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (opts.group && child.pid) process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        /* already gone */
      }
    };
    const timer =
      opts.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            kill(opts.killSignal ?? (opts.group ? 'SIGKILL' : 'SIGTERM'));
          }, opts.timeoutMs)
        : undefined;
    // Our own exit must not strand a process group (a hanging transport) in the background.
    const onExit = () => kill('SIGKILL');
    if (opts.group) process.once('exit', onExit);
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (opts.group) process.removeListener('exit', onExit);
      lines?.flush();
      resolvePromise({
        code: spawnError ? 127 : (code ?? 128),
        signal,
        stdout,
        stderr,
        timedOut,
        ...(spawnError ? { spawnError } : {}),
      });
    });
    if (opts.input !== undefined) {
      child.stdin!.on('error', () => {
        /* the child exited before reading its input; 'close' reports */
      });
      child.stdin!.end(opts.input);
    }
  });
}

/** The synchronous form, for the few callers on a synchronous path (hooks, sync store reads). */
export function runProcessSync(
  file: string,
  args: readonly string[],
  opts: Omit<ProcOptions, 'onLine' | 'onStdout' | 'onStderr' | 'onSpawn' | 'group'> = {},
): ProcResult {
  const r = spawnSync(file, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    shell: opts.shell ?? false,
    input: opts.input,
    stdio: [opts.input !== undefined ? 'pipe' : 'ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: opts.maxOutput ?? DEFAULT_MAX,
    ...(opts.timeoutMs !== undefined ? { timeout: opts.timeoutMs, killSignal: opts.killSignal ?? 'SIGTERM' } : {}),
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  const spawnError = r.error && !timedOut && r.status === null && r.pid === 0 ? r.error : undefined;
  return {
    code: r.status ?? (spawnError ? 127 : 128),
    signal: r.signal,
    stdout: r.stdout ?? '',
    stderr: r.stderr ?? '',
    timedOut,
    ...(spawnError ? { spawnError } : {}),
  };
}

/**
 * Starts a process that outlives us (a background refresh, a heartbeat) and returns at once:
 * its own session, no pipes, not waited for. Never throws; false when it could not start.
 */
export function startDetached(file: string, args: readonly string[], opts: { cwd?: string } = {}): boolean {
  try {
    const child = spawn(file, args, { cwd: opts.cwd, detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
    return true;
  } catch {
    return false;
  }
}
