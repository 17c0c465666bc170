// The process runner: outcomes, input, lines, a deadline that kills the whole process group
// (grandchildren included), a missing program, and detached starts.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pidAlive } from '../../src/platform/pid.js';
import { runProcess, runProcessSync, startDetached } from '../../src/platform/process.js';
import { tempDir } from '../support/git.js';

const dir = tempDir('jitp-proc-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const waitFor = async (ok: () => boolean, ms = 5_000) => {
  for (const t0 = Date.now(); !ok() && Date.now() - t0 < ms;) await new Promise((r) => setTimeout(r, 20));
  return ok();
};

describe('runProcess', () => {
  it('gives exit code, stdout and stderr apart; stdin is the input', async () => {
    const r = await runProcess('sh', ['-c', 'cat; echo err >&2; exit 3'], { input: 'in\u00e9\n' });
    expect(r).toMatchObject({ code: 3, stdout: 'in\u00e9\n', stderr: 'err\n', timedOut: false, signal: null });
  });

  it('a child that reads stdin while none is given sees end of input at once (never hangs)', async () => {
    const r = await runProcess('cat', [], { timeoutMs: 5_000 });
    expect(r).toMatchObject({ code: 0, stdout: '', timedOut: false });
  });

  it('onLine gets whole lines as they complete, the last partial one at the end, stderr too', async () => {
    const lines: string[] = [];
    const r = await runProcess('sh', ['-c', 'printf "a\\nb"; sleep 0.1; printf "c\\nd"'], {
      onLine: (l) => lines.push(l),
    });
    expect(r.code).toBe(0);
    expect(lines).toEqual(['a', 'bc', 'd']);
    const errs: string[] = [];
    await runProcess('sh', ['-c', 'echo one >&2; echo two >&2'], { onLine: (l) => errs.push(l) });
    expect(errs).toEqual(['one', 'two']);
  });

  it('keeps at most maxOutput characters of a stream, and the run still succeeds', async () => {
    const r = await runProcess('sh', ['-c', 'yes | head -c 100000'], { maxOutput: 1000 });
    expect(r.code).toBe(0);
    expect(r.stdout.length).toBe(1000);
  });

  it('a program that does not exist: code 127 and spawnError, no throw', async () => {
    const r = await runProcess('jitp-no-such-program-xyz', []);
    expect(r.code).toBe(127);
    expect(r.spawnError?.message).toMatch(/ENOENT/);
  });

  it('group + timeout: the deadline kills the grandchild too, and does not wait for its pipes', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const t0 = Date.now();
    // The grandchild inherits stdout: killing only `sh` would leave the pipe open for 30 s.
    const r = await runProcess('sh', ['-c', `sleep 30 & echo $! > ${pidFile}; sleep 30`], {
      timeoutMs: 500,
      group: true,
    });
    const took = Date.now() - t0;
    expect(r.timedOut).toBe(true);
    expect(r.signal).toBe('SIGKILL');
    expect(took).toBeLessThan(5_000);
    const grandchild = Number(readFileSync(pidFile, 'utf8'));
    expect(await waitFor(() => !pidAlive(grandchild))).toBe(true);
  });

  it('without group the timeout signals the child (SIGTERM by default)', async () => {
    const r = await runProcess('sleep', ['30'], { timeoutMs: 200 });
    expect(r).toMatchObject({ timedOut: true, signal: 'SIGTERM' });
  });

  it('shell: runs a command line', async () => {
    const r = await runProcess('echo "$((2+3))"', [], { shell: true });
    expect(r.stdout).toBe('5\n');
  });
});

describe('runProcessSync', () => {
  it('gives the same outcome shape', () => {
    expect(runProcessSync('sh', ['-c', 'cat; exit 4'], { input: 'x' })).toMatchObject({
      code: 4,
      stdout: 'x',
      timedOut: false,
    });
    const missing = runProcessSync('jitp-no-such-program-xyz', []);
    expect(missing.code).toBe(127);
    expect(missing.spawnError).toBeDefined();
  });

  it('a timeout is reported as one, not as a missing program', () => {
    const r = runProcessSync('sleep', ['30'], { timeoutMs: 200 });
    expect(r.timedOut).toBe(true);
    expect(r.spawnError).toBeUndefined();
  });
});

describe('startDetached', () => {
  it('returns at once and the process runs on its own', async () => {
    const marker = join(dir, 'detached.txt');
    const t0 = Date.now();
    expect(startDetached('sh', ['-c', `sleep 0.3; echo done > ${marker}`])).toBe(true);
    expect(Date.now() - t0).toBeLessThan(250);
    expect(await waitFor(() => existsSync(marker))).toBe(true);
  });

  it('a program that does not exist is no throw', () => {
    expect(() => startDetached('jitp-no-such-program-xyz', [])).not.toThrow();
  });
});
