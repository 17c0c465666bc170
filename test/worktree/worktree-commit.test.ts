// `jitp worktree commit <id>`: the issue's uncommitted work in its worktree becomes one commit
// on its branch with the convention's message; bookkeeping stays out; nothing left is not an
// error; a worktree on another branch, a gone one, or an issue without one are refused.
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { TempRepo } from '../support/git.js';
import { jitp, repoWithIssues, U1, U2 } from './helpers.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

async function setup() {
  repo = repoWithIssues([
    { id: U1, title: 'first: fix a' },
    { id: U2, title: 'second' },
  ]);
  const r = await jitp(repo.root, ['worktree', 'add', U1, '--json']);
  expect(r.code, r.stderr).toBe(0);
  return r.json.worktrees[0] as { worktree: string; branch: string };
}

test(
  'commits every change of the worktree (new, modified, deleted, odd names) on its branch; bookkeeping left ' + 'out',
  async () => {
    const { worktree, branch } = await setup();
    const base = repo.git('-C', worktree, 'rev-parse', 'HEAD');
    writeFileSync(join(worktree, 'src/a.txt'), 'a1\nA2\na3\n');
    rmSync(join(worktree, 'src/b.txt'));
    writeFileSync(join(worktree, 'src/new file [1].txt'), 'new\n');
    writeFileSync(join(worktree, 'src/-dash.txt'), 'dash\n');
    mkdirSync(join(worktree, '.jit-parallel/reports'), { recursive: true });
    writeFileSync(join(worktree, '.jit-parallel/reports/11111111.md'), 'report\n');
    writeFileSync(join(worktree, `.jit/issues/${U1}.json`), '{}\n');
    const r = await jitp(repo.root, ['worktree', 'commit', '1111', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json).toMatchObject({
      issue: { id: U1, shortId: '11111111', title: 'first: fix a' },
      worktree,
      branch,
      committed: true,
      files: ['src/-dash.txt', 'src/a.txt', 'src/b.txt', 'src/new file [1].txt'],
      skipped: ['.jit-parallel/reports/11111111.md', `.jit/issues/${U1}.json`],
    });
    expect(repo.git('-C', worktree, 'rev-parse', 'HEAD')).toBe(r.json.commit);
    expect(repo.git('rev-parse', branch)).toBe(r.json.commit);
    expect(repo.git('rev-parse', `${r.json.commit}~1`)).toBe(base);
    expect(repo.git('show', '--name-only', '--format=', r.json.commit).split('\n').sort()).toEqual(r.json.files);
    const msg = repo.git('log', '-1', '--format=%B', r.json.commit);
    expect(msg).toBe(r.json.message.trimEnd());
    expect(msg).toMatch(/^jit: first: fix a\n\n- first: fix a \(11111111\)\n\njit: 11111111\n\nCo-Authored-By: /);
    // The bookkeeping is still there, uncommitted.
    expect(repo.git('-C', worktree, 'status', '--porcelain')).toContain('.jit/issues/');

    const again = await jitp(repo.root, ['worktree', 'commit', U1, '--json']);
    expect(again.code).toBe(0);
    expect(again.json).toMatchObject({ committed: false, commit: null, files: [] });
    expect(repo.git('rev-parse', branch)).toBe(r.json.commit);
    expect((await jitp(repo.root, ['worktree', 'commit', U1])).stdout).toContain('nothing to commit');
  },
);

test(
  'refused: an issue without a worktree (4), a worktree on another branch or gone (1); ' + 'nothing committed',
  async () => {
    const { worktree, branch } = await setup();
    const none = await jitp(repo.root, ['worktree', 'commit', U2, '--json']);
    expect(none.code).toBe(4);
    expect(none.json.error.hint).toContain(`jitp worktree add 22222222`);
    expect((await jitp(repo.root, ['worktree', 'commit', 'ffff'])).code).toBe(4);

    writeFileSync(join(worktree, 'src/a.txt'), 'changed\n');
    repo.git('-C', worktree, 'switch', '-q', '-c', 'elsewhere');
    const other = await jitp(repo.root, ['worktree', 'commit', U1, '--json']);
    expect(other.code).toBe(1);
    expect(other.json.error.message).toContain(`not on 11111111's branch ${branch}`);
    expect(other.json.error.hint).toContain(`switch ${branch}`);
    expect(repo.git('-C', worktree, 'status', '--porcelain')).toContain('src/a.txt');

    repo.git('-C', worktree, 'switch', '-q', branch);
    repo.git('worktree', 'remove', '--force', worktree);
    const gone = await jitp(repo.root, ['worktree', 'commit', U1, '--json']);
    expect(gone.code).toBe(1);
    expect(gone.json.error.message).toContain('is gone');
  },
);

test('--help documents the JSON shape and exit codes', async () => {
  const h = await jitp(process.cwd(), ['worktree', 'commit', '--help']);
  expect(h.code).toBe(0);
  for (const s of ['JSON:', '"committed"', 'Exit codes:', 'jitp merge']) expect(h.stdout).toContain(s);
});

test('the worktree flow: commit the work; merge merges it, marks it done and commits only its state', async () => {
  const { worktree, branch } = await setup();
  writeFileSync(join(worktree, 'src/a.txt'), 'fixed\n');
  expect((await jitp(repo.root, ['worktree', 'commit', U1])).code).toBe(0);
  // Not merged yet: finish refuses, changes nothing.
  const early = await jitp(repo.root, ['finish', U1, '--no-test', '--json'], { JITP_JIT_BIN: '' });
  expect(early.code).toBe(1);
  expect(early.json.needsHuman).toEqual([expect.stringContaining('not merged yet')]);
  // The merge finishes the issue itself: done, its state committed alone, its lease released.
  const m = await jitp(repo.root, ['merge', '--test', 'true', '--json'], { JITP_JIT_BIN: '' });
  expect(m.code, m.stdout + m.stderr).toBe(0);
  expect(repo.git('show', 'HEAD~1:src/a.txt')).toBe('fixed');
  expect(m.json.steps[0].done).toMatchObject({ state: 'done', via: 'file', releasedLeases: [expect.any(String)] });
  expect(repo.git('show', '--format=', '--name-only', 'HEAD')).toBe(`.jit/issues/${U1}.json`);
  expect(JSON.parse(repo.git('show', `HEAD:.jit/issues/${U1}.json`)).state).toBe('done');
  // finish afterwards has nothing left to do, and says so.
  const before = repo.git('rev-parse', 'HEAD');
  const r = await jitp(repo.root, ['finish', U1, '--no-test', '--json'], { JITP_JIT_BIN: '' });
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.json.issues[0]).toMatchObject({ status: 'already-finished', releasedLeases: [] });
  expect(repo.git('rev-parse', 'HEAD')).toBe(before);
  const clean = await jitp(repo.root, ['cleanup', '--json']);
  expect(clean.code, clean.stdout).toBe(0);
  expect(clean.json.cleaned).toEqual([
    expect.objectContaining({ issue: U1, removedWorktree: true, deletedBranch: true }),
  ]);
  expect(repo.git('branch', '--list', branch)).toBe('');
});
