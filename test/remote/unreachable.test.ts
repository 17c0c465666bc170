// A remote that is missing, hangs, or refuses our refs gives a clear error within the deadline.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { isJitpError, type JitpError } from '../../src/platform/errors.js';
import { discoverRepo, storeDirOf } from '../../src/git/discover.js';
import { RemoteEngine, type Transition } from '../../src/remote/engine.js';
import { git } from '../support/git.js';
import { makeWorld, type World } from './world.js';
import { budget } from '../support/budget.js';

let w: World;
beforeEach(() => {
  w = makeWorld(1);
});
afterEach(() => w.cleanup());

const engine = (clone: string, remote: string, timeoutMs: number) => {
  const loc = discoverRepo(clone)!;
  return new RemoteEngine({
    cwd: clone,
    commonDir: loc.commonDir,
    storeDir: storeDirOf(loc),
    remote,
    timeoutMs,
    maxAgeSecs: 60,
  });
};
const touch: Transition<null> = (snap) => ({
  next: { ...snap, version: snap.version + 1 },
  result: null,
  summary: 'touch',
});

async function failure(p: Promise<unknown>): Promise<JitpError> {
  try {
    await p;
  } catch (e) {
    if (isJitpError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

test('a remote path that does not exist: E_REMOTE_UNREACHABLE, exit 7, with a hint', async () => {
  const clone = w.clones[0]!;
  git(clone, 'remote', 'add', 'gone', join(w.base, 'does-not-exist.git'));
  const e = await failure(engine(clone, 'gone', 5000).sync());
  expect(e.code).toBe('E_REMOTE_UNREACHABLE');
  expect(e.exitCode).toBe(7);
  expect(e.message).toContain("remote 'gone'");
  expect(e.hint).toContain('git ls-remote gone');
  const e2 = await failure(engine(clone, 'gone', 5000).mutate(touch));
  expect(e2.code).toBe('E_REMOTE_UNREACHABLE');
});

test('an unknown remote name is the same clear error', async () => {
  const e = await failure(engine(w.clones[0]!, 'nosuch', 5000).sync());
  expect(e.code).toBe('E_REMOTE_UNREACHABLE');
  expect(e.message).toMatch(/nosuch/);
});

test('a remote that hangs (with a child that also hangs) fails within the timeout', async () => {
  const clone = w.clones[0]!;
  // ext:: runs a command as the transport; this one never answers and forks a sleeper that
  // would keep our pipes open if only git itself were killed.
  const script = join(w.base, 'hang.sh');
  writeFileSync(script, '#!/bin/sh\nsleep 30 &\nsleep 30\n');
  chmodSync(script, 0o755);
  git(clone, 'config', 'protocol.ext.allow', 'always');
  git(clone, 'remote', 'add', 'slow', `ext::${script}`);
  for (const op of ['sync', 'mutate'] as const) {
    const t0 = Date.now();
    const eng = engine(clone, 'slow', 1500);
    const e = await failure(op === 'sync' ? eng.sync() : eng.mutate(touch));
    const took = Date.now() - t0;
    expect(e.code).toBe('E_REMOTE_TIMEOUT');
    expect(e.exitCode).toBe(7);
    expect(e.message).toContain("remote 'slow' is not answering");
    expect(took).toBeGreaterThanOrEqual(1400);
    expect(took).toBeLessThan(1500 + budget(3500)); // the 1.5 s timeout plus overhead scaled to the machine's speed
  }
});

test(
  'a push that hangs after a good fetch (pushurl on a hanging transport) also fails within the ' + 'timeout',
  async () => {
    const clone = w.clones[0]!;
    const script = join(w.base, 'hang.sh');
    writeFileSync(script, '#!/bin/sh\nsleep 30\n');
    chmodSync(script, 0o755);
    git(clone, 'config', 'protocol.ext.allow', 'always');
    git(clone, 'config', 'remote.origin.pushurl', `ext::${script}`);
    const eng = engine(clone, 'origin', 1500);
    await eng.sync(); // fetch works: the mirror is current, so the write goes straight to the push
    const t0 = Date.now();
    const e = await failure(eng.mutate(touch));
    expect(e.code).toBe('E_REMOTE_TIMEOUT');
    expect(e.message).toContain('pushing leases');
    expect(Date.now() - t0).toBeLessThan(1500 + budget(3500));
  },
);

test('an index ref that is not ours: E_REMOTE_CORRUPT, exit 5, saying how to reset', async () => {
  const clone = w.clones[0]!;
  git(clone, 'push', '-q', 'origin', 'HEAD:refs/jit-parallel/index');
  const e = await failure(engine(clone, 'origin', 5000).sync());
  expect(e.code).toBe('E_REMOTE_CORRUPT');
  expect(e.exitCode).toBe(5);
  expect(e.hint).toContain('git push origin :refs/jit-parallel/index');
});

test('a remote that refuses refs outside branches: E_REMOTE_REJECTED naming the namespace', async () => {
  const hook = join(w.bare, 'hooks', 'pre-receive');
  writeFileSync(
    hook,
    '#!/bin/sh\nwhile read old new ref; do case "$ref" in refs/heads/*|refs/tags/*) ;; *) echo "custom refs are not ' +
      'allowed: $ref" >&2; exit 1;; esac; done\n',
  );
  chmodSync(hook, 0o755);
  const e = await failure(engine(w.clones[0]!, 'origin', 5000).mutate(touch));
  expect(e.code).toBe('E_REMOTE_REJECTED');
  expect(e.exitCode).toBe(7);
  expect(e.hint).toContain('refs/jit-parallel/*');
});
