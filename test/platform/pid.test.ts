// pidAlive: a process that exists is alive even when it is not ours to signal (EPERM).
import { spawnSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pidAlive } from '../../src/platform/pid.js';
import { tempDir } from '../support/git.js';
import { bundleWorker, runWorker } from './support.js';

let dir: string;
let worker: string;
beforeAll(async () => {
  dir = tempDir('jitp-pid-');
  worker = await bundleWorker(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('own pid alive; an exited child dead; nonsense never alive', () => {
  expect(pidAlive(process.pid)).toBe(true);
  expect(pidAlive(spawnSync(process.execPath, ['-e', '0']).pid!)).toBe(false);
  for (const x of [0, -1, 1.5, NaN, null, undefined]) expect(pidAlive(x as number)).toBe(false);
});

it("EPERM is alive: another user's process, seen by an unprivileged one", async () => {
  const asRoot = process.getuid?.() === 0;
  // Unprivileged: signal 0 to pid 1 (root's init) is refused with EPERM. As root, run the check
  // as nobody (everything it reads made readable) so the refusal really happens.
  if (asRoot) for (let p = dir; p !== '/' && p.startsWith(tmpdir()); p = dirname(p)) chmodSync(p, 0o755);
  const r = await runWorker(worker, ['alive', '1'], asRoot ? { uid: 65534, gid: 65534 } : {});
  expect(r.stderr).toBe('');
  expect(r.stdout).toBe('true');
  // And the same unprivileged check of a pid that does not exist says dead (ESRCH, not EPERM).
  const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
  const r2 = await runWorker(worker, ['alive', String(gone)], asRoot ? { uid: 65534, gid: 65534 } : {});
  expect(r2.stdout).toBe('false');
});
