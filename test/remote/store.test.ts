// RemoteLeaseStore between two clones ("machines") of one bare remote.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { isJitpError, type JitpError } from '../../src/platform/errors.js';
import { discoverRepo, storeDirOf } from '../../src/git/discover.js';
import { INDEX_REF, leaseRef } from '../../src/remote/layout.js';
import { mirrorPath, readMirror } from '../../src/remote/mirror.js';
import { eventsPath } from '../../src/remote/local-files.js';
import { RemoteLeaseStore } from '../../src/store/remote.js';
import { git } from '../support/git.js';
import { makeWorld, remoteState, type World } from './world.js';

let w: World;
beforeEach(() => {
  w = makeWorld(2);
});
afterEach(() => w.cleanup());

const store = (i: number, extra: Partial<ConstructorParameters<typeof RemoteLeaseStore>[0]> = {}) =>
  new RemoteLeaseStore({ loc: discoverRepo(w.clones[i]!)!, remote: 'origin', timeoutMs: 10_000, ...extra });

async function failure(p: Promise<unknown>): Promise<JitpError> {
  try {
    await p;
  } catch (e) {
    if (isJitpError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

test('a clone with a stale mirror is denied at push time, and the remote is unchanged', async () => {
  const a = store(0);
  const b = store(1);
  await b.sync(); // b believes: nobody holds anything
  const held = await a.acquire({ issueId: 'issue-1', agentId: 'agent:alice', paths: ['src/**'] });
  const before = git(w.bare, 'rev-parse', INDEX_REF);
  expect(readMirror(storeDirOf(discoverRepo(w.clones[1]!)!), 'origin')!.leases).toEqual([]);
  // Same issue:
  const e1 = await failure(b.acquire({ issueId: 'issue-1', agentId: 'agent:bob', paths: [] }));
  expect(e1.code).toBe('E_HELD');
  expect(e1.exitCode).toBe(3);
  expect(e1.message).toContain('agent:alice');
  // Its push lost the CAS (attempt 1); the refetched view (attempt 2) says held.
  expect(b.engine.lastStats).toEqual({ attempts: 2, fetches: 1 });
  // Different issue, overlapping path (b's mirror is fresh again now, so make it stale first):
  await a.release({ issueId: 'issue-1', agentId: 'agent:alice', token: held.token });
  await b.sync();
  await a.acquire({ issueId: 'issue-1', agentId: 'agent:alice', paths: ['src/core/**'] });
  const e2 = await failure(b.acquire({ issueId: 'issue-2', agentId: 'agent:bob', paths: ['src/core/x.ts'] }));
  expect(e2.code).toBe('E_HELD');
  expect(e2.message).toMatch(/src\/core\/x\.ts overlaps src\/core\/\*\*/);
  // The denied attempt pushed nothing: the remote's index is the one alice's write left.
  expect(git(w.bare, 'rev-parse', INDEX_REF)).not.toBe(before);
  const state = remoteState(w.bare, INDEX_REF);
  expect(state.leases.map((l: { agentId: string }) => l.agentId)).toEqual(['agent:alice']);
  // And b's mirror now shows alice's lease with its host.
  const m = readMirror(storeDirOf(discoverRepo(w.clones[1]!)!), 'origin')!;
  expect(m.leases.map((l) => [l.issueId, l.agentId, typeof l.host])).toEqual([['issue-1', 'agent:alice', 'string']]);
});

test('an expired lease is taken over by CAS; the old holder has lost it', async () => {
  const a = store(0);
  const old = await a.acquire({ issueId: 'issue-1', agentId: 'agent:alice', paths: ['src/a.ts'], ttlSecs: 60 });
  // b's clock is two minutes ahead: alice's lease has expired for it.
  const b = store(1, { nowMs: () => Date.now() + 120_000 });
  const e = await failure(store(1).acquire({ issueId: 'issue-1', agentId: 'agent:bob', paths: [] }));
  expect(e.code).toBe('E_HELD');
  const taken = await b.acquire({ issueId: 'issue-1', agentId: 'agent:bob', paths: ['src/a.ts'] });
  expect(taken.token).toBeGreaterThan(old.token);
  // The lease ref points at the commit that wrote bob's lease (its state holds the record).
  const atRef = remoteState(w.bare, leaseRef('issue-1'));
  expect(atRef.leases.map((l: { issueId: string; agentId: string }) => [l.issueId, l.agentId])).toEqual([
    ['issue-1', 'agent:bob'],
  ]);
  const lost = await failure(a.renew({ issueId: 'issue-1', agentId: 'agent:alice', token: old.token }));
  expect(lost.code).toBe('E_LEASE_LOST');
  expect(lost.exitCode).toBe(6);
  expect((await failure(a.release({ issueId: 'issue-1', agentId: 'agent:alice', token: old.token }))).code).toBe(
    'E_LEASE_LOST',
  );
  // The takeover is in b's local event log.
  const events = readFileSync(eventsPath(storeDirOf(discoverRepo(w.clones[1]!)!), 'origin'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(events.find((x) => x.type === 'acquire')?.takeoverOf).toBe(old.id);
});

test('renew, extend, evict and release all round-trip through the remote', async () => {
  const a = store(0);
  const b = store(1);
  const l = await a.acquire({ issueId: 'issue-1', agentId: 'agent:alice', paths: ['src/a.ts'], ttlSecs: 60 });
  const r = await a.renew({ issueId: 'issue-1', agentId: 'agent:alice', token: l.token }, { ttlSecs: 600 });
  expect(r.ttlSecs).toBe(600);
  const x = await a.extend({ issueId: 'issue-1', agentId: 'agent:alice', token: l.token }, ['src/b.ts']);
  expect(x.paths).toEqual(['src/a.ts', 'src/b.ts']);
  expect((await failure(b.acquire({ issueId: 'issue-2', agentId: 'agent:bob', paths: ['src/b.ts'] }))).code).toBe(
    'E_HELD',
  );
  await b.acquire({ issueId: 'issue-2', agentId: 'agent:bob', paths: ['docs/x.md'] });
  expect((await failure(a.extend({ issueId: 'issue-1', agentId: 'agent:alice' }, ['docs/*.md']))).code).toBe('E_HELD');
  await b.evict(l.id, 'agent:admin', 'left for the day');
  expect(git(w.bare, 'for-each-ref', '--format=%(refname)', 'refs/jit-parallel/leases/')).toBe(leaseRef('issue-2'));
  await b.release({ issueId: 'issue-2', agentId: 'agent:bob' });
  expect(git(w.bare, 'for-each-ref', 'refs/jit-parallel/leases/')).toBe('');
  expect((await b.read()).leases).toEqual([]);
  expect((await a.sync()).leases).toEqual([]);
  // Acquire, renew, extend, acquire moved the index; evict and release only deleted lease refs.
  expect(remoteState(w.bare, INDEX_REF).version).toBe(4);
});

test('binding secrets stay on the acquiring machine; bind works there and is pushed', async () => {
  const a = store(0);
  const l = await a.acquire({ issueId: 'issue-1', agentId: 'agent:alice', paths: [] });
  expect(l.bindSecret).toMatch(/^[0-9a-f]{32}$/);
  expect(git(w.bare, 'cat-file', 'commit', INDEX_REF)).not.toContain(l.bindSecret!);
  expect(git(w.bare, 'cat-file', 'commit', leaseRef('issue-1'))).not.toContain(l.bindSecret!);
  // The local mirror (read by hooks on this machine) has it; the other machine's does not.
  const ma = readMirror(storeDirOf(discoverRepo(w.clones[0]!)!), 'origin')!;
  expect(ma.leases[0]!.bindSecret).toBe(l.bindSecret);
  const b = store(1);
  expect((await b.sync()).leases[0]!.bindSecret).toBeUndefined();
  expect((await failure(b.bind(l.id, l.bindSecret!, 'sub-1'))).code).toBe('E_BIND_SECRET');
  const bound = await a.bind(l.id, l.bindSecret!, 'sub-1');
  expect(bound.meta?.claudeAgentIds).toEqual(['sub-1']);
  expect(a.engine.lastStats.attempts).toBe(1);
  await a.bind(l.id, l.bindSecret!, 'sub-1'); // idempotent: no push
  expect(remoteState(w.bare, INDEX_REF).version).toBe(2);
  // Released by this clone: the secret goes with it (it no longer guards anything).
  const { loadSecrets } = await import('../../src/remote/local-files.js');
  const dirA = storeDirOf(discoverRepo(w.clones[0]!)!);
  expect([...loadSecrets(dirA, 'origin').keys()]).toEqual([l.id]);
  await a.release({ issueId: 'issue-1', agentId: 'agent:alice' });
  expect([...loadSecrets(dirA, 'origin').keys()]).toEqual([]);
});

test('read() serves the mirror while young and refetches when older than the max age', async () => {
  const a = store(0);
  let now = Date.now();
  const b = store(1, { maxAgeSecs: 60, nowMs: () => now });
  await b.sync();
  await a.acquire({ issueId: 'issue-1', agentId: 'agent:alice', paths: [] });
  expect((await b.read()).leases).toEqual([]); // young mirror, no network
  now += 61_000;
  expect((await b.read()).leases.map((l) => l.issueId)).toEqual(['issue-1']);
  const m = JSON.parse(readFileSync(mirrorPath(storeDirOf(discoverRepo(w.clones[1]!)!), 'origin'), 'utf8'));
  expect(m.fetchedAt).toBe(new Date(now).toISOString());
  expect(m.source).toBe('fetch');
});

test('a remote written by format 1 (jitp before the removal-only push) is read and written on', async () => {
  // Format 1: the lease ref had a commit of its own (lease.json); state.json named every lease commit.
  const { ObjectWriter } = await import('../../src/remote/git-objects.js');
  const c0 = w.clones[0]!;
  const o = new ObjectWriter(discoverRepo(c0)!.commonDir);
  const when = new Date();
  const lease = {
    id: 'L-old1',
    issueId: 'issue-1',
    agentId: 'agent:alice',
    worktree: null,
    branch: null,
    paths: ['src/**'],
    ttlSecs: 600,
    acquiredAt: when.toISOString(),
    renewedAt: when.toISOString(),
    expiresAt: new Date(when.getTime() + 600_000).toISOString(),
    token: 1,
    host: 'old',
  };
  const who = 'jit-parallel <jitp@old>';
  const lc = o.commit({
    tree: o.tree({ 'lease.json': { type: 'blob', id: o.blob(JSON.stringify(lease)) } }),
    parents: [],
    who,
    when,
    message: 'lease',
  });
  const state = { schemaVersion: 1, version: 1, leases: [lease], leaseCommits: { 'issue-1': lc } };
  const ic = o.commit({
    tree: o.tree({ 'state.json': { type: 'blob', id: o.blob(JSON.stringify(state)) } }),
    parents: [],
    who,
    when,
    message: 'jit-parallel v1',
  });
  git(c0, 'push', '-q', '--atomic', 'origin', `${ic}:${INDEX_REF}`, `${lc}:${leaseRef('issue-1')}`);
  const b = store(1);
  expect((await b.sync()).leases.map((l) => l.id)).toEqual(['L-old1']);
  expect((await failure(b.acquire({ issueId: 'issue-2', agentId: 'agent:bob', paths: ['src/x.ts'] }))).code).toBe(
    'E_HELD',
  );
  await b.acquire({ issueId: 'issue-2', agentId: 'agent:bob', paths: ['docs/**'] });
  const v2 = remoteState(w.bare, INDEX_REF);
  expect(v2).toMatchObject({ schemaVersion: 2, version: 2, leaseCommits: { 'issue-1': lc } });
  await store(0).release({ issueId: 'issue-1', agentId: 'agent:alice' });
  expect((await b.sync()).leases.map((l) => l.issueId)).toEqual(['issue-2']);
});

test('an acquire that sweeps an expired lease while its holder releases it is a lost race, not drift', async () => {
  const a = store(0);
  const e = await a.acquire({ issueId: 'issue-e', agentId: 'agent:alice', paths: ['src/**'], ttlSecs: 60 });
  const b = store(1, { nowMs: () => Date.now() + 120_000 }); // alice's lease has expired for b
  await b.sync();
  await a.acquire({ issueId: 'issue-z', agentId: 'agent:alice', paths: ['docs/**'] }); // b's view is stale now
  // b's push loses, b re-reads (alice's lease still there), and right then alice releases it:
  // b's next push, which sweeps it, finds its ref gone while the index has not moved.
  const real = b.engine.transport.fetch.bind(b.engine.transport);
  let released = false;
  b.engine.transport.fetch = async () => {
    const r = await real();
    if (!released) {
      released = true;
      await a.release({ issueId: 'issue-e', agentId: 'agent:alice', token: e.token });
    }
    return r;
  };
  const got = await b.acquire({ issueId: 'issue-b', agentId: 'agent:bob', paths: ['src/x.ts'] });
  expect(got.agentId).toBe('agent:bob');
  expect(b.engine.lastStats.attempts).toBe(3);
  expect(git(w.bare, 'for-each-ref', '--format=%(refname)', 'refs/jit-parallel/leases/').split('\n').sort()).toEqual([
    leaseRef('issue-b'),
    leaseRef('issue-z'),
  ]);
});
