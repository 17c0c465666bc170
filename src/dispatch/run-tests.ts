// Runs the project's test command once, through the shell (it is a command line the user or
// the project wrote), keeping the tail of its output for the report.
import { spawn } from 'node:child_process';

export interface TestRun {
  command: string;
  exitCode: number | null;
  ok: boolean;
  durationMs: number;
  outputTail: string;
}

export function runTests(
  command: string,
  cwd: string,
  onLine?: (line: string) => void,
  timeoutMs = 30 * 60_000,
): Promise<TestRun> {
  const started = Date.now();
  return new Promise((resolvePromise) => {
    const child = spawn(command, { cwd, shell: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let tail = '';
    const keep = (chunk: Buffer) => {
      const s = chunk.toString('utf8');
      tail = (tail + s).slice(-8000);
      if (onLine) for (const l of s.split('\n')) if (l.trim()) onLine(l);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolvePromise({
        command,
        exitCode: null,
        ok: false,
        durationMs: Date.now() - started,
        outputTail: `cannot run: ${e.message}`,
      });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({
        command,
        exitCode: code,
        ok: code === 0,
        durationMs: Date.now() - started,
        outputTail: tail.split('\n').slice(-40).join('\n'),
      });
    });
  });
}
