// Issue 13, items 7 and 9 at the CLI: ids with shell metacharacters stop at the door with the
// allowed characters named; `jitp doctor` reports two live leases on one path.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { readStateFile } from '../../src/store/local/snapshot-read.js';
import { makeRepo, tempDir, type TempRepo } from '../support/git.js';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((f) => f()));
const home = tempDir('jitp-home-');
cleanups.push(() => rmSync(home, { recursive: true, force: true }));

async function jitp(cwd: string, args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: { HOME: home, PATH: process.env.PATH, JIT_AGENT_ID: 'agent:alice' } as NodeJS.ProcessEnv,
    cwd,
    interactive: false,
  });
  return { code, stdout, stderr };
}

function repo(): TempRepo {
  const r = makeRepo({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\n' });
  cleanups.push(r.cleanup);
  return r;
}

describe('issue ids at the door', () => {
  it.each(['$(touch pwned)', '`touch pwned`', "x'y", 'a;touch pwned', 'a b', '-rf'])(
    'claim acquire %j: exit 2, names the allowed characters, acquires nothing',
    async (id) => {
      const r = repo();
      const a = await jitp(r.root, ['claim', 'acquire', '--paths', 'src/a.ts', '--', id]);
      expect(a.code).toBe(2);
      expect(a.stderr).toMatch(/invalid issue id/);
      expect(a.stderr).toContain('letters, digits and . _ - : # @ +');
      expect(existsSync(join(r.root, 'pwned'))).toBe(false);
      const l = await jitp(r.root, ['claim', 'list', '--json']);
      expect(JSON.parse(l.stdout).leases ?? []).toEqual([]);
    },
  );
  it('a plain free-form id still works', async () => {
    const r = repo();
    expect((await jitp(r.root, ['claim', 'acquire', 'gh#42', '--paths', 'src/a.ts'])).code).toBe(0);
  });
});

describe('jitp doctor', () => {
  it('two live leases on one path: a problem (exit 1) naming both, with the fix', async () => {
    const r = repo();
    expect((await jitp(r.root, ['claim', 'acquire', 'T-1', '--paths', 'src/a.ts'])).code).toBe(0);
    expect((await jitp(r.root, ['claim', 'acquire', 'T-2', '--paths', 'src/b.ts'])).code).toBe(0);
    const healthy = await jitp(r.root, ['doctor']);
    expect(healthy.code, healthy.stdout).toBe(0);
    // A hand-edited (or merged) state: T-2 now also holds src/a.ts.
    const file = join(r.root, '.git', 'jit-parallel', 'state.json');
    // Written whole (schema 1, no index), of a generation past the delta's, so that it alone counts.
    const state = readStateFile(join(r.root, '.git', 'jit-parallel'))!;
    const leases = state.leases.map((l, i) => (i === 1 ? { ...l, paths: ['src/b.ts', 'src/*.ts'] } : l));
    writeFileSync(file, JSON.stringify({ ...state, schemaVersion: 1, gen: 99, marked: undefined, leases }));
    const d = await jitp(r.root, ['doctor', '--json']);
    expect(d.code).toBe(1);
    const rep = JSON.parse(d.stdout);
    const c = rep.checks.find((x: { name: string }) => x.name === 'leases');
    expect(c).toMatchObject({ status: 'problem' });
    expect(c.message).toContain('src/a.ts / src/*.ts');
    expect(c.message).toContain('issue T-1');
    expect(c.message).toContain('issue T-2');
    expect(c.fix).toContain('jitp claim release T-2 --agent agent:alice');
    const text = await jitp(r.root, ['doctor']);
    expect(text.stdout).toMatch(/FAIL {2}two live leases hold the same path/);
  });
});
