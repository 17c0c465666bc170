// The commit-time backstop with real git: installed through the bundle, chained with an
// existing hook, correct in linked worktrees and under core.hooksPath, and aware of remote
// leases (a bare remote and two clones).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, chmodSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { LocalLeaseStore } from '../../../src/store/local/local-store.js';
import { GIT_ENV, makeRepo, type TempRepo } from '../../support/git.js';
import { DIST_JITP } from '../../support/paths.js';
import { makeWorld, type World } from '../../remote/world.js';

let repo: TempRepo;
let store: LocalLeaseStore;
beforeEach(() => {
  repo = makeRepo({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\n' });
  store = new LocalLeaseStore({ storeDir: join(repo.root, '.git', 'jit-parallel') });
});
afterEach(() => repo.cleanup());

const baseEnv = () => {
  const env: NodeJS.ProcessEnv = { ...process.env, ...GIT_ENV, HOME: repo.root + '/.nohome' };
  delete env.JIT_AGENT_ID;
  delete env.JITP_LEASE;
  return env;
};
const jitp = (cwd: string, ...args: string[]) =>
  JSON.parse(execFileSync(process.execPath, [DIST_JITP, ...args, '--json'], { cwd, encoding: 'utf8', env: baseEnv() }));
function commit(cwd: string, file: string, env: Record<string, string> = {}) {
  writeFileSync(join(cwd, file), `change ${Math.random()}\n`);
  execFileSync('git', ['add', file], { cwd, env: baseEnv() });
  return spawnSync('git', ['commit', '-q', '-m', `edit ${file}`], {
    cwd,
    encoding: 'utf8',
    env: { ...baseEnv(), ...env },
  });
}

describe('jitp install-git-hooks', () => {
  test('refuses a commit of a file held by another live lease; allows free files and the holder', async () => {
    const L = await store.acquire({ issueId: 'issue-b', agentId: 'agent:worker', paths: ['src/b.ts'] });
    expect(jitp(repo.root, 'install-git-hooks')).toMatchObject({ action: 'installed', chained: null });
    const refused = commit(repo.root, 'src/b.ts', { JIT_AGENT_ID: 'agent:someone-else' });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain(`src/b.ts: lease ${L.id} of issue issue-b, held by agent:worker until`);
    expect(refused.stderr).toContain('git restore --staged');
    execFileSync('git', ['restore', '--staged', 'src/b.ts'], { cwd: repo.root });
    expect(commit(repo.root, 'src/a.ts').status).toBe(0);
    expect(commit(repo.root, 'src/b.ts', { JIT_AGENT_ID: 'agent:worker' }).status).toBe(0);
    execFileSync('git', ['reset', '-q', '--hard'], { cwd: repo.root });
    expect(commit(repo.root, 'src/b.ts', { JITP_LEASE: L.id }).status).toBe(0);
  });

  test("with JIT_AGENT_ID unset the skills' default agent:claude commits its own leases", async () => {
    await store.acquire({ issueId: 'issue-a', agentId: 'agent:claude', paths: ['src/a.ts'] });
    jitp(repo.root, 'install-git-hooks');
    expect(commit(repo.root, 'src/a.ts').status).toBe(0);
    expect(commit(repo.root, 'src/a.ts', { JIT_AGENT_ID: 'agent:other' }).status).not.toBe(0);
  });

  test('chains an existing pre-commit hook, is idempotent, and uninstall restores it', async () => {
    const hooks = join(repo.root, '.git', 'hooks');
    mkdirSync(hooks, { recursive: true });
    writeFileSync(join(hooks, 'pre-commit'), `#!/bin/sh\necho ran >> "${join(repo.root, '.git', 'old-hook-ran')}"\n`);
    chmodSync(join(hooks, 'pre-commit'), 0o755);
    expect(jitp(repo.root, 'install-git-hooks')).toMatchObject({
      action: 'installed',
      chained: join(hooks, 'pre-commit.pre-jitp'),
    });
    expect(jitp(repo.root, 'install-git-hooks')).toMatchObject({ action: 'updated' });
    expect(commit(repo.root, 'src/a.ts').status).toBe(0);
    expect(readFileSync(join(repo.root, '.git', 'old-hook-ran'), 'utf8')).toBe('ran\n');
    await store.acquire({ issueId: 'issue-a', agentId: 'agent:worker', paths: ['src/a.ts'] });
    expect(commit(repo.root, 'src/a.ts').status).not.toBe(0);
    expect(readFileSync(join(repo.root, '.git', 'old-hook-ran'), 'utf8')).toBe('ran\n'); // refused before the chain
    expect(jitp(repo.root, 'install-git-hooks', '--uninstall')).toMatchObject({ action: 'uninstalled' });
    expect(readFileSync(join(hooks, 'pre-commit'), 'utf8')).toContain('old-hook-ran');
    expect(existsSync(join(hooks, 'pre-commit.pre-jitp'))).toBe(false);
  });

  test("linked worktree: one install covers it; the worktree's own lease is the committer's", async () => {
    const wt = repo.addWorktree('wt-b');
    await store.acquire({ issueId: 'issue-b', agentId: 'agent:worker', paths: ['src/b.ts'], worktree: wt });
    const r = jitp(wt, 'install-git-hooks');
    expect(r.hooksDir).toBe(join(repo.root, '.git', 'hooks'));
    expect(commit(wt, 'src/b.ts').status).toBe(0); // mine: committed in the lease's worktree
    const main = commit(repo.root, 'src/b.ts');
    expect(main.status).not.toBe(0); // the main checkout is not that worktree
    expect(main.stderr).toContain('issue-b');
  });

  test('core.hooksPath is where git looks, so that is where the hook goes', async () => {
    execFileSync('git', ['config', 'core.hooksPath', '.githooks'], { cwd: repo.root });
    const r = jitp(repo.root, 'install-git-hooks');
    expect(r.hook).toBe(join(repo.root, '.githooks', 'pre-commit'));
    await store.acquire({ issueId: 'issue-a', agentId: 'agent:worker', paths: ['src/a.ts'] });
    expect(commit(repo.root, 'src/a.ts').status).not.toBe(0);
  });

  test('hook pre-commit --json: the shape, and no live lease means ok at once', async () => {
    expect(jitp(repo.root, 'hook', 'pre-commit')).toEqual({ ok: true, staged: 0, blocked: [] });
    const L = await store.acquire({ issueId: 'issue-a', agentId: 'agent:worker', paths: ['src/**'] });
    writeFileSync(join(repo.root, 'src/a.ts'), 'x\n');
    execFileSync('git', ['add', 'src/a.ts'], { cwd: repo.root });
    const r = spawnSync(process.execPath, [DIST_JITP, 'hook', 'pre-commit', '--json'], {
      cwd: repo.root,
      encoding: 'utf8',
      env: baseEnv(),
    });
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      staged: 1,
      blocked: [{ path: 'src/a.ts', holders: [{ leaseId: L.id, issueId: 'issue-a', agentId: 'agent:worker' }] }],
    });
  });
});

describe('pre-commit with remote leases: a bare remote and two clones (machines)', () => {
  let w: World;
  beforeEach(() => {
    w = makeWorld(2);
    for (const c of w.clones) mkdirSync(join(c, 'src'), { recursive: true });
  });
  afterEach(() => w.cleanup());
  const run = (cwd: string, ...args: string[]) =>
    spawnSync(process.execPath, [DIST_JITP, ...args], { cwd, encoding: 'utf8', env: baseEnv() });

  test(
    "another machine's lease refuses the commit even under the same agent name; the message says how fresh the " +
      'view was',
    () => {
      const [a, b] = w.clones as [string, string];
      // Machine A takes src/b.ts under the skills' default name, the one B commits as too.
      const got = run(
        a,
        'claim',
        'acquire',
        'issue-b',
        '--paths',
        'src/b.ts',
        '--remote',
        'origin',
        '--agent',
        'agent:claude',
        '--json',
      );
      expect(got.status, got.stderr).toBe(0);
      const L = JSON.parse(got.stdout).lease;
      for (const c of [a, b]) expect(run(c, 'install-git-hooks').status).toBe(0);
      expect(run(b, 'claim', 'sync', 'origin').status).toBe(0);
      // No network on the commit path: B's remote is unreachable from here on, its mirror decides.
      execFileSync('git', ['remote', 'set-url', 'origin', join(w.base, 'gone.git')], { cwd: b });
      const refused = commit(b, 'src/b.ts');
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toContain(`src/b.ts: lease ${L.id} of issue issue-b, held by agent:claude`);
      expect(refused.stderr).toMatch(new RegExp(`on host ${L.host} \\(remote 'origin' leases as of \\d+s ago`));
      expect(refused.stderr).toContain('`jitp claim sync origin` refreshes it');
      const json = run(b, 'hook', 'pre-commit', '--json');
      expect(json.status).toBe(3);
      expect(JSON.parse(json.stdout).blocked[0].holders[0]).toMatchObject({
        leaseId: L.id,
        remote: 'origin',
        host: L.host,
        view: expect.stringMatching(/^remote 'origin' leases as of/),
      });
      // Naming the lease makes it B's (the escape hatch for committing another machine's work).
      expect(commit(b, 'src/b.ts', { JITP_LEASE: L.id }).status).toBe(0);
      expect(commit(b, 'src/a.ts').status).toBe(0); // a file nobody holds
      // On A, the machine that acquired it, the lease is the committer's own.
      expect(commit(a, 'src/b.ts').status).toBe(0);
      expect(commit(a, 'src/b.ts', { JIT_AGENT_ID: 'agent:other' }).status).not.toBe(0);
    },
  );

  test('a release elsewhere frees the file once the mirror has seen it (claim sync), not before', () => {
    const [a, b] = w.clones as [string, string];
    expect(
      run(a, 'claim', 'acquire', 'issue-b', '--paths', 'src/**', '--remote', 'origin', '--agent', 'agent:alice').status,
    ).toBe(0);
    expect(run(b, 'install-git-hooks').status).toBe(0);
    expect(run(b, 'claim', 'sync', 'origin').status).toBe(0);
    expect(commit(b, 'src/b.ts').status).not.toBe(0);
    expect(run(a, 'claim', 'release', 'issue-b', '--remote', 'origin', '--agent', 'agent:alice').status).toBe(0);
    execFileSync('git', ['restore', '--staged', 'src/b.ts'], { cwd: b });
    expect(commit(b, 'src/b.ts').status).not.toBe(0); // B's view is older than the release
    expect(run(b, 'claim', 'sync', 'origin').status).toBe(0);
    expect(commit(b, 'src/b.ts').status).toBe(0);
  });
});
