// The cross-process lock of worktree mode (batch file, worktree admin): exclusive, and a lock
// left by a dead process is taken over, by age or (with deadHolder) by its pid being gone.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../src/worktree/atomic.js';
import { tempDir } from '../support/git.js';
import { budget } from '../support/budget.js';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A pid that existed and is gone: a child that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('withFileLock', () => {
  it('runs holders one at a time and removes the lock afterwards', async () => {
    dir = tempDir('jitp-lock-');
    const lock = join(dir, 'a.lock');
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withFileLock(lock, async () => {
          most = Math.max(most, ++inside);
          await new Promise((r) => setTimeout(r, 5));
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(existsSync(lock)).toBe(false);
  });

  it('deadHolder: a fresh lock whose pid is gone is taken over at once', async () => {
    dir = tempDir('jitp-lock-');
    const lock = join(dir, 'b.lock');
    writeFileSync(lock, `${deadPid()}\n`);
    const t0 = Date.now();
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 5_000, deadHolder: true })).toBe('ran');
    expect(Date.now() - t0).toBeLessThan(Math.min(budget(2_000), 4_900)); // and never the 5 s wait
  });

  it('a fresh lock held by a live pid is waited for, and the timeout names the lock and what holds it', async () => {
    dir = tempDir('jitp-lock-');
    const lock = join(dir, 'c.lock');
    writeFileSync(lock, `${process.pid}\n`);
    await expect(
      withFileLock(lock, async () => 'ran', {
        timeoutMs: 300,
        deadHolder: true,
        what: 'adding or removing a git worktree',
      }),
    ).rejects.toMatchObject({
      code: 'E_LOCKED',
      message: expect.stringContaining(lock),
      hint: expect.stringContaining('adding or removing a git worktree'),
    });
    expect(existsSync(lock)).toBe(true);
  });

  it('without deadHolder a dead pid is not enough; age is', async () => {
    dir = tempDir('jitp-lock-');
    const lock = join(dir, 'd.lock');
    writeFileSync(lock, `${deadPid()}\n`);
    await expect(withFileLock(lock, async () => 'ran', { timeoutMs: 300 })).rejects.toMatchObject({ code: 'E_LOCKED' });
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(lock, old, old);
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 2_000 })).toBe('ran');
  });

  it('a fresh lock file holding garbage is not taken for a dead holder', async () => {
    dir = tempDir('jitp-lock-');
    const lock = join(dir, 'e.lock');
    writeFileSync(lock, 'not a pid\n');
    await expect(withFileLock(lock, async () => 'ran', { timeoutMs: 300, deadHolder: true })).rejects.toMatchObject({
      code: 'E_LOCKED',
    });
  });
});

describe('withFileLock: torn locks and waiting', () => {
  it('deadHolder: a lock file without a pid is torn once older than a few seconds, not before', async () => {
    dir = tempDir('jitp-lock-');
    const lock = join(dir, 'f.lock');
    writeFileSync(lock, '');
    await expect(withFileLock(lock, async () => 'ran', { timeoutMs: 300, deadHolder: true })).rejects.toMatchObject({
      code: 'E_LOCKED',
    });
    const old = (Date.now() - 10_000) / 1000;
    utimesSync(lock, old, old);
    expect(await withFileLock(lock, async () => 'ran', { timeoutMs: 2_000, deadHolder: true })).toBe('ran');
  });

  it('onWait is told once, with the holder, when the wait passes a second', async () => {
    dir = tempDir('jitp-lock-');
    const lock = join(dir, 'g.lock');
    writeFileSync(lock, `${process.pid}\n`);
    const told: string[] = [];
    setTimeout(() => rmSync(lock, { force: true }), 1_500);
    expect(
      await withFileLock(lock, async () => 'ran', { timeoutMs: 5_000, deadHolder: true, onWait: (h) => told.push(h) }),
    ).toBe('ran');
    expect(told).toEqual([`pid ${process.pid}`]);
  });
});
