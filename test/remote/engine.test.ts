// The CAS engine alone, with tiny transitions written here: proves the remote serialises
// writers and that a stale view can neither lose an update nor win a race.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { discoverRepo, storeDirOf } from '../../src/git/discover.js';
import { RemoteEngine, type Transition } from '../../src/remote/engine.js';
import { leaseRef, INDEX_REF } from '../../src/remote/layout.js';
import { resolveRead } from '../../src/remote/resolve.js';
import * as rules from '../../src/core/lease-rules.js';
import type { Lease } from '../../src/core/model.js';
import { git } from '../support/git.js';
import { makeWorld, remoteState, type World } from './world.js';

let w: World;
beforeEach(() => {
  w = makeWorld(2);
});
afterEach(() => w.cleanup());

function engine(clone: string, extra: Partial<ConstructorParameters<typeof RemoteEngine>[0]> = {}) {
  const loc = discoverRepo(clone)!;
  return new RemoteEngine({
    cwd: clone,
    commonDir: loc.commonDir,
    storeDir: storeDirOf(loc),
    remote: 'origin',
    timeoutMs: 10_000,
    maxAgeSecs: 60,
    ...extra,
  });
}

const lease = (issueId: string, agentId: string, version: number, paths: string[] = []): Lease => ({
  id: `L-${issueId}`,
  issueId,
  agentId,
  worktree: null,
  branch: null,
  paths,
  ttlSecs: 600,
  acquiredAt: new Date().toISOString(),
  renewedAt: new Date().toISOString(),
  expiresAt: new Date(Date.now() + 600_000).toISOString(),
  token: version,
});

// Appends a note to one lease's meta: every accepted change must survive (no lost update).
const append =
  (issueId: string, note: string): Transition<number> =>
  (snap) => {
    const cur = snap.leases.find((l) => l.issueId === issueId) ?? lease(issueId, 'agent:x', snap.version + 1);
    const notes = [...((cur.meta?.notes as string[]) ?? []), note];
    const next = { ...cur, meta: { notes } };
    return {
      next: { ...snap, version: snap.version + 1, leases: [...snap.leases.filter((l) => l.issueId !== issueId), next] },
      result: notes.length,
      summary: `note ${note}`,
    };
  };

test('a change is one commit, on the index and the lease ref alike; another clone reads it', async () => {
  git(w.bare, 'config', 'receive.fsckObjects', 'true'); // our hand-made objects must pass git's checks
  git(w.clones[0]!, 'config', 'push.gpgSign', 'true'); // and a signed-push setting must not get in the way
  const a = engine(w.clones[0]!);
  await a.mutate(append('i-1', 'first'));
  const refs = git(w.bare, 'for-each-ref', '--format=%(refname)');
  expect(refs.split('\n').sort()).toEqual([INDEX_REF, leaseRef('i-1'), 'refs/heads/main'].sort());
  // One commit holds the record; the lease ref points at it, so the state names no commit for it.
  expect(git(w.bare, 'rev-parse', leaseRef('i-1'))).toBe(git(w.bare, 'rev-parse', INDEX_REF));
  const state = remoteState(w.bare, INDEX_REF);
  expect(state).toMatchObject({ schemaVersion: 2, version: 1, leaseCommits: {} });
  // The state rides in the commit message; the tree is a constant marker naming the format (so
  // a jitp that reads only format 1 says "unknown schemaVersion 2", not "garbage").
  expect(git(w.bare, 'log', '-1', '--format=%s', INDEX_REF)).toBe('jit-parallel v1: note first');
  expect(JSON.parse(git(w.bare, 'show', `${INDEX_REF}:state.json`))).toMatchObject({ schemaVersion: 2 });
  expect(remoteState(w.bare, leaseRef('i-1')).leases[0]!.meta!.notes).toEqual(['first']);
  // A second lease: the first one's ref stays where it was and the new state names it. The
  // push carried one new object (the commit): the marker tree is already on the remote.
  const loose = () => Number(/^count: (\d+)$/m.exec(git(w.bare, 'count-objects', '-v'))![1]);
  const before = loose();
  await a.mutate(append('i-2', 'second'));
  expect(loose() - before).toBe(1);
  const first = git(w.bare, 'rev-parse', leaseRef('i-1'));
  expect(remoteState(w.bare, INDEX_REF).leaseCommits).toEqual({ 'i-1': first });
  const b = engine(w.clones[1]!);
  const m = await b.sync();
  expect(m.leases.map((l) => l.meta?.notes)).toEqual([['first'], ['second']]);
  expect(m.indexCommit).toBe(git(w.bare, 'rev-parse', INDEX_REF));
  expect(m.leaseCommits).toEqual({ 'i-1': first, 'i-2': m.indexCommit });
});

test('a stale mirror costs one refetch and loses nothing', async () => {
  const a = engine(w.clones[0]!);
  const b = engine(w.clones[1]!);
  await b.sync(); // b's view: empty
  await a.mutate(append('i-1', 'from-a'));
  expect(await b.mutate(append('i-1', 'from-b'))).toBe(2);
  expect(b.lastStats).toEqual({ attempts: 2, fetches: 1 });
  const state = remoteState(w.bare, INDEX_REF);
  expect(state.leases[0]!.meta!.notes).toEqual(['from-a', 'from-b']);
  // a's own mirror is now stale too; its next write recovers the same way.
  expect(await a.mutate(append('i-1', 'again'))).toBe(3);
});

test('a current mirror needs no fetch: the CAS push alone commits', async () => {
  const a = engine(w.clones[0]!);
  await a.mutate(append('i-1', 'x'));
  await a.mutate(append('i-1', 'y'));
  expect(a.lastStats).toEqual({ attempts: 1, fetches: 0 });
});

const drop =
  (issueId: string): Transition<null> =>
  (snap) => ({
    next: { ...snap, version: snap.version + 1, leases: snap.leases.filter((l) => l.issueId !== issueId) },
    result: null,
    summary: `drop ${issueId}`,
  });

test('removing a lease is a CAS delete of its ref alone: no objects, the index and version stay', async () => {
  const a = engine(w.clones[0]!);
  await a.mutate(append('i-1', 'x'));
  await a.mutate(append('i-2', 'x'));
  const index = git(w.bare, 'rev-parse', INDEX_REF);
  const objects = git(w.bare, 'count-objects');
  await a.mutate(drop('i-1'));
  expect(a.lastStats).toEqual({ attempts: 1, fetches: 0 });
  expect(git(w.bare, 'for-each-ref', '--format=%(refname)', 'refs/jit-parallel/leases/')).toBe(leaseRef('i-2'));
  expect(git(w.bare, 'rev-parse', INDEX_REF)).toBe(index);
  expect(git(w.bare, 'count-objects')).toBe(objects);
  expect(a.lastCommitted).toEqual({ version: 2, indexCommit: index });
  // The index still lists i-1; every reader sees it released because its ref is gone.
  expect(remoteState(w.bare, INDEX_REF).leases.map((l: Lease) => l.issueId)).toEqual(['i-1', 'i-2']);
  const b = engine(w.clones[1]!);
  expect((await b.sync()).leases.map((l) => l.issueId)).toEqual(['i-2']);
  // b never saw i-1's ref, so it could not tell "released" from "granted while it read": it read the refs again.
  expect(b.lastStats.fetches).toBe(2);
  expect((await b.sync()).leases.map((l) => l.issueId)).toEqual(['i-2']);
  expect(b.lastStats.fetches).toBe(1); // now it knows i-1's commit existed: one read is enough
  // The next write that moves the index drops it for good.
  await b.mutate(append('i-3', 'x'));
  expect(remoteState(w.bare, INDEX_REF)).toMatchObject({ version: 3, leaseCommits: { 'i-2': index } });
  expect(remoteState(w.bare, INDEX_REF).leases.map((l: Lease) => l.issueId)).toEqual(['i-2', 'i-3']);
});

test('a removal on a stale view loses its CAS, re-reads and loses nothing', async () => {
  const a = engine(w.clones[0]!);
  const b = engine(w.clones[1]!);
  await a.mutate(append('i-1', 'x'));
  await b.sync();
  await a.mutate(append('i-1', 'y')); // i-1's ref moves: b's view of it is stale
  await b.mutate(drop('i-1'));
  expect(b.lastStats).toEqual({ attempts: 2, fetches: 1 });
  expect(git(w.bare, 'for-each-ref', 'refs/jit-parallel/leases/')).toBe('');
});

// The real acquire rule (refuses overlapping paths with E_HELD).
const acquire =
  (issueId: string, paths: string[]): Transition<Lease> =>
  (snap, now) => {
    const ch = rules.acquire(
      snap,
      { issueId, agentId: `agent:${issueId}`, paths, ttlSecs: 600 },
      { nowMs: now.getTime() },
    );
    return { next: ch.snapshot, result: ch.lease, summary: `acquire ${issueId}` };
  };

test('a read that saw the lease refs before a grant and the index after it cannot hide that grant', async () => {
  const a = engine(w.clones[0]!);
  const b = engine(w.clones[1]!);
  await b.sync(); // b's view: empty…
  await a.mutate(acquire('i-0', ['docs/**'])); // …and stale, so b's first push loses and it fetches.
  // One fetch reads refs and index at moments the server chooses: here the lease refs before
  // a's grant and the index after it. That grant is then listed with no ref, like a released lease.
  const real = b.transport.fetch.bind(b.transport);
  let skewed: Awaited<ReturnType<typeof real>> | undefined;
  b.transport.fetch = async () => {
    if (skewed) return real();
    const before = await real();
    await a.mutate(acquire('i-1', ['src/**']));
    skewed = { ...(await real()), refs: before.refs };
    return skewed;
  };
  const e = await b.mutate(acquire('i-2', ['src/a.ts'])).catch((x: unknown) => x);
  expect((e as { code?: string }).code).toBe('E_HELD');
  // A reader that took the missing ref for a release would have granted the overlap:
  expect(resolveRead(skewed!, skewed!.refs, () => true).state.leases.map((l) => l.issueId)).toEqual(['i-0']);
  // Ours could not tell, so it read the refs again before deciding (after its first push lost).
  expect(b.lastStats).toEqual({ attempts: 2, fetches: 2 });
  expect(git(w.bare, 'for-each-ref', '--format=%(refname)', 'refs/jit-parallel/leases/').split('\n')).toEqual([
    leaseRef('i-0'),
    leaseRef('i-1'),
  ]);
});

test('SHA-256 repositories: objects written in-process are valid for git', async () => {
  const { execFileSync } = await import('node:child_process');
  const { GIT_ENV } = await import('../support/git.js');
  const env = { ...process.env, ...GIT_ENV };
  const bare = join(w.base, 'sha256.git');
  const clone = join(w.base, 'sha256-clone');
  execFileSync('git', ['init', '-q', '--bare', '--object-format=sha256', bare], { env });
  execFileSync('git', ['init', '-q', '--object-format=sha256', clone], { env });
  git(clone, 'remote', 'add', 'origin', bare);
  const e = engine(clone);
  await e.mutate(append('i-1', 'x'));
  const id = git(bare, 'rev-parse', INDEX_REF);
  expect(id).toMatch(/^[0-9a-f]{64}$/);
  git(bare, 'fsck', '--no-dangling');
  expect(git(bare, 'rev-parse', leaseRef('i-1'))).toBe(id);
  await e.mutate(drop('i-1'));
  git(bare, 'fsck', '--no-dangling');
});
