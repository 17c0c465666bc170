// `jitp merge` finishes what really merged: each issue whose branch merged (tests green) is marked
// done in its tracker, the change committed on the integration branch, its leases released;
// never for a conflict or a red test. Real repositories, linked worktrees from `jitp worktree add`,
// a task-file source and the real jit store fixture.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { discoverRepo } from '../../src/git/discover.js';
import { isLive } from '../../src/core/model.js';
import { openLocalStore } from '../../src/store/open.js';
import { readBatch } from '../../src/worktree/batch.js';
import { makeRepo, type TempRepo } from '../support/git.js';
import { jitFixture } from '../sources/fixture.js';
import { jitp } from '../worktree/helpers.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

// Never the jit CLI of the machine: the file path is what these tests check.
const ENV = { JITP_JIT_BIN: '' };

const liveLeaseIssues = async () => {
  const store = openLocalStore(discoverRepo(repo.root)!);
  return (await store.read()).leases.filter((l) => isLive(l)).map((l) => l.issueId);
};

/** `jitp worktree add` for the ids, then one commit of `edits[id]` in each worktree. */
async function worktreesWith(ids: string[], edits: Record<string, Record<string, string>>) {
  const r = await jitp(repo.root, ['worktree', 'add', ...ids, '--json'], ENV);
  expect(r.code, r.stderr).toBe(0);
  const wt: Record<string, string> = {};
  for (const w of r.json.worktrees) wt[w.issue] = w.worktree;
  for (const [id, files] of Object.entries(edits)) {
    for (const [f, c] of Object.entries(files)) {
      mkdirSync(join(wt[id]!, f, '..'), { recursive: true });
      writeFileSync(join(wt[id]!, f), c);
    }
    repo.git('-C', wt[id]!, 'add', '-A');
    repo.git('-C', wt[id]!, 'commit', '-qm', `work on ${id}`);
  }
  return wt;
}

function taskRepo(ids: string[]) {
  const files: Record<string, string> = { 'README.md': '# t\n', 'src/a.txt': 'a1\na2\na3\n' };
  for (const id of ids) files[`.jit-parallel/tasks/${id}.md`] = `---\nid: ${id}\ntitle: Task ${id}\n---\nDo ${id}.\n`;
  repo = makeRepo(files);
}

const taskState = (id: string) =>
  /^state: (\S+)$/m.exec(readFileSync(join(repo.root, '.jit-parallel', 'tasks', `${id}.md`), 'utf8'))?.[1] ?? 'ready';

describe('merged issues are finished', () => {
  test('task files: each merged issue marked done, committed, lease released; the checkout stays clean', async () => {
    taskRepo(['alpha', 'beta']);
    await worktreesWith(['alpha', 'beta'], { alpha: { 'src/alpha.txt': 'A\n' }, beta: { 'src/beta.txt': 'B\n' } });
    expect((await liveLeaseIssues()).sort()).toEqual(['alpha', 'beta']);
    const r = await jitp(repo.root, ['merge', '--json', '--test', 'true'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.steps.map((s: any) => [s.short, s.outcome, s.done?.state])).toEqual([
      ['alpha', 'merged', 'done'],
      ['beta', 'merged', 'done'],
    ]);
    for (const s of r.json.steps) {
      expect(s.done).toMatchObject({ via: 'file', file: `.jit-parallel/tasks/${s.short}.md` });
      expect(s.done.releasedLeases).toHaveLength(1);
      expect(repo.git('log', '-1', '--format=%s', s.done.commit)).toBe(`Mark ${s.short} done (merged ${s.branch})`);
      // The tracker commit holds exactly the task file.
      expect(repo.git('show', '--format=', '--name-only', s.done.commit)).toBe(`.jit-parallel/tasks/${s.short}.md`);
    }
    expect([taskState('alpha'), taskState('beta')]).toEqual(['done', 'done']);
    expect(await liveLeaseIssues()).toEqual([]);
    expect(repo.git('status', '--porcelain', '--untracked-files=no')).toBe('');
    // Said in the output, per issue.
    const text = r.stderr;
    expect(text).toMatch(/\[alpha\] marked done, released L-/);
    // `jitp issues` agrees.
    const issues = await jitp(repo.root, ['issues', '--json'], ENV);
    expect(issues.json.issues.map((i: any) => [i.id, i.state])).toEqual([
      ['alpha', 'done'],
      ['beta', 'done'],
    ]);
  });

  test('a conflict and a red test: those issues stay open with their leases; --continue finishes them', async () => {
    taskRepo(['alpha', 'beta', 'gamma']);
    await worktreesWith(['alpha', 'beta', 'gamma'], {
      alpha: { 'src/a.txt': 'ALPHA\na2\na3\n' },
      beta: { 'src/a.txt': 'BETA\na2\na3\n' },
      gamma: { 'src/gamma.txt': 'G\n' },
    });
    const r = await jitp(repo.root, ['merge', '--json', '--test', 'true'], ENV);
    expect(r.code).toBe(1);
    expect(r.json.steps.map((s: any) => [s.short, s.outcome, s.done?.state ?? null])).toEqual([
      ['alpha', 'merged', 'done'],
      ['beta', 'conflict', null],
    ]);
    expect([taskState('alpha'), taskState('beta'), taskState('gamma')]).toEqual(['done', 'ready', 'ready']);
    expect((await liveLeaseIssues()).sort()).toEqual(['beta', 'gamma']);
    // Resolve, then a red test on continue: still not done.
    writeFileSync(join(repo.root, 'src/a.txt'), 'ALPHA+BETA\na2\na3\n');
    repo.git('add', 'src/a.txt');
    const red = await jitp(repo.root, ['merge', '--continue', '--json', '--test', 'false'], ENV);
    expect(red.code).toBe(1);
    expect(red.json.steps.map((s: any) => [s.short, s.outcome, s.done ?? null])).toEqual([
      ['beta', 'test-failed', null],
    ]);
    expect(taskState('beta')).toBe('ready');
    expect((await liveLeaseIssues()).sort()).toEqual(['beta', 'gamma']);
    const green = await jitp(repo.root, ['merge', '--continue', '--test', 'true'], ENV);
    expect(green.code, green.stderr).toBe(0);
    // The report says what was marked done, under each merged line.
    expect(green.stdout).toMatch(
      /merged\s+beta\s.*\n\s+marked done \(\.jit-parallel\/tasks\/beta\.md, committed [0-9a-f]{12}\); released L-/,
    );
    expect(green.stdout).toMatch(/merged\s+gamma\s.*\n\s+marked done \(\.jit-parallel\/tasks\/gamma\.md/);
    expect([taskState('beta'), taskState('gamma')]).toEqual(['done', 'done']);
    expect(await liveLeaseIssues()).toEqual([]);
  });

  test('--no-done merges only: issues stay open, leases stay', async () => {
    taskRepo(['alpha']);
    await worktreesWith(['alpha'], { alpha: { 'src/alpha.txt': 'A\n' } });
    const r = await jitp(repo.root, ['merge', '--json', '--no-test', '--no-done'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.steps[0]).toMatchObject({ outcome: 'merged' });
    expect(r.json.steps[0].done).toBeUndefined();
    expect(taskState('alpha')).toBe('ready');
    expect(await liveLeaseIssues()).toEqual(['alpha']);
  });

  test('jit refuses the state change (its gates): reported, the lease kept, the queue goes on', async () => {
    repo = makeRepo({ 'README.md': '# t\n' });
    cpSync(jitFixture(), join(repo.root, '.jit'), { recursive: true });
    repo.commit('jit store');
    const listed = await jitp(repo.root, ['issues', '--json'], ENV);
    const [a, b] = (listed.json.issues as Array<{ id: string; state: string }>).filter((i) => i.state === 'ready');
    await worktreesWith([a!.id, b!.id], { [a!.id]: { 'one.txt': '1\n' }, [b!.id]: { 'two.txt': '2\n' } });
    // A jit CLI that refuses like jit does when a gate is not passed.
    const fake = join(repo.root, '..', 'fake-jit');
    writeFileSync(fake, '#!/bin/sh\necho \'{"error":{"message":"gate review not passed"}}\'\nexit 1\n', {
      mode: 0o755,
    });
    const r = await jitp(repo.root, ['merge', '--json', '--test', 'true'], { JITP_JIT_BIN: fake });
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.steps.map((s: any) => [s.outcome, s.done?.state])).toEqual([
      ['merged', 'failed'],
      ['merged', 'failed'],
    ]);
    expect(r.json.steps[0].done.error).toContain('gate review not passed');
    expect(r.stderr).toContain('NOT marked done: jit issue update refused: gate review not passed');
    expect((await liveLeaseIssues()).sort()).toEqual([a!.id, b!.id].sort());
    expect(repo.git('status', '--porcelain', '--untracked-files=no')).toBe('');
  });

  test('the real jit store: the merged issues are done in .jit with their events, leases released', async () => {
    repo = makeRepo({ 'README.md': '# t\n' });
    cpSync(jitFixture(), join(repo.root, '.jit'), { recursive: true });
    repo.commit('jit store');
    const listed = await jitp(repo.root, ['issues', '--json'], ENV);
    expect(listed.code, listed.stderr).toBe(0);
    const ready = (listed.json.issues as Array<{ id: string; shortId: string; state: string }>)
      .filter((i) => i.state === 'ready')
      .slice(0, 2);
    expect(ready).toHaveLength(2);
    const [a, b] = ready as [(typeof ready)[0], (typeof ready)[0]];
    await worktreesWith([a.id, b.id], { [a.id]: { 'one.txt': '1\n' }, [b.id]: { 'two.txt': '2\n' } });
    const r = await jitp(repo.root, ['merge', '--json', '--test', 'true'], ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.steps.map((s: any) => [s.outcome, s.done?.state, s.done?.via])).toEqual([
      ['merged', 'done', 'file'],
      ['merged', 'done', 'file'],
    ]);
    for (const i of [a, b]) {
      const file = JSON.parse(readFileSync(join(repo.root, '.jit', 'issues', `${i.id}.json`), 'utf8'));
      expect(file.state).toBe('done');
    }
    const events = readFileSync(join(repo.root, '.jit', 'events.jsonl'), 'utf8');
    expect(events).toContain(a.id);
    expect(events).toContain(b.id);
    expect(await liveLeaseIssues()).toEqual([]);
    expect(repo.git('status', '--porcelain', '--untracked-files=no')).toBe('');
    expect(readBatch(repo.root)!.issues.every((i) => i.merge.state === 'merged')).toBe(true);
  });
});
