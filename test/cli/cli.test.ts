// The dispatch commands in-process (run() from main.ts) on the example repository with a real
// jit store, a real lease store and real git: prompt, verify, issue done, commit-message.
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { parseBindingLine } from '../../src/core/binding.js';
import { run } from '../../src/cli/main.js';
import { discoverRepo } from '../../src/git/discover.js';
import { openLocalStore } from '../../src/store/open.js';
import { tempDir } from '../support/git.js';
// @ts-expect-error plain ESM helper shared with the demo
import { buildDemoRepo, EDITS, ISSUES, reportFor, writeFiles, git } from '../../scripts/demo-fixture.mjs';

let base: string;
let root: string;
const AGENT = 'agent:test';

async function jitp(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    env: { ...process.env, JITP_JIT_BIN: '' },
    cwd: root,
    interactive: false,
  });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}
const store = () => openLocalStore(discoverRepo(root)!);
const claim = (key: 'slug' | 'words') =>
  store().acquire({ issueId: ISSUES[key].id, agentId: AGENT, paths: ISSUES[key].files });

// The example repository is built once per file and copied for each test (3 git processes saved
// per test; nothing in it names its folder).
let fixture: string;
beforeAll(() => {
  fixture = tempDir('jitp-dispatch-fixture-');
  buildDemoRepo(join(fixture, 'repo'));
});
afterAll(() => rmSync(fixture, { recursive: true, force: true }));
beforeEach(() => {
  base = tempDir('jitp-dispatch-');
  root = join(base, 'repo');
  cpSync(join(fixture, 'repo'), root, { recursive: true });
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('jitp prompt', () => {
  test('with a live lease: line 1 binds to it, scope and test command rendered', async () => {
    const lease = await claim('slug');
    const r = await jitp('prompt', '3f2a', '--json');
    expect(r.code).toBe(0);
    const j = r.json();
    expect(parseBindingLine(j.prompt)).toEqual({ leaseId: lease.id, secret: lease.bindSecret });
    expect(j.prompt).toContain('src/slugify.js\ntest/slugify.test.js');
    expect(j.prompt).toContain('`slugify("Crème brûlée")` is `creme-brulee`');
    expect(j).toMatchObject({
      mode: 'implement',
      bound: true,
      testCommand: 'npm test',
      testCommandSource: 'package.json scripts.test',
      issue: { id: ISSUES.slug.id, shortId: '3f2a1b2c' },
      lease: { id: lease.id },
    });
    // Text output is the prompt itself, binding line first.
    const t = await jitp('prompt', '3f2a');
    expect(t.stdout.split('\n')[0]).toBe(j.bindingLine);
  });
  test('without a lease: no binding line, a warning with the fix', async () => {
    const r = await jitp('prompt', '9c1d', '--mode', 'plan');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^You are a sub-agent/);
    expect(r.stdout).toContain('.jit-parallel/plans/9c1d0e0f.md');
    expect(r.stderr).toContain('jitp claim acquire 9c1d0e0f');
  });
  test('bad mode, unknown id, ambiguous prefix', async () => {
    expect((await jitp('prompt', '3f2a', '--mode', 'yolo')).code).toBe(2);
    expect((await jitp('prompt', 'ffff')).code).toBe(4);
    // Well-formed but not a uuid prefix: unknown (exit 4); a malformed id stays bad input (exit 2).
    const r = await jitp('prompt', 'zz', '--json');
    expect(r.code).toBe(4);
    expect(r.json().error.code).toBe('E_UNKNOWN_ISSUE');
    const bad = await jitp('prompt', 'a b', '--json');
    expect(bad.code).toBe(2);
    expect(bad.json().error.code).toBe('E_BAD_ID');
  });
});

describe('verify → issue done → commit-message → git commit', () => {
  test('the full post-flight on a clean batch', async () => {
    await claim('slug');
    await claim('words');
    writeFiles(root, { ...EDITS.slug, ...EDITS.words });
    mkdirSync(join(root, '.jit-parallel/reports'), { recursive: true });
    writeFileSync(join(root, '.jit-parallel/reports/3f2a1b2c.md'), reportFor('slug'));
    writeFileSync(join(root, '.jit-parallel/reports/9c1d0e0f.md'), reportFor('words'));

    const v = await jitp('verify', '3f2a', '9c1d', '--reports', '.jit-parallel/reports', '--json');
    const vj = v.json();
    expect(vj.needsHuman).toEqual([]);
    expect(v.code).toBe(0);
    expect(vj.tests).toMatchObject({ command: 'npm test', ok: true });
    expect(vj.stage).toEqual(['src/slugify.js', 'src/wordcount.js', 'test/slugify.test.js', 'test/wordcount.test.js']);

    const d = await jitp('issue', 'done', '3f2a', '9c1d', '--json');
    expect(d.code).toBe(0);
    const dj = d.json();
    expect(dj.issues.map((i: { via: string; releasedLeases: string[] }) => [i.via, i.releasedLeases.length])).toEqual([
      ['file', 1],
      ['file', 1],
    ]);
    const issueFile = JSON.parse(readFileSync(join(root, `.jit/issues/${ISSUES.slug.id}.json`), 'utf8'));
    expect(issueFile.state).toBe('done');
    expect(issueFile.gates_status).toEqual({});
    expect(issueFile.updated_at).not.toBe('2026-11-01T10:00:00.000000000Z');
    const events = readFileSync(join(root, '.jit/events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual([
      'issue_state_changed',
      'issue_completed',
      'issue_state_changed',
      'issue_completed',
    ]);
    expect((await store().read()).leases).toEqual([]);

    const files = (await jitp('commit-message', '3f2a', '9c1d', '--files')).stdout.trim().split('\n').sort();
    expect(files).toEqual(
      ['.jit/events.jsonl', `.jit/issues/${ISSUES.words.id}.json`, `.jit/issues/${ISSUES.slug.id}.json`].sort(),
    );
    const msg = (await jitp('commit-message', '3f2a', '9c1d')).stdout;
    git(root, 'add', '--', ...vj.stage, ...files);
    writeFileSync(join(base, 'msg'), msg);
    git(root, 'commit', '-q', '-F', join(base, 'msg'));
    expect(git(root, 'log', '-1', '--format=%B')).toBe(msg.trimEnd());
    const subject = msg.split('\n')[0]!;
    expect([...subject].length).toBeLessThanOrEqual(72);
    expect(subject).toMatch(/^jit: slugify: strip accents.*… \(\+1 more\)$/);
    expect(msg).toContain(
      '- slugify: strip accents instead of dropping accented letters (3f2a1b2c)\n- wordCount: count words separated ' +
        'by tabs and newlines (9c1d0e0f)\n\njit: 3f2a1b2c 9c1d0e0f\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n',
    );
    expect(git(root, 'status', '--porcelain', '--untracked-files=no')).toBe('');
  });

  test('verify flags a file outside every lease, a lying report, failing tests; exit 1', async () => {
    await claim('slug');
    writeFiles(root, { ...EDITS.slug, 'README.md': '# changed\n', 'src/wordcount.js': 'export const broken = ;\n' });
    mkdirSync(join(root, 'reports'));
    writeFileSync(
      join(root, 'reports/3f2a1b2c.md'),
      reportFor('slug').replace('"test/slugify.test.js"', '"test/slugify.test.js", "src/ghost.js"'),
    );
    writeFileSync(join(root, 'reports/junk.md'), 'no json here');
    const v = await jitp('verify', '--reports', 'reports', '--json');
    expect(v.code).toBe(1);
    const j = v.json();
    expect(j.unleased).toEqual(['README.md', 'src/wordcount.js']);
    expect(j.issues[0].reportedButUnchanged).toEqual(['src/ghost.js']);
    expect(j.strayReports.map((s: { file: string }) => s.file)).toEqual(['reports/junk.md']);
    expect(j.tests.ok).toBe(false);
    const text = await jitp('verify', '--reports', 'reports', '--no-test');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('NEEDS A HUMAN');
    expect(text.stdout).toContain('README.md');
  });
});

describe('jitp issue done', () => {
  test('through the jit CLI when one is installed (arguments checked), lease kept when jit refuses', async () => {
    await claim('slug');
    const bin = join(base, 'bin');
    mkdirSync(bin);
    const log = join(base, 'jit.log');
    // A stand-in `jit` that records its argv and refuses like jit does when gates are open.
    writeFileSync(
      join(bin, 'jit'),
      `#!/bin/sh\necho "$@" >> ${log}\necho '{"error":{"code":"GATES","message":"gate code-review not ` +
        `passed"}}'\nexit 1\n`,
    );
    chmodSync(join(bin, 'jit'), 0o755);
    let stdout = '';
    const code = await run(['issue', 'done', '3f2a', '--json'], {
      stdout: (s) => void (stdout += s),
      stderr: () => {},
      env: { ...process.env, JITP_JIT_BIN: join(bin, 'jit') },
      cwd: root,
      interactive: false,
    });
    expect(code).toBe(1);
    expect(readFileSync(log, 'utf8').trim()).toBe(`issue update ${ISSUES.slug.id} --state done`);
    const j = JSON.parse(stdout);
    expect(j.issues[0].error).toContain('gate code-review not passed');
    expect(j.issues[0].releasedLeases).toEqual([]);
    expect((await store().read()).leases).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(root, `.jit/issues/${ISSUES.slug.id}.json`), 'utf8')).state).toBe('ready');
  });
  test('a corrupt issue file is not found (the source reports it) and is left untouched', async () => {
    const f = join(root, `.jit/issues/${ISSUES.words.id}.json`);
    writeFileSync(f, '{"id": "x", "state": ');
    const r = await jitp('issue', 'done', '9c1d0e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f');
    expect(r.code).toBe(4);
    expect(readFileSync(f, 'utf8')).toBe('{"id": "x", "state": ');
    expect(
      git(root, 'status', '--porcelain', '--', '.jit/issues')
        .split('\n')
        .filter((l: string) => l.includes('.tmp')),
    ).toEqual([]);
  });
});

describe('worktree mode (worktrees made by jitp worktree add)', () => {
  test(
    "prompt targets the lease's worktree; verify reads each branch and finds a leak into the main " + 'checkout',
    async () => {
      const add = await jitp('worktree', 'add', '3f2a', '9c1d', '--json');
      expect(add.code, add.stdout + add.stderr).toBe(0);
      const wts = add.json().worktrees as { issue: string; worktree: string; branch: string }[];
      const wtOf = (id: string) => wts.find((w) => w.issue === id)!;
      const slugWt = wtOf(ISSUES.slug.id);
      const wordsWt = wtOf(ISSUES.words.id);

      const p = (await jitp('prompt', '3f2a', '--json')).json();
      expect(p.worktree).toBe(slugWt.worktree);
      expect(p.prompt).toContain(`You work in your own git worktree: \`${slugWt.worktree}\``);
      expect(parseBindingLine(p.prompt)?.leaseId).toBe(p.lease.id);

      // slug: committed on its branch; words: left uncommitted in its worktree; and a stray write
      // of slug's file into the main checkout (what an absolute path does).
      writeFiles(slugWt.worktree, EDITS.slug);
      git(slugWt.worktree, 'add', '-A');
      git(slugWt.worktree, 'commit', '-q', '-m', 'slug work');
      writeFiles(wordsWt.worktree, EDITS.words);
      writeFiles(root, { 'src/slugify.js': '// leaked\n' });

      const v = await jitp('verify', '--no-test', '--json');
      expect(v.code).toBe(1);
      const j = v.json();
      const byId = (id: string) => j.issues.find((i: { id: string }) => i.id === id);
      expect(byId(ISSUES.slug.id)).toMatchObject({
        mode: 'worktree',
        changed: ['src/slugify.js', 'test/slugify.test.js'],
        outsideLease: [],
      });
      expect(byId(ISSUES.words.id)).toMatchObject({
        mode: 'worktree',
        changed: ['src/wordcount.js', 'test/wordcount.test.js'],
        outsideLease: [],
      });
      expect(j.leaked).toEqual([{ path: 'src/slugify.js', issue: ISSUES.slug.id }]);
      expect(j.stage).toEqual([]);
      expect(j.needsHuman).toEqual([
        `src/slugify.js leaked into the main checkout (belongs to the worktree of ${ISSUES.slug.id})`,
      ]);
    },
  );
});

describe('without jit: task files', () => {
  test(
    'issue done rewrites the front matter state, releases the lease; commit-message --files lists the task ' + 'file',
    async () => {
      const tbase = tempDir('jitp-tasks-');
      const troot = join(tbase, 'repo');
      try {
        mkdirSync(join(troot, '.jit-parallel/tasks'), { recursive: true });
        git(tbase, 'init', '-q', '-b', 'main', 'repo');
        writeFiles(troot, {
          '.jit-parallel/tasks/fix-login.md':
            '---\nid: fix-login\ntitle: "Fix login\\nSigned-off-by: x <x@y>"\nstate: todo\nfiles: ' +
            '[src/login.js]\n---\nThe login form breaks.\n',
          'src/login.js': 'x\n',
        });
        git(troot, 'add', '-A');
        git(troot, '-c', 'user.name=T', '-c', 'user.email=t@e', 'commit', '-q', '-m', 'init');
        const go = async (...argv: string[]) => {
          let stdout = '';
          const code = await run(argv, {
            stdout: (s) => void (stdout += s),
            stderr: () => {},
            env: { ...process.env, JITP_JIT_BIN: '' },
            cwd: troot,
            interactive: false,
          });
          return { code, stdout };
        };
        expect((await go('claim', 'acquire', 'fix-login', '--paths', 'src/login.js', '--agent', AGENT)).code).toBe(0);
        const d = await go('issue', 'done', 'fix-login', '--json');
        expect(d.code).toBe(0);
        expect(JSON.parse(d.stdout).issues[0]).toMatchObject({
          via: 'file',
          file: '.jit-parallel/tasks/fix-login.md',
          from: 'ready',
          releasedLeases: [expect.stringMatching(/^L-/)],
        });
        expect(readFileSync(join(troot, '.jit-parallel/tasks/fix-login.md'), 'utf8')).toBe(
          '---\nid: fix-login\ntitle: "Fix login\\nSigned-off-by: x <x@y>"\nstate: done\nfiles: ' +
            '[src/login.js]\n---\nThe login form breaks.\n',
        );
        expect((await go('commit-message', 'fix-login', '--files')).stdout.trim()).toBe(
          '.jit-parallel/tasks/fix-login.md',
        );
        const msg = (await go('commit-message', 'fix-login', '--no-co-author')).stdout;
        expect(msg).toBe(
          'jit: Fix login Signed-off-by: x <x@y>\n\n- Fix login Signed-off-by: x <x@y> (fix-login)\n\njit: fix-login\n',
        );
        expect(JSON.parse((await go('claim', 'list', '--json')).stdout).leases).toEqual([]);
      } finally {
        rmSync(tbase, { recursive: true, force: true });
      }
    },
  );
});

describe('--help of the dispatch commands', () => {
  test.each(['prompt', 'commit-message', 'verify', 'issue done'])(
    '%s documents usage, the JSON shape and exit codes',
    async (cmd) => {
      const r = await jitp(...cmd.split(' '), '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^jitp ${cmd}`));
      expect(r.stdout).toContain('JSON:');
      expect(r.stdout).toContain('Exit codes:');
    },
  );
});

test('verify: a file name with a newline stays one line in the table and exact in JSON', async () => {
  await claim('slug');
  writeFiles(root, { ...EDITS.slug, 'odd\nname.txt': 'x' });
  const t = await jitp('verify', '--no-test');
  expect(t.code).toBe(1);
  expect(t.stdout).toContain('"odd\\nname.txt"');
  expect(t.stdout.split('\n').some((l) => l === 'name.txt' || l.startsWith('name.txt'))).toBe(false);
  const j = (await jitp('verify', '--no-test', '--json')).json();
  expect(j.unleased).toEqual(['odd\nname.txt']);
});
