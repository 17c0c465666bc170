// The CAS engine alone, with tiny transitions written here: proves the remote serialises
// writers and that a stale view can neither lose an update nor win a race.
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { discoverRepo, storeDirOf } from '../../src/git/discover.js';
import { RemoteEngine, type Transition } from '../../src/remote/engine.js';
import { leaseRef, INDEX_REF } from '../../src/remote/layout.js';
import type { Lease } from '../../src/store/types.js';
import { git } from '../support/git.js';
import { makeWorld, type World } from './world.js';

let w: World;
beforeEach(() => {
  w = makeWorld(2);
});
afterEach(() => w.cleanup());

function engine(clone: string, extra: Partial<ConstructorParameters<typeof RemoteEngine>[0]> = {}) {
  const loc = discoverRepo(clone)!;
  return new RemoteEngine({ cwd: clone, commonDir: loc.commonDir, storeDir: storeDirOf(loc), remote: 'origin', timeoutMs: 10_000, maxAgeSecs: 60, ...extra });
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
const append = (issueId: string, note: string): Transition<number> => (snap) => {
  const cur = snap.leases.find((l) => l.issueId === issueId) ?? lease(issueId, 'agent:x', snap.version + 1);
  const notes = [...((cur.meta?.notes as string[]) ?? []), note];
  const next = { ...cur, meta: { notes } };
  return { next: { ...snap, version: snap.version + 1, leases: [...snap.leases.filter((l) => l.issueId !== issueId), next] }, result: notes.length, summary: `note ${note}` };
};

test('a change is one commit on the index and one on the lease ref; another clone reads it', async () => {
  git(w.bare, 'config', 'receive.fsckObjects', 'true'); // our hand-made objects must pass git's checks
  git(w.clones[0]!, 'config', 'push.gpgSign', 'true'); // and a signed-push setting must not get in the way
  const a = engine(w.clones[0]!);
  await a.mutate(append('i-1', 'first'));
  const refs = git(w.bare, 'for-each-ref', '--format=%(refname)');
  expect(refs.split('\n').sort()).toEqual([INDEX_REF, leaseRef('i-1'), 'refs/heads/main'].sort());
  const state = JSON.parse(git(w.bare, 'show', `${INDEX_REF}:state.json`));
  expect(state.version).toBe(1);
  expect(state.leaseCommits['i-1']).toBe(git(w.bare, 'rev-parse', leaseRef('i-1')));
  expect(JSON.parse(git(w.bare, 'show', `${leaseRef('i-1')}:lease.json`)).meta.notes).toEqual(['first']);
  const b = engine(w.clones[1]!);
  const m = await b.sync();
  expect(m.leases.map((l) => l.meta?.notes)).toEqual([['first']]);
  expect(m.indexCommit).toBe(git(w.bare, 'rev-parse', INDEX_REF));
});

test('a stale mirror costs one refetch and loses nothing', async () => {
  const a = engine(w.clones[0]!);
  const b = engine(w.clones[1]!);
  await b.sync(); // b's view: empty
  await a.mutate(append('i-1', 'from-a'));
  expect(await b.mutate(append('i-1', 'from-b'))).toBe(2);
  expect(b.lastStats).toEqual({ attempts: 2, fetches: 1 });
  const state = JSON.parse(git(w.bare, 'show', `${INDEX_REF}:state.json`));
  expect(state.leases[0].meta.notes).toEqual(['from-a', 'from-b']);
  // a's own mirror is now stale too; its next write recovers the same way.
  expect(await a.mutate(append('i-1', 'again'))).toBe(3);
});

test('a current mirror needs no fetch: the CAS push alone commits', async () => {
  const a = engine(w.clones[0]!);
  await a.mutate(append('i-1', 'x'));
  await a.mutate(append('i-1', 'y'));
  expect(a.lastStats).toEqual({ attempts: 1, fetches: 0 });
});

test('removing a lease deletes its ref by CAS', async () => {
  const a = engine(w.clones[0]!);
  await a.mutate(append('i-1', 'x'));
  await a.mutate(append('i-2', 'x'));
  await a.mutate((snap) => ({ next: { ...snap, version: snap.version + 1, leases: snap.leases.filter((l) => l.issueId !== 'i-1') }, result: null, summary: 'drop' }));
  const refs = git(w.bare, 'for-each-ref', '--format=%(refname)', 'refs/jit-parallel/leases/');
  expect(refs).toBe(leaseRef('i-2'));
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
  expect(JSON.parse(git(bare, 'show', `${INDEX_REF}:state.json`)).leaseCommits['i-1']).toBe(git(bare, 'rev-parse', leaseRef('i-1')));
});
