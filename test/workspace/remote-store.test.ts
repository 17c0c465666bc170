// The store every command uses is the configured one: with `remote: origin` in the config, the
// whole dispatch path (claim → verify → issue done) and worktree mode (worktree add → cleanup)
// act on the leases kept on the remote, seen in the bare repository itself and from another
// clone, never on a local store nobody else reads. (The bug: verify said "no live lease" and
// issue done left the remote lease live.) Through the shipped bundle.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { INDEX_REF, issueIdFromKey } from '../../src/remote/layout.js';
import { git } from '../support/git.js';
import { DIST_JITP } from '../support/paths.js';
import { makeWorld, remoteState, type World } from '../remote/world.js';
import { readSnapshotSync } from '../../src/store/local/snapshot-read.js';

let w: World;
let a: string;
let b: string;
beforeAll(() => {
  w = makeWorld(2);
  [a, b] = w.clones as [string, string];
  const task = (id: string, file: string) =>
    `---\nid: ${id}\ntitle: Change ${file}\nstate: ready\nfiles: [${file}]\n---\nChange ${file}.\n`;
  mkdirSync(join(a, '.jit-parallel/tasks'), { recursive: true });
  mkdirSync(join(a, 'src'));
  writeFileSync(join(a, '.jit-parallel.yaml'), 'remote: origin\n');
  writeFileSync(join(a, '.jit-parallel/tasks/T1.md'), task('T1', 'src/a.ts'));
  writeFileSync(join(a, '.jit-parallel/tasks/T2.md'), task('T2', 'src/b.ts'));
  writeFileSync(join(a, 'src/a.ts'), 'export const a = 1;\n');
  writeFileSync(join(a, 'src/b.ts'), 'export const b = 1;\n');
  git(a, 'add', '-A');
  git(a, 'commit', '-q', '-m', 'tasks');
  git(a, 'push', '-q', 'origin', 'main');
  writeFileSync(join(b, '.jit-parallel.yaml'), 'remote: origin\n');
});
afterAll(() => w.cleanup());

function jitp(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [DIST_JITP, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, JIT_AGENT_ID: 'agent:alice', HOME: w.base, JITP_JIT_BIN: '' },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

/** Live lease refs on the remote, read in the bare repository: issue ids. */
const remoteLeaseRefs = () =>
  git(w.bare, 'for-each-ref', '--format=%(refname:lstrip=3)', 'refs/jit-parallel/leases/')
    .split('\n')
    .filter(Boolean)
    .map(issueIdFromKey);
const localState = (clone: string) => join(clone, '.git/jit-parallel/state.json');
const localLeases = (clone: string): unknown[] =>
  existsSync(localState(clone)) ? readSnapshotSync(join(clone, '.git/jit-parallel')).leases : [];

test('remote: origin — acquire, verify sees the lease, issue done releases it on the remote', () => {
  const got = jitp(a, 'claim', 'acquire', 'T1', '--paths', 'src/a.ts', '--json');
  expect(got.code, got.stderr).toBe(0);
  const lease = got.json().lease;
  expect(remoteLeaseRefs()).toEqual(['T1']);
  expect(remoteState(w.bare, INDEX_REF).leases.map((l) => l.id)).toContain(lease.id);
  expect(localLeases(a)).toEqual([]); // nothing in a local store nobody else reads

  writeFileSync(join(a, 'src/a.ts'), 'export const a = 2;\n');
  const v = jitp(a, 'verify', 'T1', '--no-test', '--json');
  expect(v.code, v.stdout + v.stderr).toBe(0);
  const vj = v.json();
  expect(vj.issues[0]).toMatchObject({ id: 'T1', leaseId: lease.id, changed: ['src/a.ts'], findings: [] });
  expect(vj.stage).toEqual(['src/a.ts']);

  // Another machine sees it held before it is done.
  expect(jitp(b, 'claim', 'status', '--issue', 'T1').code).toBe(0);

  const done = jitp(a, 'issue', 'done', 'T1', '--json');
  expect(done.code, done.stdout + done.stderr).toBe(0);
  expect(done.json().issues[0]).toMatchObject({ id: 'T1', changed: true, releasedLeases: [lease.id] });
  expect(readFileSync(join(a, '.jit-parallel/tasks/T1.md'), 'utf8')).toContain('state: done');
  // On the remote itself: the lease ref is gone (a release deletes only its lease ref).
  expect(remoteLeaseRefs()).toEqual([]);
  // And from the other machine, after a fetch.
  const listed = jitp(b, 'claim', 'list', '--remote', '--json');
  expect(listed.code, listed.stderr).toBe(0);
  expect(listed.json().leases).toEqual([]);
});

test('remote: origin — issues --available and plan see a hold taken on another machine', () => {
  expect(jitp(b, 'claim', 'acquire', 'T2', '--paths', 'src/b.ts', '--agent', 'agent:bob').code).toBe(0);
  try {
    expect(jitp(a, 'claim', 'sync').code).toBe(0); // the mirror is fresh for remoteMirrorMaxAge (60 s) otherwise
    const issues = jitp(a, 'issues', '--available', '--json');
    expect(issues.code, issues.stderr).toBe(0);
    expect(issues.json().issues.map((i: { id: string }) => i.id)).toEqual([]);
    const plan = jitp(a, 'plan', 'T2', '--json');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.json().excluded).toEqual([{ id: 'T2', reason: expect.stringContaining('agent:bob') }]);
  } finally {
    // Bob's machine, acting as bob (JIT_AGENT_ID here says alice: --impersonate, issue 13 item 3).
    expect(jitp(b, 'claim', 'release', 'T2', '--agent', 'agent:bob', '--impersonate').code).toBe(0);
  }
});

test('remote: origin — worktree add takes the lease on the remote; cleanup releases it there', () => {
  expect(jitp(a, 'claim', 'sync').code).toBe(0);
  const add = jitp(a, 'worktree', 'add', 'T2', '--json');
  expect(add.code, add.stdout + add.stderr).toBe(0);
  expect(remoteLeaseRefs()).toEqual(['T2']);
  expect(localLeases(a)).toEqual([]);
  const clean = jitp(a, 'cleanup', '--json');
  expect(clean.code, clean.stdout + clean.stderr).toBe(0);
  expect(clean.json().cleaned).toEqual([expect.objectContaining({ issue: 'T2', releasedLease: true })]);
  expect(remoteLeaseRefs()).toEqual([]);
});
