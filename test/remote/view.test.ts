// What hooks read: mirror files only, merged with the local snapshot, with their age.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { discoverRepo, storeDirOf } from '../../src/git/discover.js';
import { readMirror } from '../../src/remote/mirror.js';
import { combinedSnapshot, freshnessText, refreshInBackground, remoteMirrorsSync } from '../../src/remote/view.js';
import { RemoteLeaseStore } from '../../src/store/remote.js';
import { DIST_JITP } from '../support/paths.js';
import { git } from '../support/git.js';
import { makeWorld, type World } from './world.js';
import { budget } from '../support/budget.js';

let w: World;
beforeEach(() => {
  w = makeWorld(2);
});
afterEach(() => w.cleanup());

test('mirrors of odd remote names are found and merged with local leases, with their age', async () => {
  const clone = w.clones[0]!;
  git(clone, 'remote', 'add', 'team/up.stream', w.bare);
  const s = new RemoteLeaseStore({ loc: discoverRepo(clone)!, remote: 'team/up.stream' });
  const l = await s.acquire({ issueId: 'Issue:7', agentId: 'agent:a', paths: ['src/**'] });
  const dir = storeDirOf(discoverRepo(clone)!);
  const mirrors = remoteMirrorsSync(dir);
  expect(mirrors.map((m) => m.remote)).toEqual(['team/up.stream']);
  const local = { schemaVersion: 1, version: 3, leases: [{ ...l, id: 'L-local', issueId: 'other' }] };
  const now = Date.parse(mirrors[0]!.fetchedAt) + 42_000;
  const { snap, freshness } = combinedSnapshot(local, mirrors, now);
  expect(snap.leases.map((x) => x.id).sort()).toEqual([l.id, 'L-local'].sort());
  expect(freshness).toEqual([{ remote: 'team/up.stream', fetchedAt: mirrors[0]!.fetchedAt, ageSecs: 42 }]);
  expect(freshnessText(freshness[0]!)).toBe(`remote 'team/up.stream' leases as of 42s ago (${mirrors[0]!.fetchedAt})`);
  expect(remoteMirrorsSync(join(w.base, 'none'))).toEqual([]);
});

test('refreshInBackground returns at once and the mirror appears shortly after', async () => {
  const [a, b] = w.clones as [string, string];
  await new RemoteLeaseStore({ loc: discoverRepo(a)!, remote: 'origin' }).acquire({
    issueId: 'i',
    agentId: 'agent:a',
    paths: [],
  });
  const dir = storeDirOf(discoverRepo(b)!);
  expect(existsSync(join(dir, 'remote-origin.json'))).toBe(false);
  const t0 = Date.now();
  refreshInBackground(DIST_JITP, b, 'origin', 0);
  expect(Date.now() - t0).toBeLessThan(budget(200));
  const until = Date.now() + budget(10_000);
  while (Date.now() < until && !readMirror(dir, 'origin')) await new Promise((r) => setTimeout(r, 100));
  expect(readMirror(dir, 'origin')!.leases.map((x) => x.issueId)).toEqual(['i']);
});

test('linked worktrees of one clone share one mirror', async () => {
  const clone = w.clones[0]!;
  const linked = join(w.base, 'linked');
  git(clone, 'worktree', 'add', '-q', '-b', 'wt', linked);
  const fromLinked = new RemoteLeaseStore({ loc: discoverRepo(linked)!, remote: 'origin' });
  const l = await fromLinked.acquire({
    issueId: 'i',
    agentId: 'agent:a',
    paths: ['src/**'],
    worktree: linked,
    branch: 'wt',
  });
  const main = storeDirOf(discoverRepo(clone)!);
  expect(storeDirOf(discoverRepo(linked)!)).toBe(main);
  const m = readMirror(main, 'origin')!;
  expect(m.leases.map((x) => [x.id, x.worktree, x.branch, x.bindSecret])).toEqual([[l.id, linked, 'wt', l.bindSecret]]);
  // The main checkout writes next, from the same (current) mirror: one push, no fetch.
  const fromMain = new RemoteLeaseStore({ loc: discoverRepo(clone)!, remote: 'origin' });
  await fromMain.release({ issueId: 'i', agentId: 'agent:a', token: l.token });
  expect(fromMain.engine.lastStats).toEqual({ attempts: 1, fetches: 0 });
});

test('openConfiguredStore follows config `remote`', async () => {
  const { openConfiguredStore } = await import('../../src/store/open.js');
  const { LocalLeaseStore } = await import('../../src/store/local/local-store.js');
  const loc = discoverRepo(w.clones[0]!)!;
  const base = { ttl: 1800, remoteTimeout: 20, remoteMirrorMaxAge: 60 };
  expect(openConfiguredStore(loc, { ...base, remote: null })).toBeInstanceOf(LocalLeaseStore);
  const r = openConfiguredStore(loc, { ...base, remote: 'origin' });
  expect(r).toBeInstanceOf(RemoteLeaseStore);
  await r.acquire({ issueId: 'i', agentId: 'agent:a', paths: [] });
  expect(git(w.bare, 'for-each-ref', '--format=%(refname)', 'refs/jit-parallel/leases/')).toBe(
    'refs/jit-parallel/leases/i',
  );
});
