// `jitp finish`: verify → done → stage → one commit → release, on the example repository (a real
// jit store, real leases, real git, jitp's own pre-commit backstop installed), through the shipped
// bundle. A verify that needs a human changes nothing; a run stopped by a failing commit is
// finished by running it again; running it again after success changes nothing.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect, test } from 'vitest';
import { tempDir } from '../support/git.js';
import { DIST_JITP } from '../support/paths.js';
// @ts-expect-error plain ESM helper shared with the demo
import { buildDemoRepo, committedFiles, EDITS, ISSUES, git, writeFiles } from '../../scripts/demo-fixture.mjs';

let base: string;
let root: string;
const HOLDER = 'agent:orchestrator';
const SLUG = ISSUES.slug.id as string;
const WORDS = ISSUES.words.id as string;

/** The committer is not the leases' holder: only JITP_LEASE (set by finish) makes them its own. */
function jitp(...args: string[]) {
  const r = spawnSync(process.execPath, [DIST_JITP, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, JITP_JIT_BIN: '', JIT_AGENT_ID: 'agent:someone-else', HOME: base },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}
const state = (id: string) => JSON.parse(readFileSync(join(root, '.jit/issues', `${id}.json`), 'utf8')).state;
const head = () => git(root, 'rev-parse', 'HEAD');
const committed = () => git(root, 'show', '--name-only', '--format=', 'HEAD').split('\n').filter(Boolean).sort();
const liveLeases = () => jitp('claim', 'list', '--json').json().leases as { id: string; issueId: string }[];
const claim = (key: 'slug' | 'words') =>
  jitp('claim', 'acquire', key === 'slug' ? '3f2a' : '9c1d', '--paths', ISSUES[key].files.join(','), '--agent', HOLDER);

// The starting point (example repository, jitp's pre-commit backstop, both leases, both edits) is
// built once through the bundle and copied for each test: building it is 3 bundle starts and 5 git
// processes, a copy is none, and nothing in it names its folder (the hook names the bundle).
let fixture: string;
beforeAll(() => {
  base = fixture = tempDir('jitp-finish-fixture-');
  root = join(base, 'textkit');
  buildDemoRepo(root);
  expect(jitp('install-git-hooks').code).toBe(0);
  for (const k of ['slug', 'words'] as const) {
    expect(claim(k).code).toBe(0);
    writeFiles(root, EDITS[k]);
  }
});
afterAll(() => rmSync(fixture, { recursive: true, force: true }));
beforeEach(() => {
  base = tempDir('jitp-finish-');
  root = join(base, 'textkit');
  cpSync(join(fixture, 'textkit'), root, { recursive: true, verbatimSymlinks: true });
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const BATCH_FILES: string[] = committedFiles(['slug', 'words']);

test('verify, done, exactly the batch committed with the convention, leases released; again: nothing to do', () => {
  // Something else the user staged, that verify does not count as the batch's: it must stay out of the commit.
  mkdirSync(join(root, '.jit-parallel/reports'), { recursive: true });
  writeFileSync(join(root, '.jit-parallel/reports/notes.md'), 'mine\n');
  git(root, 'add', '-f', '.jit-parallel/reports/notes.md');
  const before = head();
  const r = jitp('finish', '3f2a', '9c1d', '--test', 'npm test', '--json');
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const j = r.json();
  expect(Object.keys(j)).toEqual(['ok', 'needsHuman', 'issues', 'verify', 'staged', 'commit']);
  expect(j).toMatchObject({ ok: true, needsHuman: [], staged: BATCH_FILES });
  expect(j.issues.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([
    [SLUG, 'finished'],
    [WORDS, 'finished'],
  ]);
  expect(j.issues[0].done).toMatchObject({ from: 'ready', via: 'file', changed: true });
  expect(j.issues.every((i: { releasedLeases: string[] }) => i.releasedLeases.length === 1)).toBe(true);
  expect(j.verify).toMatchObject({ ok: true, stage: BATCH_FILES.filter((f) => !f.startsWith('.jit/')) });
  expect(j.verify.tests).toMatchObject({ command: 'npm test', ok: true });
  expect(r.stderr).toContain('finish: committing');

  expect(git(root, 'rev-list', '--count', `${before}..HEAD`)).toBe('1');
  expect(j.commit.sha).toBe(head());
  expect(committed()).toEqual(BATCH_FILES);
  const msg = git(root, 'log', '-1', '--format=%B');
  expect(msg).toBe(j.commit.message.trimEnd());
  expect(msg).toMatch(
    /^jit: .*\n\n- slugify: .* \(3f2a1b2c\)\n- wordCount: .* \(9c1d0e0f\)\n\njit: 3f2a1b2c 9c1d0e0f\n\n/,
  );
  expect([state(SLUG), state(WORDS)]).toEqual(['done', 'done']);
  expect(liveLeases()).toEqual([]);
  // The user's staged file is still staged, and only it.
  expect(git(root, 'diff', '--cached', '--name-only')).toBe('.jit-parallel/reports/notes.md');

  const again = jitp('finish', '3f2a', '9c1d', '--json');
  expect(again.code, again.stdout + again.stderr).toBe(0);
  expect(again.json()).toMatchObject({ ok: true, verify: null, staged: [], commit: null });
  expect(again.json().issues.map((i: { status: string }) => i.status)).toEqual([
    'already-finished',
    'already-finished',
  ]);
  expect(head()).toBe(j.commit.sha);
});

test('verify needs a human: exit 1 with its findings, and nothing changed', () => {
  writeFileSync(join(root, 'README.md'), '# textkit\n\nchanged by nobody’s lease\n');
  const before = head();
  const r = jitp('finish', '3f2a', '9c1d', '--no-test', '--json');
  expect(r.code).toBe(1);
  const j = r.json();
  expect(j.ok).toBe(false);
  expect(j.needsHuman).toEqual(['1 changed file(s) no lease of the batch covers: README.md']);
  expect(j.verify.unleased).toEqual(['README.md']);
  expect(j.commit).toBeNull();
  expect(j.issues.map((i: { status: string; done: unknown }) => [i.status, i.done])).toEqual([
    ['not-finished', null],
    ['not-finished', null],
  ]);
  expect(head()).toBe(before);
  expect([state(SLUG), state(WORDS)]).toEqual(['ready', 'ready']);
  expect(git(root, 'diff', '--cached', '--name-only')).toBe('');
  expect(liveLeases()).toHaveLength(2);
  // The text says what needs a human and how to go on.
  const t = jitp('finish', '3f2a', '9c1d', '--no-test');
  expect(t.code).toBe(1);
  expect(t.stdout).toContain('NEEDS A HUMAN:');
  expect(t.stdout).toContain('README.md');
  expect(t.stdout).toContain('run again: jitp finish 3f2a 9c1d');
});

test('a commit refused by a hook: exit 7, issues done and staged, leases kept; running again finishes it', () => {
  // A second pre-commit check (chained after jitp's) that refuses while a flag file exists.
  const hook = join(root, '.git/hooks/pre-commit.pre-jitp');
  const flagFile = join(base, 'refuse');
  writeFileSync(hook, `#!/bin/sh\nif [ -e "${flagFile}" ]; then echo "refused by the test hook" >&2; exit 1; fi\n`);
  chmodSync(hook, 0o755);
  writeFileSync(flagFile, '');
  const before = head();
  const r = jitp('finish', '3f2a', '9c1d', '--no-test', '--json');
  expect(r.code, r.stdout + r.stderr).toBe(7);
  expect(r.json().error.message).toContain('refused by the test hook');
  expect(r.json().error.hint).toContain('jitp finish 3f2a 9c1d');
  expect(head()).toBe(before);
  expect([state(SLUG), state(WORDS)]).toEqual(['done', 'done']);
  expect(git(root, 'diff', '--cached', '--name-only').split('\n').sort()).toEqual(BATCH_FILES);
  expect(liveLeases()).toHaveLength(2);

  rmSync(flagFile);
  const again = jitp('finish', '3f2a', '9c1d', '--no-test', '--json');
  expect(again.code, again.stdout + again.stderr).toBe(0);
  const j = again.json();
  expect(j.issues.map((i: { status: string; done: { changed: boolean } }) => [i.status, i.done.changed])).toEqual([
    ['finished', false],
    ['finished', false],
  ]);
  expect(committed()).toEqual(BATCH_FILES);
  expect(git(root, 'rev-list', '--count', `${before}..HEAD`)).toBe('1');
  expect(liveLeases()).toEqual([]);
});

test("jitp's backstop refuses the same commit without the batch's leases named: finish names them", () => {
  // What finish stages, committed by hand as someone who holds none of the leases.
  const staged = jitp('finish', '3f2a', '9c1d', '--no-test', '--no-commit', '--json');
  expect(staged.code, staged.stdout + staged.stderr).toBe(0);
  expect(staged.json().issues.map((i: { status: string }) => i.status)).toEqual(['staged', 'staged']);
  expect(liveLeases()).toHaveLength(2);
  const byHand = spawnSync('git', ['commit', '-q', '-m', 'x'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, JIT_AGENT_ID: 'agent:someone-else' },
  });
  expect(byHand.status).not.toBe(0);
  expect(byHand.stderr).toContain('commit refused');
  const done = jitp('finish', '3f2a', '9c1d', '--no-test', '--json');
  expect(done.code, done.stdout + done.stderr).toBe(0);
  expect(committed()).toEqual(BATCH_FILES);
  expect(liveLeases()).toEqual([]);
});

test('a leftover lease of a finished issue is released; a worktree-mode issue is refused', () => {
  expect(jitp('finish', '3f2a', '9c1d', '--no-test').code).toBe(0);
  // A lease left on a finished issue (its release failed, say) that covers nothing uncommitted.
  expect(claim('slug').code).toBe(0);
  const r = jitp('finish', '3f2a', '--json');
  expect(r.code).toBe(0);
  expect(r.json().issues[0]).toMatchObject({ status: 'already-finished', releasedLeases: [expect.any(String)] });
  expect(liveLeases()).toEqual([]);

  // An issue worked in a worktree of its own comes back through the merge queue, not finish.
  const wt = join(base, 'wt-later');
  git(root, 'worktree', 'add', '-q', '-b', 'later', wt);
  const later = jitp('claim', 'acquire', '77be', '--paths', 'src/titlecase.js', '--worktree', wt, '--agent', HOLDER);
  expect(later.code, later.stderr).toBe(0);
  writeFileSync(join(wt, 'src/titlecase.js'), 'export const titleCase = (s) => s;\n');
  const refused = jitp('finish', '77be', '--no-test', '--json');
  expect(refused.code).toBe(1);
  expect(refused.json().needsHuman).toEqual([expect.stringContaining('jitp merge')]);
  expect(state(ISSUES.later.id)).toBe('ready');
});

test('bad arguments and unknown ids: exit 2 and 4; --help documents the JSON shape and the exit codes', () => {
  expect(jitp('finish', '3f2a', '--test', 'x', '--no-test').code).toBe(2);
  expect(jitp('finish').code).toBe(2);
  expect(jitp('finish', 'ffff', '--no-test').code).toBe(4);
  const h = jitp('finish', '--help');
  expect(h.code).toBe(0);
  for (const s of ['JSON:', '"status"', 'Exit codes:', '--no-commit', 'run again', '7 git'])
    expect(h.stdout).toContain(s);
});

test('one issue at a time: a sibling’s report in the folder is listed, never blocks', async () => {
  // @ts-expect-error plain ESM helper shared with the demo
  const { reportFor } = await import('../../scripts/demo-fixture.mjs');
  mkdirSync(join(root, '.jit-parallel/reports'), { recursive: true });
  writeFileSync(join(root, '.jit-parallel/reports/3f2a1b2c.md'), reportFor('slug'));
  // The sibling's report, by its `issue` field; and one tied to it only by its file name.
  writeFileSync(join(root, '.jit-parallel/reports/9c1d0e0f.md'), reportFor('words'));
  writeFileSync(join(root, '.jit-parallel/reports/9c1d0e0f-notes.md'), 'no json here');
  const r = jitp('finish', '3f2a', '--reports', '.jit-parallel/reports', '--test', 'true', '--json');
  expect(r.code, r.stdout + r.stderr).toBe(0);
  const j = r.json();
  expect(j.verify.strayReports).toEqual([]);
  expect(j.verify.otherReports).toEqual([
    { file: '.jit-parallel/reports/9c1d0e0f-notes.md', issue: WORDS },
    { file: '.jit-parallel/reports/9c1d0e0f.md', issue: WORDS },
  ]);
  // Only the slug issue's files: the words issue's changes are under its own live lease.
  expect(committed()).toEqual(committedFiles(['slug']));
  expect([state(SLUG), state(WORDS)]).toEqual(['done', 'ready']);
  // A report naming an issue the tracker does not know still needs a human.
  rmSync(join(root, '.jit-parallel/reports/9c1d0e0f-notes.md'));
  writeFileSync(join(root, '.jit-parallel/reports/zz.md'), reportFor('words').replace(WORDS, 'no-such-issue'));
  const again = jitp('verify', '9c1d', '--reports', '.jit-parallel/reports', '--test', 'true', '--json');
  expect(again.code).toBe(1);
  expect(again.json().needsHuman).toEqual([
    'report .jit-parallel/reports/zz.md: names issue "no-such-issue", which is not in this batch',
  ]);
});
