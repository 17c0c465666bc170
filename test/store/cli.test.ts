import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { makeRepo, tempDir, type TempRepo } from '../support/git.js';
import { DIST_JITP } from '../support/paths.js';
import { jitFixture } from '../sources/fixture.js';
import { run } from '../../src/cli/main.js';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((f) => f()));
const home = tempDir('jitp-home-');
cleanups.push(() => rmSync(home, { recursive: true, force: true }));

async function jitp(cwd: string, args: string[], env: Record<string, string | undefined> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: { HOME: home, PATH: process.env.PATH, JIT_AGENT_ID: 'agent:alice', ...env } as NodeJS.ProcessEnv,
    cwd,
    interactive: false,
  });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

function repo(files?: Record<string, string>): TempRepo {
  const r = makeRepo(files);
  cleanups.push(r.cleanup);
  return r;
}

const FIXTURE = jitFixture();

describe('jitp claim (CLI)', () => {
  it('acquire / list / status / renew / extend / release with documented JSON shapes', async () => {
    const r = repo();
    const a = await jitp(r.root, [
      'claim',
      'acquire',
      'T-1',
      '--paths',
      'src/auth/,docs/*.md',
      '--ttl',
      '10m',
      '--json',
    ]);
    expect(a.code).toBe(0);
    const lease = a.json().lease;
    expect(lease).toMatchObject({
      issueId: 'T-1',
      agentId: 'agent:alice',
      paths: ['src/auth/**', 'docs/*.md'],
      ttlSecs: 600,
      token: 1,
      live: true,
      worktree: null,
      branch: 'main',
    });
    // The binding secret only when asked for (issue 13, item 2: Bash output lands in the transcript).
    expect(lease.bindSecret).toBeUndefined();
    const secretRepo = repo();
    const withSecret = await jitp(secretRepo.root, ['claim', 'acquire', 'T-1', '--json', '--secret']);
    expect(withSecret.json().lease.bindSecret).toMatch(/^[0-9a-f]{32}$/);
    expect(lease.secondsLeft).toBeGreaterThan(590);

    const held = await jitp(r.root, [
      'claim',
      'acquire',
      'T-2',
      '--paths',
      'src/**/login.ts',
      '--agent',
      'agent:bob',
      '--json',
    ]);
    expect(held.code).toBe(3);
    expect(held.json().error).toMatchObject({
      code: 'E_HELD',
      exitCode: 3,
      details: { holder: { agentId: 'agent:alice', issueId: 'T-1', leaseId: lease.id } },
    });
    const heldText = await jitp(r.root, ['claim', 'acquire', 'T-1', '--agent', 'agent:bob']);
    expect(heldText.code).toBe(3);
    expect(heldText.stderr).toMatch(/issue T-1 held by agent:alice .*lease L-[0-9a-f]+.* until .*left/);
    expect(heldText.stderr).toContain('jitp claim evict');

    const list = await jitp(r.root, ['claim', 'list', '--json']);
    expect(list.json()).toMatchObject({ version: 1, leases: [{ id: lease.id }] });
    expect(list.json().leases[0].bindSecret).toBeUndefined();
    const text = await jitp(r.root, ['claim', 'list']);
    expect(text.stdout).toMatch(/^lease +issue +agent +token +left +branch +paths$/m);
    expect(text.stdout).toMatch(new RegExp(`^${lease.id} {2}T-1 {4}agent:alice {6}1 {2}9m5\\ds {2}`, 'm'));

    expect((await jitp(r.root, ['claim', 'status', '--issue', 'T-1', '--json'])).json()).toMatchObject({
      held: true,
      issue: 'T-1',
    });
    const free = await jitp(r.root, ['claim', 'status', '--issue', 'T-9', '--json']);
    expect(free.code).toBe(1);
    expect(free.json()).toMatchObject({ held: false, leases: [] });
    expect((await jitp(r.root, ['claim', 'status', '--agent', 'agent:bob', '--json'])).json().leases).toEqual([]);

    expect(
      (await jitp(r.root, ['claim', 'renew', 'T-1', '--token', '1', '--ttl', '1h', '--json'])).json().lease,
    ).toMatchObject({ token: 1, ttlSecs: 3600 });
    expect((await jitp(r.root, ['claim', 'renew', 'T-1', '--token', '5'])).code).toBe(6);
    expect((await jitp(r.root, ['claim', 'renew', 'T-1'], { JIT_AGENT_ID: 'agent:bob' })).code).toBe(6);
    // Naming bob while being alice is refused before the store is asked (issue 13, item 3).
    expect((await jitp(r.root, ['claim', 'renew', 'T-1', '--agent', 'agent:bob'])).code).toBe(9);
    const ext = await jitp(r.root, ['claim', 'extend', 'T-1', '--paths', 'lib/x.ts', '--json']);
    expect(ext.json().lease.paths).toEqual(['src/auth/**', 'docs/*.md', 'lib/x.ts']);
    expect((await jitp(r.root, ['claim', 'extend', 'T-1'])).code).toBe(2);

    const rel = await jitp(r.root, ['claim', 'release', 'T-1', '--json']);
    expect(rel.code).toBe(0);
    expect(rel.json().released.id).toBe(lease.id);
    expect((await jitp(r.root, ['claim', 'release', 'T-1'])).code).toBe(6);
    expect(
      (await jitp(r.root, ['claim', 'acquire', 'T-2', '--paths', 'src/**/login.ts', '--agent', 'agent:bob'])).code,
    ).toBe(0);
  });

  it('evict is recorded with who and why; the evicted holder loses its lease (exit 6)', async () => {
    const r = repo();
    const id = (await jitp(r.root, ['claim', 'acquire', 'T-1', '--json'])).json().lease.id;
    expect((await jitp(r.root, ['claim', 'evict', id])).code).toBe(2);
    const ev = await jitp(r.root, [
      'claim',
      'evict',
      id,
      '--reason',
      'agent crashed',
      '--agent',
      'agent:admin',
      '--impersonate',
      '--json',
    ]);
    expect(ev.json()).toMatchObject({ evicted: { id }, by: 'agent:admin', reason: 'agent crashed' });
    expect((await jitp(r.root, ['claim', 'evict', id, '--reason', 'again', '--json'])).code).toBe(4);
    expect((await jitp(r.root, ['claim', 'release', 'T-1'])).code).toBe(6);
  });

  it('identity: unset is agent:claude, malformed is exit 9 saying how to set it; agent.toml is read', async () => {
    const r = repo();
    const none = await jitp(r.root, ['claim', 'acquire', 'T-1', '--json'], { JIT_AGENT_ID: undefined });
    expect(none.code, none.stderr).toBe(0);
    expect(none.json().lease.agentId).toBe('agent:claude');
    const bad = await jitp(r.root, ['claim', 'release', 'T-1'], { JIT_AGENT_ID: 'claude' });
    expect(bad.code).toBe(9);
    expect(bad.stderr).toContain('JIT_AGENT_ID');
    expect((await jitp(r.root, ['claim', 'release', 'T-1'], { JIT_AGENT_ID: undefined })).code).toBe(0);
    const h = tempDir('jitp-home-');
    cleanups.push(() => rmSync(h, { recursive: true, force: true }));
    mkdirSync(join(h, '.config/jit'), { recursive: true });
    writeFileSync(join(h, '.config/jit/agent.toml'), '[agent]\nid = "agent:tomlish"\n');
    const ok = await jitp(r.root, ['claim', 'acquire', 'T-1', '--json'], { JIT_AGENT_ID: undefined, HOME: h });
    expect(ok.json().lease.agentId).toBe('agent:tomlish');
  });

  it('jit store: unique prefixes resolve to the full uuid; ambiguous and unknown are exit 4', async () => {
    const r = repo();
    cpSync(FIXTURE, join(r.root, '.jit'), { recursive: true });
    const ids = readdirSync(join(r.root, '.jit/issues'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5));
    const target = ids[0]!;
    const a = await jitp(r.root, ['claim', 'acquire', target.slice(0, 8), '--json']);
    expect(a.code).toBe(0);
    expect(a.json().lease.issueId).toBe(target);
    // Short id and uuid are one key: the same issue cannot be leased twice.
    expect((await jitp(r.root, ['claim', 'acquire', target, '--agent', 'agent:bob'])).code).toBe(3);
    expect((await jitp(r.root, ['claim', 'release', target.slice(0, 6).toUpperCase()])).code).toBe(0);
    // Two issues sharing a prefix (added next to the real ones).
    writeFileSync(join(r.root, '.jit/issues/ffff0000-0000-4000-8000-000000000001.json'), '{}');
    writeFileSync(join(r.root, '.jit/issues/ffff0000-0000-4000-8000-000000000002.json'), '{}');
    const amb = await jitp(r.root, ['claim', 'acquire', 'ffff', '--json']);
    expect(amb.code).toBe(4);
    expect(amb.json().error.details.candidates).toEqual([
      'ffff0000-0000-4000-8000-000000000001',
      'ffff0000-0000-4000-8000-000000000002',
    ]);
    expect((await jitp(r.root, ['claim', 'acquire', 'eeee9999'])).code).toBe(4);
    // Well-formed but no jit uuid can have it: unknown (exit 4), like any typo (issue 14, item 7).
    expect((await jitp(r.root, ['claim', 'acquire', 'not-a-uuid'])).code).toBe(4);
  });

  it('linked worktrees share one store; the lease records its worktree and branch; config ttl applies', async () => {
    const r = repo({ 'README.md': 'x', '.jit-parallel.yaml': 'ttl: 5m\n' });
    const wt1 = r.addWorktree('wt1', 'feature-1');
    const wt2 = r.addWorktree('wt2', 'feature-2');
    const a = await jitp(wt1, ['claim', 'acquire', 'T-1', '--paths', join(wt1, 'src/a.ts'), '--json']);
    expect(a.json().lease).toMatchObject({ worktree: wt1, branch: 'feature-1', paths: ['src/a.ts'], ttlSecs: 300 });
    const l = await jitp(wt2, ['claim', 'list', '--json']);
    expect(l.json().leases.map((x: { issueId: string }) => x.issueId)).toEqual(['T-1']);
    expect((await jitp(wt2, ['claim', 'acquire', 'T-2', '--paths', 'src/*.ts', '--agent', 'agent:bob'])).code).toBe(3);
    // An absolute path into ANOTHER checkout is not inside this worktree.
    const esc = await jitp(wt2, ['claim', 'acquire', 'T-3', '--paths', join(wt1, 'src/b.ts'), '--agent', 'agent:bob']);
    expect(esc.code).toBe(2);
    expect(esc.stderr).toContain('escapes the repository');
    // From the main checkout, for another worktree: relative paths are relative to that worktree's top.
    const other = await jitp(r.root, [
      'claim',
      'acquire',
      'T-4',
      '--worktree',
      wt2,
      '--paths',
      'lib/z.ts',
      '--agent',
      'agent:carol',
      '--json',
    ]);
    expect(other.json().lease).toMatchObject({ worktree: wt2, branch: 'feature-2', paths: ['lib/z.ts'] });
    // From a subfolder, relative paths are relative to it.
    mkdirSync(join(wt1, 'pkg', 'sub'), { recursive: true });
    const sub = await jitp(join(wt1, 'pkg', 'sub'), [
      'claim',
      'acquire',
      'T-5',
      '--paths',
      'x.ts,../y/*.ts',
      '--agent',
      'agent:dave',
      '--json',
    ]);
    expect(sub.json().lease.paths).toEqual(['pkg/sub/x.ts', 'pkg/y/*.ts']);
  });

  it('doctor: reports a corrupt state (exit 1), --repair rebuilds it from the log (exit 0)', async () => {
    const r = repo();
    await jitp(r.root, ['claim', 'acquire', 'T-1', '--paths', 'a']);
    await jitp(r.root, ['claim', 'acquire', 'T-2', '--paths', 'b']);
    const state = join(r.root, '.git/jit-parallel/state.json');
    writeFileSync(state, '{"schemaVersion":1,"vers');
    expect((await jitp(r.root, ['claim', 'acquire', 'T-3'])).code).toBe(5);
    const d = await jitp(r.root, ['doctor']);
    expect(d.code).toBe(1);
    expect(d.stdout).toContain('state.json is corrupt');
    expect(d.stdout).toContain('jitp doctor --repair');
    const rep = await jitp(r.root, ['doctor', '--repair', '--json']);
    expect(rep.code).toBe(0);
    expect(rep.json().repaired.join('\n')).toMatch(/rebuilt state\.json from 2 event\(s\)/);
    expect(readdirSync(dirname(state)).some((f) => f.startsWith('state.json.corrupt-'))).toBe(true);
    expect(
      (await jitp(r.root, ['claim', 'list', '--json'])).json().leases.map((x: { issueId: string }) => x.issueId),
    ).toEqual(['T-1', 'T-2']);
  });

  it('doctor: a lock left by a dead process is reported and removed by --repair; temp files too', async () => {
    const r = repo();
    await jitp(r.root, ['claim', 'acquire', 'T-1']);
    const dir = join(r.root, '.git/jit-parallel');
    writeFileSync(
      join(dir, 'lock'),
      JSON.stringify({ pid: 999_999_999, host: hostname(), nonce: 'dead', acquiredAt: new Date().toISOString() }),
    );
    writeFileSync(join(dir, '.state.json.999999999.abcdef.tmp'), '{');
    const d = await jitp(r.root, ['doctor', '--json']);
    expect(d.code).toBe(1);
    expect(d.json().checks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'lock',
          status: 'problem',
          message: expect.stringContaining('pid 999999999 is dead'),
        }),
      ]),
    );
    const rep = await jitp(r.root, ['doctor', '--repair']);
    expect(rep.code).toBe(0);
    expect(rep.stdout).toContain('removed stale lock');
    expect(rep.stdout).toContain('removed temp file');
    expect(readdirSync(dir).sort()).toEqual(['events.jsonl', 'state.bloom', 'state.json']);
  });

  it('outside a git repository: exit 7', async () => {
    const d = tempDir('jitp-nogit-');
    cleanups.push(() => rmSync(d, { recursive: true, force: true }));
    expect((await jitp(d, ['claim', 'list'])).code).toBe(7);
  });

  it('--help documents the JSON shape and exit codes', async () => {
    const h = await jitp(process.cwd(), ['claim', 'acquire', '--help']);
    expect(h.stdout).toContain('JSON: {"lease"');
    expect(h.stdout).toContain('3 held by another lease');
  });

  it('read-only store folder (bundle, as an unprivileged user): E_STORE exit 5, no partial files', () => {
    const r = repo();
    const run1 = spawnSync(process.execPath, [DIST_JITP, 'claim', 'acquire', 'T-1'], {
      cwd: r.root,
      env: { ...process.env, JIT_AGENT_ID: 'agent:a' },
      encoding: 'utf8',
    });
    expect(run1.status).toBe(0);
    const dir = join(r.root, '.git/jit-parallel');
    chmodSync(dir, 0o555);
    const asRoot = process.getuid?.() === 0;
    let bundle = DIST_JITP;
    if (asRoot) {
      // root ignores permissions: run as nobody, with everything it must read made readable. The
      // checkout itself may sit in a folder nobody cannot enter (CI clones into a 0700 mktemp
      // folder; /root is 0700), so nobody runs a copy of the bundle from a temp folder.
      for (let p = r.root; p !== '/'; p = dirname(p)) if (p.startsWith(tmpdir())) chmodSync(p, 0o755);
      const copy = tempDir('jitp-bundle-');
      cleanups.push(() => rmSync(copy, { recursive: true, force: true }));
      cpSync(dirname(DIST_JITP), join(copy, 'dist'), { recursive: true });
      for (let p = copy; p !== '/' && p.startsWith(tmpdir()); p = dirname(p)) chmodSync(p, 0o755);
      bundle = join(copy, 'dist', basename(DIST_JITP));
    }
    const run2 = spawnSync(process.execPath, [bundle, 'claim', 'acquire', 'T-2'], {
      cwd: r.root,
      env: { ...process.env, JIT_AGENT_ID: 'agent:a', HOME: '/nonexistent' },
      encoding: 'utf8',
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    chmodSync(dir, 0o755);
    expect(run2.stderr).toContain('lease store');
    expect(run2.stderr).toContain(dir);
    expect(run2.status).toBe(5);
    expect(readdirSync(dir).sort()).toEqual(['events.jsonl', 'state.bloom', 'state.json']);
  });
});
