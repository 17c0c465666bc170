// Real temp repositories with history: co-change and hot files from real git log, the one
// batched git grep, the CLI contract, task files, batch lists, leases, hostile input.
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { makeRepo, type TempRepo } from '../support/git.js';
import { jitFixture } from '../sources/fixture.js';

async function jitp(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string; json: any }> {
  let out = '';
  let err = '';
  const code = await run(argv, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    env: { ...process.env, JIT_AGENT_ID: 'agent:test', JITP_CONFIG: '' },
    cwd,
    interactive: false,
  });
  let json: any;
  try {
    json = JSON.parse(out);
  } catch {
    json = undefined;
  }
  return { code, out, err, json };
}

const task = (id: string, front: Record<string, unknown>, body: string) =>
  `---\nid: ${id}\n${Object.entries(front)
    .map(([k, v]) => `${k}: ${JSON.stringify(v)}`)
    .join('\n')}\n---\n${body}\n`;

describe('plan on a real repository with history', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = makeRepo({
      'package.json': JSON.stringify({ name: 'demo', bin: { demo: 'bin/demo' }, scripts: { test: 'x' } }),
      'src/index.ts': "export * from './auth';\n",
      'src/auth/login.ts': 'export function loginUser(name: string) { return name; }\n',
      'src/auth/session.ts': 'export class SessionStore {}\n',
      'src/billing/invoice.ts': 'export function makeInvoice() {}\n',
      'src/billing/tax.ts': 'export const TAX_RATE = 0.2;\n',
      'src/commands/run.ts': 'export const run = 1;\n',
      'src/commands/list.ts': 'export const list = 1;\n',
      'test/login.test.ts': "import { loginUser } from '../src/auth/login';\n",
      'CHANGELOG.md': '# changes\n',
      'assets/logo.bin': '\0\x01\x02loginUser\0',
    });
    // History: login and session change together; the changelog changes with most commits.
    for (let i = 0; i < 24; i++) {
      if (i % 3 === 0) {
        repo.write('src/auth/login.ts', `export function loginUser(name: string) { return name + ${i}; }\n`);
        repo.write('src/auth/session.ts', `export class SessionStore { v = ${i} }\n`);
      } else if (i % 3 === 1) repo.write('src/billing/invoice.ts', `export function makeInvoice() { return ${i}; }\n`);
      else repo.write('src/billing/tax.ts', `export const TAX_RATE = 0.${i};\n`);
      repo.write('CHANGELOG.md', `# changes ${i}\n`);
      repo.commit(`change ${i}`);
    }
    repo.write(
      '.jit-parallel/tasks/auth.md',
      task(
        'auth',
        { title: 'Fix login', files: ['src/auth/login.ts'] },
        'Make `loginUser()` trim names.\n\n## Acceptance Criteria\n- [ ] trims\n',
      ),
    );
    repo.write(
      '.jit-parallel/tasks/tax.md',
      task('tax', { title: 'Tax rate', depends_on: ['auth'] }, 'Change `TAX_RATE` in src/billing/tax.ts.'),
    );
    repo.write('.jit-parallel/tasks/docs.md', task('docs', { title: 'Docs' }, 'Write docs/guide.md.'));
    repo.write(
      '.jit-parallel/tasks/cmd.md',
      task('cmd', { title: 'New command' }, '## `demo report [--since <d>]`\nAdds a command.'),
    );
    repo.write('.jit-parallel/tasks/done.md', task('done', { title: 'Old', state: 'done' }, 'x'));
    repo.write('.jit-parallel/tasks/blocked.md', task('blocked', { title: 'Blocked', depends_on: ['ghost'] }, 'x'));
    repo.commit('tasks');
  });
  afterAll(() => repo.cleanup());

  it('predicts with reasons from text, grep, co-change and history; tiers and batches', async () => {
    const r = await jitp(repo.root, 'plan', 'auth', 'tax', 'docs', 'cmd', '--json');
    expect(r.code, r.out + r.err).toBe(0);
    const by = Object.fromEntries(r.json.issues.map((i: any) => [i.id, i]));
    const why = (id: string) => Object.fromEntries(by[id].predicted.map((p: any) => [p.path, p.kind]));
    expect(why('auth')).toMatchObject({
      'src/auth/login.ts': 'declared',
      'src/auth/session.ts': 'co-change',
      'test/login.test.ts': 'test',
    });
    // The changelog is both a co-change of login.ts and touched by most commits.
    expect(why('auth')['CHANGELOG.md']).toMatch(/co-change|hot-history/);
    expect(why('auth')['assets/logo.bin']).toBeUndefined(); // binary files never match the grep
    expect(why('tax')).toMatchObject({ 'src/billing/tax.ts': 'named' });
    expect(by.docs.newFiles).toEqual(['docs/guide.md']);
    expect(why('cmd')).toMatchObject({ 'src/commands/report.ts': 'command' });
    expect(by.auth.hotFiles).toContain('CHANGELOG.md');
    expect(by.auth.tier).toBe('RED');
    // Every issue touches the changelog (a hot file edited by most commits): all pairs conflict.
    expect(r.json.conflicts.find((c: any) => c.pair.includes('auth') && c.pair.includes('tax')).reason).toMatch(
      /hot file CHANGELOG.md/,
    );
    // tax depends on auth, so auth runs in an earlier batch.
    const at = (id: string) => r.json.batches.findIndex((b: string[]) => b.includes(id));
    expect(at('auth')).toBeLessThan(at('tax'));
    expect(r.json.excluded).toEqual([]);
  });

  it('jitp issues lists task files with criteria and availability', async () => {
    const r = await jitp(repo.root, 'issues', '--json');
    expect(r.json.source).toBe('tasks');
    const by = Object.fromEntries(r.json.issues.map((i: any) => [i.id, i]));
    expect(by.auth).toMatchObject({
      title: 'Fix login',
      acceptanceCriteria: ['trims'],
      declaredFiles: ['src/auth/login.ts'],
      available: true,
    });
    expect(by.tax).toMatchObject({ available: false, unavailableReason: 'blocked by auth (ready)' });
    const av = await jitp(repo.root, 'issues', '--available');
    expect(av.out).toMatch(/^auth /m);
    expect(av.out).not.toMatch(/^tax /m);
  });

  it('plan.ignore and plan.hotFiles from the config file', async () => {
    writeFileSync(
      join(repo.root, '.jit-parallel.yaml'),
      'plan:\n  ignore: [CHANGELOG.md]\n  hotFiles: ["src/billing/**"]\n',
    );
    try {
      const r = await jitp(repo.root, 'plan', 'auth', 'tax', '--json');
      const by = Object.fromEntries(r.json.issues.map((i: any) => [i.id, i]));
      expect(by.auth.files).not.toContain('CHANGELOG.md');
      expect(by.tax.hotFiles).toEqual(['src/billing/tax.ts']);
      expect(r.json.conflicts).toEqual([]);
      expect(r.json.batches).toEqual([['auth'], ['tax']]);
    } finally {
      writeFileSync(join(repo.root, '.jit-parallel.yaml'), '{}\n');
    }
  });

  it('no ids: every available task; excluded ones with reasons; human and graph formats', async () => {
    const r = await jitp(repo.root, 'plan', '--json');
    expect(r.json.issues.map((i: any) => i.id).sort()).toEqual(['auth', 'cmd', 'docs']);
    expect(r.json.excluded).toEqual(
      expect.arrayContaining([
        { id: 'tax', reason: 'blocked by auth (ready)' },
        { id: 'blocked', reason: 'blocked by ghost (unknown issue)' },
      ]),
    );
    const t = await jitp(repo.root, 'plan');
    expect(t.out).toMatch(/Conflict matrix/);
    expect(t.out).toMatch(/Excluded:\n {2}(tax|blocked): /);
    expect((await jitp(repo.root, 'plan', '--format', 'mermaid')).out).toMatch(/^graph LR/);
    expect((await jitp(repo.root, 'plan', '--format', 'dot')).out).toMatch(/^graph conflicts \{/);
    expect((await jitp(repo.root, 'plan', '--format', 'svg')).code).toBe(2);
    expect((await jitp(repo.root, 'plan', '--max-parallel', '0')).err).toMatch(
      /--max-parallel must be a whole number from 1 to 64/,
    );
    const one = await jitp(repo.root, 'plan', 'docs', 'cmd', '--max-parallel', '1', '--json');
    expect(one.json.batches).toHaveLength(2);
  });

  it('requested issues that cannot start are excluded, unknown ids are errors', async () => {
    const r = await jitp(repo.root, 'plan', 'done', 'tax', '--json');
    expect(r.json.excluded).toEqual(
      expect.arrayContaining([
        { id: 'done', reason: 'closed (done)' },
        { id: 'tax', reason: 'blocked by auth (ready, not in this plan)' },
      ]),
    );
    const u = await jitp(repo.root, 'plan', 'nope', '--json');
    expect(u.code).toBe(4);
    expect(u.json.error.message).toMatch(/no task "nope"/);
  });

  it('a dependency cycle is a clear error naming it', async () => {
    const r2 = makeRepo({ 'a.txt': 'x' });
    try {
      r2.write('.jit-parallel/tasks/a.md', task('a', { depends_on: ['b'] }, 'x'));
      r2.write('.jit-parallel/tasks/b.md', task('b', { depends_on: ['a'] }, 'x'));
      r2.commit('cycle');
      const r = await jitp(r2.root, 'plan', 'a', 'b', '--json');
      expect(r.code).toBe(2);
      expect(r.json.error.message).toBe('dependency cycle among the selected issues: a -> b -> a');
    } finally {
      r2.cleanup();
    }
  });

  it('batch lists (YAML and JSON) with --batch', async () => {
    const yml = join(repo.root, '..', 'batch.yaml');
    writeFileSync(
      yml,
      'tasks:\n  - title: One\n    instructions: edit src/auth/login.ts\n  - id: two\n    title: Two\n    files: ' +
        '[src/auth/login.ts]\n    depends_on: [t1]\n',
    );
    const r = await jitp(repo.root, 'plan', 't1', 'two', '--batch', yml, '--json');
    expect(r.code, r.out).toBe(0);
    expect(r.json.batches).toEqual([['t1'], ['two']]);
    // Without ids only t1 can start: two waits for it.
    const all = await jitp(repo.root, 'plan', '--batch', yml, '--json');
    expect(all.json.excluded).toEqual([{ id: 'two', reason: 'blocked by t1 (ready)' }]);
    const js = join(repo.root, '..', 'batch.json');
    writeFileSync(js, '[{"title": "A", "instructions": "x"}, 42]');
    const j = await jitp(repo.root, 'issues', '--batch', js, '--json');
    expect(j.json.issues.map((i: any) => i.id)).toEqual(['t1']);
    expect(j.json.problems[0]).toMatchObject({ file: expect.stringMatching(/batch\.json#2$/), loaded: false });
    writeFileSync(js, '{ nope');
    expect((await jitp(repo.root, 'issues', '--batch', js, '--json')).json.error.code).toBe('E_BATCH_FILE');
  });
});

describe('jitp issues on the real jit store, with leases', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = makeRepo();
    cpSync(jitFixture(), join(repo.root, '.jit'), { recursive: true });
    repo.commit('fixture');
  });
  afterAll(() => repo.cleanup());

  it('lists 373 issues and the 5 available ones; a live lease hides one', async () => {
    const all = await jitp(repo.root, 'issues', '--json');
    expect(all.json.count).toBe(373);
    expect(all.json.problems).toEqual([]);
    const av = await jitp(repo.root, 'issues', '--available', '--json');
    expect(av.json.issues.map((i: any) => i.shortId).sort()).toEqual([
      '2821e177',
      '94f873c8',
      'a4e3cfb0',
      'f16cfe8c',
      'f847df3f',
    ]);
    const acq = await jitp(repo.root, 'claim', 'acquire', 'f847', '--json');
    expect(acq.code, acq.out).toBe(0);
    const av2 = await jitp(repo.root, 'issues', '--available', '--json');
    expect(av2.json.issues.map((i: any) => i.shortId).sort()).toEqual(['2821e177', '94f873c8', 'a4e3cfb0', 'f16cfe8c']);
    const plan = await jitp(repo.root, 'plan', '--json');
    expect(plan.json.excluded).toEqual(
      expect.arrayContaining([
        { id: expect.stringMatching(/^f847df3f/), reason: expect.stringMatching(/^held by agent:test until /) },
      ]),
    );
    const held = await jitp(repo.root, 'plan', 'f847', '--json');
    expect(held.json.issues).toEqual([]);
  });

  it('a corrupt lease store: the plain list still prints, --available and plan refuse', async () => {
    const r2 = makeRepo();
    try {
      cpSync(jitFixture(), join(r2.root, '.jit'), { recursive: true });
      mkdirSync(join(r2.root, '.git', 'jit-parallel'), { recursive: true });
      writeFileSync(join(r2.root, '.git', 'jit-parallel', 'state.json'), '{ torn');
      const all = await jitp(r2.root, 'issues', '--json');
      expect(all.code).toBe(0);
      expect(all.json.count).toBe(373);
      expect(all.err).toMatch(/corrupt.*leases not shown/);
      expect((await jitp(r2.root, 'issues', '--available', '--json')).code).toBe(5);
      expect((await jitp(r2.root, 'plan', '--json')).json.error.code).toBe('E_STORE_CORRUPT');
    } finally {
      r2.cleanup();
    }
  });

  it('ambiguous and unknown prefixes', async () => {
    const r2 = makeRepo();
    try {
      for (const id of ['abcd1111-0000-4000-8000-000000000000', 'abcd2222-0000-4000-8000-000000000000'])
        r2.write(`.jit/issues/${id}.json`, JSON.stringify({ id, title: id, state: 'ready' }));
      r2.commit('two');
      const amb = await jitp(r2.root, 'plan', 'abcd', '--json');
      expect(amb.code).toBe(4);
      expect(amb.json.error.message).toMatch(/ambiguous/);
      expect((await jitp(r2.root, 'plan', 'abcd1', '--json')).json.issues[0].id).toBe(
        'abcd1111-0000-4000-8000-000000000000',
      );
    } finally {
      r2.cleanup();
    }
  });
});

describe('hostile input', () => {
  it('huge descriptions, odd characters, .. paths, malformed task files', async () => {
    const repo = makeRepo({
      'src/a.ts': 'export const x = 1;\n',
      'weird name [1].ts': 'x',
      'src/ünï.ts': 'export function weirdFn() {}\n',
    });
    try {
      repo.write(
        '.jit-parallel/tasks/huge.md',
        task(
          'huge',
          { title: 'Huge \u001b[31m' },
          `../../etc/passwd and /etc/shadow\n${'filler `weirdFn` words '.repeat(130_000)}\nsrc/ünï.ts`,
        ),
      );
      repo.write('.jit-parallel/tasks/bad.md', '---\nid: [unclosed\n---\nbody');
      repo.write('.jit-parallel/tasks/badid.md', task('has space', {}, 'x'));
      repo.write('.jit-parallel/tasks/toobig.md', task('toobig', {}, 'y'.repeat(5 * 1024 * 1024)));
      writeFileSync(join(repo.root, '..', 'secret.md'), '---\nid: leak\n---\nSECRET');
      symlinkSync(join(repo.root, '..', 'secret.md'), join(repo.root, '.jit-parallel/tasks/leak.md'));
      symlinkSync(join(repo.root, 'src/a.ts'), join(repo.root, '.jit-parallel/tasks/inside.md'));
      repo.commit('hostile');
      const t0 = performance.now();
      const r = await jitp(repo.root, 'plan', '--json');
      expect(performance.now() - t0).toBeLessThan(20_000);
      expect(r.code, r.out).toBe(0);
      const huge = r.json.issues.find((i: any) => i.id === 'huge');
      expect(huge, JSON.stringify(r.json.problems)).toBeDefined();
      expect(huge.files).toEqual(['src/ünï.ts']);
      expect(huge.ignored).toEqual(
        expect.arrayContaining(['../../etc/passwd: contains ..', '/etc/shadow: absolute path']),
      );
      expect(r.json.problems.map((p: any) => p.file).sort()).toEqual([
        '.jit-parallel/tasks/bad.md',
        '.jit-parallel/tasks/badid.md',
        '.jit-parallel/tasks/leak.md',
        '.jit-parallel/tasks/toobig.md',
      ]);
      expect(r.json.problems.find((p: any) => p.file.endsWith('leak.md')).message).toMatch(/outside the repository/);
      expect(r.out).not.toMatch(/SECRET/);
      expect(r.json.issues.map((i: any) => i.id)).toContain('inside'); // a symlink inside the repo is read
      const text = await jitp(repo.root, 'plan');
      expect(text.out).not.toMatch(/\u001b/);
      expect(text.err).toMatch(/bad\.md(:\d+)?: malformed front matter/);
    } finally {
      repo.cleanup();
    }
  });
});
