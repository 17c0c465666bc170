// The shipped bundle: `jitp claim … --remote`, config `remote:`, `claim list --remote`, `claim sync`.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { INDEX_REF } from '../../src/remote/layout.js';
import { git } from '../support/git.js';
import { DIST_JITP } from '../support/paths.js';
import { makeWorld, remoteState, type World } from './world.js';
import { budget } from '../support/budget.js';

let w: World;
beforeAll(() => {
  w = makeWorld(2);
});
afterAll(() => w.cleanup());

function jitp(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [DIST_JITP, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, JIT_AGENT_ID: '', HOME: w.base },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

test('acquire on one machine, denied on another with the holder and its host, listed everywhere', () => {
  const [a, b] = w.clones as [string, string];
  const got = jitp(
    a,
    'claim',
    'acquire',
    'issue-1',
    '--paths',
    'src/**',
    '--remote',
    'origin',
    '--agent',
    'agent:alice',
    '--json',
    '--secret',
  );
  expect(got.code).toBe(0);
  const lease = got.json().lease;
  expect(lease.host).toBeTypeOf('string');
  expect(lease.bindSecret).toMatch(/^[0-9a-f]{32}$/);
  expect(remoteState(w.bare, INDEX_REF).leases[0]!.id).toBe(lease.id);

  const denied = jitp(
    b,
    'claim',
    'acquire',
    'issue-2',
    '--paths',
    'src/a.ts',
    '--remote',
    'origin',
    '--agent',
    'agent:bob',
    '--json',
  );
  expect(denied.code).toBe(3);
  const err = denied.json().error;
  expect(err.code).toBe('E_HELD');
  expect(err.message).toContain("remote 'origin'");
  expect(err.message).toContain(`host ${lease.host}`);
  expect(err.hint).toContain('jitp claim status --remote origin');

  const listed = jitp(b, 'claim', 'list', '--remote', '--json');
  expect(listed.code).toBe(0);
  const l = listed.json();
  expect(l.remote.name).toBe('origin');
  expect(l.remote.source).toBe('fetch');
  expect(l.leases.map((x: { id: string; host: string; bindSecret?: string }) => [x.id, x.host, x.bindSecret])).toEqual([
    [lease.id, lease.host, undefined],
  ]);
  const text = jitp(b, 'claim', 'list', '--remote', 'origin');
  expect(text.stdout).toMatch(/remote 'origin' as of .* store version 1/);
  expect(text.stdout).toMatch(/^lease +issue +agent +token +left +branch +host +paths$/m);
  expect(text.stdout).toMatch(new RegExp(`^${lease.id} .* ${lease.host} +src/\\*\\*$`, 'm'));
});

test('config `remote: origin` selects the remote backend without a flag; sync and status read it', () => {
  const [a, b] = w.clones as [string, string];
  for (const c of [a, b]) writeFileSync(join(c, '.jit-parallel.yaml'), 'remote: origin\nremoteMirrorMaxAge: 10m\n');
  const rel = jitp(a, 'claim', 'release', 'issue-1', '--agent', 'agent:alice');
  expect(rel.code, rel.stderr).toBe(0);
  expect(git(w.bare, 'for-each-ref', 'refs/jit-parallel/leases/')).toBe(''); // released: its ref is gone
  // b's mirror still shows alice (10 min max age): status answers from it without the network…
  const st = jitp(b, 'claim', 'status', '--issue', 'issue-1', '--json');
  expect(st.code).toBe(0);
  expect(st.json().remote.ageSecs).toBeGreaterThanOrEqual(0);
  // …until a sync.
  const sync = jitp(b, 'claim', 'sync', '--json');
  expect(sync.code).toBe(0);
  expect(sync.json()).toMatchObject({ fetched: true, version: 1, leases: 0, live: 0 }); // a release leaves the version
  expect(jitp(b, 'claim', 'status', '--issue', 'issue-1').code).toBe(1);
  const again = jitp(b, 'claim', 'sync', '--max-age', '5m', '--json');
  expect(again.json().fetched).toBe(false);
  expect(jitp(b, 'claim', 'acquire', 'issue-2', '--paths', 'src/a.ts', '--agent', 'agent:bob').code).toBe(0);
});

test('bad remote names and unreachable remotes: documented exit codes and hints', () => {
  const [a] = w.clones as [string];
  const bad = jitp(a, 'claim', 'acquire', 'x', '--remote=-oProxyCommand=x', '--agent', 'agent:a', '--json');
  expect(bad.code).toBe(2);
  git(a, 'remote', 'add', 'gone', join(w.base, 'nope.git'));
  const gone = jitp(a, 'claim', 'list', '--remote', 'gone', '--json');
  expect(gone.code).toBe(7);
  expect(gone.json().error.code).toBe('E_REMOTE_UNREACHABLE');
  expect(gone.json().error.hint).toContain('git ls-remote gone');
  expect(jitp(a, 'claim', 'sync', '--help').stdout).toContain('Exit codes');
});

test('reads fall back to an old mirror, with a warning, when the remote is unreachable; writes do not', async () => {
  const [a] = w.clones as [string];
  writeFileSync(join(a, '.jit-parallel.yaml'), 'remote: origin\nremoteMirrorMaxAge: 1\n');
  expect(jitp(a, 'claim', 'sync').code).toBe(0);
  await new Promise((r) => setTimeout(r, 1100));
  git(a, 'remote', 'set-url', 'origin', join(w.base, 'moved.git'));
  try {
    const st = jitp(a, 'claim', 'list', '--json');
    expect(st.code).toBe(0);
    expect(st.stderr).toMatch(/warning: .*cannot be reached.*showing the local mirror/);
    expect(st.json().remote.ageSecs).toBeGreaterThanOrEqual(1);
    const wr = jitp(a, 'claim', 'acquire', 'issue-9', '--agent', 'agent:a', '--json');
    expect(wr.code).toBe(7);
    expect(jitp(a, 'claim', 'list', '--remote').code).toBe(7); // an explicit fresh read does not fall back
  } finally {
    git(a, 'remote', 'set-url', 'origin', w.bare);
    writeFileSync(join(a, '.jit-parallel.yaml'), 'remote: origin\nremoteMirrorMaxAge: 10m\n');
  }
});

test('claim sync --check finds lease refs changed behind jitp and prints the fixing pushes', () => {
  const [a] = w.clones as [string];
  expect(jitp(a, 'claim', 'sync', 'origin', '--check').code).toBe(0);
  // A released lease is still listed by the index, without a ref: that is normal, not drift.
  expect(jitp(a, 'claim', 'acquire', 'issue-5', '--paths', 'docs/**', '--agent', 'agent:carol').code).toBe(0);
  expect(jitp(a, 'claim', 'release', 'issue-5', '--agent', 'agent:carol').code).toBe(0);
  expect(remoteState(w.bare, INDEX_REF).leases.map((l: { issueId: string }) => l.issueId)).toContain('issue-5');
  expect(jitp(a, 'claim', 'sync', 'origin', '--check').code).toBe(0);
  const st = remoteState(w.bare, INDEX_REF);
  const issueId = st.leases[0]!.issueId;
  const ref = `refs/jit-parallel/leases/${issueId}`;
  const commit = git(w.bare, 'rev-parse', ref);
  const main = git(w.bare, 'rev-parse', 'refs/heads/main');
  git(w.bare, 'update-ref', ref, main); // pointed elsewhere by hand
  git(w.bare, 'update-ref', 'refs/jit-parallel/leases/stray', commit);
  const r = jitp(a, 'claim', 'sync', 'origin', '--check', '--json');
  expect(r.code).toBe(1);
  const c = r.json().check;
  expect(c.consistent).toBe(false);
  expect(c.orphans.map((o: { issueId: string }) => o.issueId)).toEqual(['stray']);
  expect(c.mismatched).toEqual([{ issueId, ref, index: commit, remote: main }]);
  // A write on the drifted lease stops at once (no spinning until the retry budget) and says what to run.
  const t0 = Date.now();
  const drift = jitp(a, 'claim', 'release', issueId, '--agent', 'agent:bob', '--json');
  expect(drift.code).toBe(5);
  expect(drift.json().error.code).toBe('E_REMOTE_DRIFT');
  expect(drift.json().error.hint).toContain('jitp claim sync origin --check --repair');
  expect(Date.now() - t0).toBeLessThan(Math.min(budget(15_000), 25_000)); // well inside the 30 s retry budget
  const text = jitp(a, 'claim', 'sync', 'origin', '--check');
  expect(text.stdout).toContain('jitp claim sync origin --check --repair');
  expect(jitp(a, 'claim', 'sync', 'origin', '--repair').code).toBe(2);
  const fixed = jitp(a, 'claim', 'sync', 'origin', '--check', '--repair', '--json');
  expect(fixed.code, fixed.stdout).toBe(0);
  expect(fixed.json()).toMatchObject({ repaired: true, check: { consistent: true } });
  expect(git(w.bare, 'for-each-ref', '--format=%(refname)', 'refs/jit-parallel/leases/')).toBe(ref);
  // And the repaired lease works again through the normal CAS path.
  expect(jitp(a, 'claim', 'release', issueId, '--agent', 'agent:bob').code).toBe(0);
});
