// The one file lock (link + nonce, recovery serialised through `<lock>.recover`), in both
// forms: exclusive across real processes, a dead holder's lock recovered at once, a live or
// unknown holder waited for, and the timeout naming the lock and its holder. (These cases
// replace test/worktree/file-lock.test.ts, written for the lock this one replaced.)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  acquireLock,
  acquireLockSync,
  readHolder,
  recoverPathOf,
  staleReason,
  withLock,
} from '../../src/platform/file-lock.js';
import { tempDir } from '../support/git.js';
import { bundleWorker, runWorker, startWorker } from './support.js';

let base: string;
let worker: string;
let n = 0;
const fresh = () => {
  const d = join(base, `case-${n++}`);
  return { dir: d, lock: join(d, 'x.lock') };
};
beforeAll(async () => {
  base = tempDir('jitp-flock-');
  worker = await bundleWorker(base);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const opts = { timeoutMs: 5_000, maxHoldMs: 30_000 };
/** A pid that existed and is gone: a child that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;
const mk = (dir: string) => mkdirSync(dir, { recursive: true });

describe('withLock (async)', () => {
  it('runs holders one at a time and removes the lock and its temp files afterwards', async () => {
    const { dir, lock } = fresh();
    mk(dir);
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withLock(
          lock,
          async () => {
            most = Math.max(most, ++inside);
            await new Promise((r) => setTimeout(r, 5));
            inside--;
          },
          opts,
        ),
      ),
    );
    expect(most).toBe(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('the lock holds a whole record from its first instant: pid, host, nonce, what it does', async () => {
    const { dir, lock } = fresh();
    mk(dir);
    await withLock(
      lock,
      async () => {
        const h = readHolder(lock);
        expect(h.holder).toMatchObject({ pid: process.pid, op: 'testing' });
        expect(h.holder!.nonce).toMatch(/^[0-9a-f]{24}$/);
      },
      { ...opts, op: 'testing' },
    );
  });

  it('a fresh lock whose holder pid is dead is taken over at once', async () => {
    const { dir, lock } = fresh();
    mk(dir);
    writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: hostname(), nonce: 'n1', acquiredAt: '' }));
    const t0 = Date.now();
    expect(await withLock(lock, async () => 'ran', opts)).toBe('ran');
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(existsSync(recoverPathOf(lock))).toBe(false);
  });

  it('a bare pid left by an older jitp counts as a holder on this host (dead: taken over)', async () => {
    const { dir, lock } = fresh();
    mk(dir);
    writeFileSync(lock, `${deadPid()}\n`);
    expect(await withLock(lock, async () => 'ran', opts)).toBe('ran');
  });

  it('a live holder is waited for; the timeout names the lock and what holds it; its lock stays', async () => {
    const { dir, lock } = fresh();
    mk(dir);
    writeFileSync(lock, `${process.pid}\n`);
    await expect(withLock(lock, async () => 'ran', { ...opts, timeoutMs: 300 })).rejects.toMatchObject({
      code: 'E_LOCKED',
      message: expect.stringMatching(new RegExp(`${lock}.*pid ${process.pid}`)),
      hint: expect.stringContaining(`remove ${lock}`),
    });
    expect(readFileSync(lock, 'utf8')).toBe(`${process.pid}\n`);
    await expect(
      withLock(lock, async () => 'ran', {
        ...opts,
        timeoutMs: 300,
        timeoutError: (l, h, ms) => new Error(`mine: ${l} ${h?.pid} ${ms > 0}`),
      }),
    ).rejects.toThrow(`mine: ${lock} ${process.pid} true`);
  });

  it('a lock holding garbage is not a dead holder; it is stale only once older than the longest hold', async () => {
    const { dir, lock } = fresh();
    mk(dir);
    writeFileSync(lock, 'not a record\n');
    await expect(withLock(lock, async () => 'ran', { ...opts, timeoutMs: 300 })).rejects.toMatchObject({
      code: 'E_LOCKED',
    });
    // Its age is its ctime, which cannot be set back: judge it as a minute from now instead.
    expect(staleReason(readHolder(lock), Date.now(), 30_000)).toBeUndefined();
    expect(staleReason(readHolder(lock), Date.now() + 60_000, 30_000)).toMatch(/held for \d+s/);
    expect(await withLock(lock, async () => 'ran', { ...opts, maxHoldMs: 0 })).toBe('ran');
  });

  it('onWait is told once, with the holder, when the wait passes a second', async () => {
    const { dir, lock } = fresh();
    mk(dir);
    writeFileSync(lock, `${process.pid}\n`);
    const told: string[] = [];
    setTimeout(() => rmSync(lock, { force: true }), 1_500);
    expect(await withLock(lock, async () => 'ran', { ...opts, onWait: (h) => told.push(h) })).toBe('ran');
    expect(told).toHaveLength(1);
    expect(told[0]).toContain(`pid ${process.pid}`);
  });

  it('a folder that cannot hold the lock: a clear error, not a hang', async () => {
    const lock = join(base, 'no-such-dir', 'x.lock');
    await expect(acquireLock(lock, opts)).rejects.toMatchObject({
      code: 'E_LOCKED',
      message: expect.stringContaining('cannot create the lock'),
    });
  });
});

describe('acquireLockSync across processes', () => {
  it('release only removes our own lock; isHeld tells when a recoverer took it', () => {
    const { dir, lock } = fresh();
    mk(dir);
    const held = acquireLockSync(lock, opts);
    expect(held.isHeld()).toBe(true);
    rmSync(lock); // a recoverer that judged us ancient
    writeFileSync(lock, 'someone else');
    expect(held.isHeld()).toBe(false);
    held.release();
    expect(readFileSync(lock, 'utf8')).toBe('someone else');
  });

  it('a holder killed with SIGKILL: 8 contenders recover its lock, never two holders at once', async () => {
    const { dir, lock } = fresh();
    mk(dir);
    const victim = startWorker(worker, ['hold', lock]);
    await new Promise<void>((r) => victim.stdout!.once('data', () => r()));
    victim.kill('SIGKILL');
    await new Promise((r) => victim.once('close', r));
    const go = join(dir, 'go');
    const sides = Array.from({ length: 8 }, (_, i) => join(dir, `side-${i}.txt`));
    const runs = sides.map((s) => runWorker(worker, ['lock', lock, s, '5', go]));
    setTimeout(() => writeFileSync(go, ''), 200);
    const results = await Promise.all(runs);
    for (const r of results) expect(r.stderr).toBe('');
    const events = sides
      .flatMap((s) => readFileSync(s, 'utf8').trim().split('\n'))
      .map((l) => l.split(' '))
      .map(([kind, pid, t]) => ({ kind: kind!, pid: pid!, t: BigInt(t!) }))
      .sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
    expect(events).toHaveLength(80);
    let holder: string | undefined;
    for (const e of events) {
      if (e.kind === 'enter') {
        expect(holder).toBeUndefined();
        holder = e.pid;
      } else {
        expect(holder).toBe(e.pid);
        holder = undefined;
      }
    }
    expect(existsSync(lock)).toBe(false);
    expect(existsSync(recoverPathOf(lock))).toBe(false);
  }, 60_000);
});
