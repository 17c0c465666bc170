// Runs the project's test command once, through the shell (it is a command line the user or
// the project wrote), keeping the tail of its output for the report.
import { runProcess } from '../platform/process.js';

export interface TestRun {
  command: string;
  exitCode: number | null;
  ok: boolean;
  durationMs: number;
  outputTail: string;
}

export async function runTests(
  command: string,
  cwd: string,
  onLine?: (line: string) => void,
  timeoutMs = 30 * 60_000,
): Promise<TestRun> {
  const started = Date.now();
  let tail = '';
  const r = await runProcess(command, [], {
    cwd,
    shell: true,
    timeoutMs,
    killSignal: 'SIGKILL',
    maxOutput: 0,
    onLine: (l) => {
      tail = `${tail}${l}\n`.slice(-8000);
      if (onLine && l.trim()) onLine(l);
    },
  });
  const durationMs = Date.now() - started;
  if (r.spawnError)
    return { command, exitCode: null, ok: false, durationMs, outputTail: `cannot run: ${r.spawnError.message}` };
  const exitCode = r.signal ? null : r.code;
  return {
    command,
    exitCode,
    ok: exitCode === 0,
    durationMs,
    outputTail: tail.split('\n').slice(-40).join('\n'),
  };
}
