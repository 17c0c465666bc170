// `jitp merge` on real repositories: preview matrix, consolidated queue in dependency order
// with tests between merges, stops that keep the conflict, --continue, --skip, an interrupted
// run resumed, individual strategy, union merge of append-only logs.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { readUnionJsonl } from '../../src/core/jsonl-union.js';
import { readBatch } from '../../src/worktree/batch.js';
import { GIT_ENV, type TempRepo } from '../support/git.js';
import { DIST_JITP } from '../support/paths.js';
import { jitp, repoWithIssues, U1, U2, U3 } from '../worktree/helpers.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

/** Adds worktrees for the ids and commits `edits[id]` (file -> content) in each. */
async function batchWith(
  issues: Array<{ id: string; title: string; dependencies?: string[] }>,
  edits: Record<string, Record<string, string>>,
) {
  repo = repoWithIssues(issues);
  const r = await jitp(repo.root, ['worktree', 'add', ...issues.map((i) => i.id), '--json']);
  expect(r.code, r.stderr).toBe(0);
  const wt: Record<string, string> = {};
  for (const w of r.json.worktrees) wt[w.issue] = w.worktree;
  for (const [id, files] of Object.entries(edits)) {
    for (const [f, c] of Object.entries(files)) {
      mkdirSync(join(wt[id]!, f, '..'), { recursive: true });
      writeFileSync(join(wt[id]!, f), c);
    }
    repo.git('-C', wt[id]!, 'add', '-A');
    repo.git('-C', wt[id]!, 'commit', '-qm', `work on ${id.slice(0, 8)}`);
  }
  return wt;
}

const state = (id: string) => readBatch(repo.root)!.issues.find((i) => i.id === id)!.merge;

describe('preview', () => {
  test('matrix of every pair and each branch vs the tip; touches nothing', async () => {
    const wt = await batchWith(
      [
        { id: U1, title: 'one' },
        { id: U2, title: 'two' },
        { id: U3, title: 'three' },
      ],
      {
        [U1]: { 'src/a.txt': 'A1\na2\na3\n' },
        [U2]: { 'src/a.txt': 'A2\na2\na3\n' },
        [U3]: { 'src/new.txt': 'new\n' },
      },
    );
    repo.write('src/new.txt', 'main has another new.txt\n');
    repo.commit('main adds new.txt');
    const head = repo.git('rev-parse', 'HEAD');
    const wtHeads = Object.values(wt).map((w) => repo.git('-C', w, 'rev-parse', 'HEAD'));
    const r = await jitp(repo.root, ['merge', '--dry-run', '--json']);
    expect(r.code).toBe(1); // conflicts found
    const res = r.json.preview.results;
    expect(res).toHaveLength(6);
    const cell = (a: string, b: string) => res.find((x: any) => (x.a === a && x.b === b) || (x.a === b && x.b === a));
    expect(cell('11111111', '22222222')).toMatchObject({ clean: false, files: ['src/a.txt'] });
    expect(cell('tip', '33333333')).toMatchObject({ clean: false, files: ['src/new.txt'] });
    expect(cell('tip', '11111111')).toMatchObject({ clean: true });
    expect(cell('11111111', '33333333')).toMatchObject({ clean: true });
    // Nothing touched.
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(Object.values(wt).map((w) => repo.git('-C', w, 'rev-parse', 'HEAD'))).toEqual(wtHeads);
    for (const w of Object.values(wt)) expect(repo.git('-C', w, 'status', '--porcelain')).toBe('');
    const text = await jitp(repo.root, ['merge', '--dry-run']);
    expect(text.stdout).toMatch(/11111111\s+\.\s+-\s+X1\s+\./);
    expect(text.stdout).toContain('11111111 x 22222222: src/a.txt');
  });
});

describe('consolidated queue', () => {
  test('clean branches merge in dependency order with the test after each', async () => {
    // U1 depends on U3: U3 must go first although it is last in plan order.
    await batchWith(
      [
        { id: U1, title: 'one', dependencies: [U3] },
        { id: U2, title: 'two' },
        { id: U3, title: 'three' },
      ],
      { [U1]: { 'src/one.txt': '1\n' }, [U2]: { 'src/two.txt': '2\n' }, [U3]: { 'src/three.txt': '3\n' } },
    );
    const log = join(repo.root, '..', 'tests.log');
    const r = await jitp(repo.root, [
      'merge',
      '--json',
      '--test',
      `ls src >> ${JSON.stringify(log)}; echo --- >> ${JSON.stringify(log)}`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.steps.map((s: any) => [s.short, s.outcome])).toEqual([
      ['22222222', 'merged'],
      ['33333333', 'merged'],
      ['11111111', 'merged'],
    ]);
    expect(r.json.done).toBe(true);
    // The test ran after every merge, seeing the tree grow.
    const runs = readFileSync(log, 'utf8').split('---\n').filter(Boolean);
    expect(runs).toHaveLength(3);
    expect(runs[0]).toContain('two.txt');
    expect(runs[0]).not.toContain('three.txt');
    expect(runs[2]).toContain('one.txt');
    expect(r.stderr).toContain('(1/3) merging');
    expect(r.stderr).toContain('test passed');
    expect(repo.git('log', '--merges', '--format=%s').split('\n')).toHaveLength(3);
  });

  test('conflict: stops with the conflict kept, records why, --continue after resolving goes on', async () => {
    await batchWith(
      [
        { id: U1, title: 'one' },
        { id: U2, title: 'two' },
        { id: U3, title: 'three' },
      ],
      { [U1]: { 'src/a.txt': 'ONE\na2\na3\n' }, [U2]: { 'src/a.txt': 'TWO\na2\na3\n' }, [U3]: { 'src/c.txt': 'c\n' } },
    );
    const r = await jitp(repo.root, ['merge', '--json', '--test', 'true']);
    expect(r.code).toBe(1);
    expect(r.json.stopped).toMatchObject({ short: '22222222', because: 'conflict', files: ['src/a.txt'] });
    expect(r.json.stopped.next).toContain('jitp merge --continue');
    // The repository is as git left it: MERGE_HEAD and markers present.
    expect(existsSync(join(repo.root, '.git', 'MERGE_HEAD'))).toBe(true);
    expect(readFileSync(join(repo.root, 'src/a.txt'), 'utf8')).toContain('<<<<<<<');
    expect(state(U2)).toMatchObject({ state: 'conflict', files: ['src/a.txt'] });
    expect(state(U2).reason).toContain('src/a.txt');
    expect(readBatch(repo.root)!.mergeRun).toMatchObject({ state: 'stopped', current: U2, stoppedBecause: 'conflict' });
    // A plain `jitp merge` does not run over the stopped state.
    const again = await jitp(repo.root, ['merge']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--continue');
    expect(existsSync(join(repo.root, '.git', 'MERGE_HEAD'))).toBe(true);
    // --continue before resolving: refused, names the file.
    const early = await jitp(repo.root, ['merge', '--continue']);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain('src/a.txt');
    // Resolve, stage, continue: the merge is concluded and the queue goes on to U3.
    writeFileSync(join(repo.root, 'src/a.txt'), 'ONE+TWO\na2\na3\n');
    repo.git('add', 'src/a.txt');
    const cont = await jitp(repo.root, ['merge', '--continue', '--json']);
    expect(cont.code, cont.stderr).toBe(0);
    expect(cont.json.steps.map((s: any) => [s.short, s.outcome])).toEqual([
      ['22222222', 'merged'],
      ['33333333', 'merged'],
    ]);
    expect(readFileSync(join(repo.root, 'src/a.txt'), 'utf8')).toBe('ONE+TWO\na2\na3\n');
    expect([U1, U2, U3].map((id) => state(id).state)).toEqual(['merged', 'merged', 'merged']);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  test('a commit hook that refuses the concluding commit: clear error, merge still in progress', async () => {
    await batchWith(
      [
        { id: U1, title: 'one' },
        { id: U2, title: 'two' },
      ],
      { [U1]: { 'src/a.txt': 'ONE\na2\na3\n' }, [U2]: { 'src/a.txt': 'TWO\na2\na3\n' } },
    );
    expect((await jitp(repo.root, ['merge', '--test', ''])).code).toBe(1);
    writeFileSync(join(repo.root, 'src/a.txt'), 'BOTH\na2\na3\n');
    repo.git('add', 'src/a.txt');
    const hook = join(repo.root, '.git', 'hooks', 'pre-commit');
    writeFileSync(hook, '#!/bin/sh\necho "lint says no" >&2\nexit 1\n', { mode: 0o755 });
    const r = await jitp(repo.root, ['merge', '--continue']);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('lint says no');
    expect(existsSync(join(repo.root, '.git', 'MERGE_HEAD'))).toBe(true);
    const { rmSync } = await import('node:fs');
    rmSync(hook);
    const ok = await jitp(repo.root, ['merge', '--continue']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(state(U2).state).toBe('merged');
  });

  test('--skip on a conflict aborts that merge out loud; the branch keeps its work', async () => {
    const wt = await batchWith(
      [
        { id: U1, title: 'one' },
        { id: U2, title: 'two' },
      ],
      { [U1]: { 'src/a.txt': 'ONE\na2\na3\n' }, [U2]: { 'src/a.txt': 'TWO\na2\na3\n' } },
    );
    expect((await jitp(repo.root, ['merge', '--test', ''])).code).toBe(1);
    const tip2 = repo.git('-C', wt[U2]!, 'rev-parse', 'HEAD');
    const s = await jitp(repo.root, ['merge', '--skip']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toContain('aborting the in-progress merge');
    expect(s.stdout).toContain('skipped');
    expect(existsSync(join(repo.root, '.git', 'MERGE_HEAD'))).toBe(false);
    expect(state(U2)).toMatchObject({ state: 'skipped' });
    expect(repo.git('rev-parse', `refs/heads/jit/22222222-two`)).toBe(tip2);
    expect(readFileSync(join(repo.root, 'src/a.txt'), 'utf8')).toBe('ONE\na2\na3\n');
  });

  test('a failing test between merges stops the queue; --skip undoes that merge and goes on', async () => {
    await batchWith(
      [
        { id: U1, title: 'one' },
        { id: U2, title: 'breaks' },
        { id: U3, title: 'three' },
      ],
      { [U1]: { 'src/one.txt': 'ok\n' }, [U2]: { 'src/two.txt': 'BROKEN\n' }, [U3]: { 'src/three.txt': 'ok\n' } },
    );
    const test = '! grep -rq BROKEN src';
    const r = await jitp(repo.root, ['merge', '--json', '--test', test]);
    expect(r.code).toBe(1);
    expect(r.json.steps.map((s: any) => [s.short, s.outcome])).toEqual([
      ['11111111', 'merged'],
      ['22222222', 'test-failed'],
    ]);
    expect(r.json.stopped).toMatchObject({ because: 'test-failed', short: '22222222' });
    expect(state(U2).state).toBe('test-failed');
    expect(state(U2).reason).toContain(test);
    const merged2 = repo.git('rev-parse', 'HEAD');
    // --continue without a fix re-runs the tests and stops again.
    const again = await jitp(repo.root, ['merge', '--continue']);
    expect(again.code).toBe(1);
    expect(repo.git('rev-parse', 'HEAD')).toBe(merged2);
    // --skip resets to before the merge, says so, goes on with U3.
    const s = await jitp(repo.root, ['merge', '--skip', '--json']);
    expect(s.code, s.stderr).toBe(0);
    expect(s.stderr).toContain(`stays reachable as ${merged2}`);
    expect(s.json.steps.map((x: any) => [x.short, x.outcome])).toEqual([
      ['22222222', 'skipped'],
      ['33333333', 'merged'],
    ]);
    expect(existsSync(join(repo.root, 'src/two.txt'))).toBe(false);
    expect(existsSync(join(repo.root, 'src/three.txt'))).toBe(true);
    expect(repo.git('rev-parse', 'refs/heads/jit/22222222-breaks')).toBeTruthy();
  });

  test('a failing test fixed by a commit: --continue re-tests and goes on', async () => {
    await batchWith(
      [
        { id: U1, title: 'breaks' },
        { id: U2, title: 'two' },
      ],
      { [U1]: { 'src/one.txt': 'BROKEN\n' }, [U2]: { 'src/two.txt': 'ok\n' } },
    );
    expect((await jitp(repo.root, ['merge', '--test', '! grep -rq BROKEN src'])).code).toBe(1);
    repo.write('src/one.txt', 'fixed\n');
    repo.commit('fix after merge');
    const c = await jitp(repo.root, ['merge', '--continue', '--json']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.json.steps.map((x: any) => [x.short, x.outcome])).toEqual([
      ['11111111', 'merged'],
      ['22222222', 'merged'],
    ]);
  });

  test('an interrupted run (process killed during the test) resumes with --continue', async () => {
    await batchWith(
      [
        { id: U1, title: 'one' },
        { id: U2, title: 'two' },
      ],
      { [U1]: { 'src/one.txt': '1\n' }, [U2]: { 'src/two.txt': '2\n' } },
    );
    const marker = join(repo.root, '..', 'test-started');
    const child = spawn(process.execPath, [DIST_JITP, 'merge', '--test', `touch ${JSON.stringify(marker)}; sleep 30`], {
      cwd: repo.root,
      env: { ...process.env, ...GIT_ENV },
      stdio: 'ignore',
      detached: true,
    });
    for (let i = 0; i < 200 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(marker)).toBe(true);
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.on('close', r));
    const b = readBatch(repo.root)!;
    expect(b.mergeRun).toMatchObject({ state: 'running', current: U1 });
    // A fresh `jitp merge` refuses to start over the interrupted state.
    expect((await jitp(repo.root, ['merge'])).code).toBe(1);
    const c = await jitp(repo.root, ['merge', '--continue', '--test', 'true', '--json']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.json.steps.map((x: any) => [x.short, x.outcome])).toEqual([
      ['11111111', 'merged'],
      ['22222222', 'merged'],
    ]);
    expect(repo.git('log', '--merges', '--format=%s').split('\n')).toHaveLength(2);
  });

  test('uncommitted work in a worktree is not merged and is reported', async () => {
    const wt = await batchWith([{ id: U1, title: 'one' }], { [U1]: { 'src/one.txt': '1\n' } });
    writeFileSync(join(wt[U1]!, 'src/extra.txt'), 'uncommitted\n');
    const r = await jitp(repo.root, ['merge', '--json', '--test', '']);
    expect(r.json.steps).toEqual([
      expect.objectContaining({ outcome: 'not-ready', detail: expect.stringContaining('uncommitted') }),
    ]);
    expect(repo.git('log', '--merges', '--format=%s')).toBe('');
  });
});

describe('individual strategy', () => {
  test('merges nothing, prints push and PR commands for each ready branch', async () => {
    // U1 depends on U2: both get a PR (a dependency does not hold a PR back), U2's first.
    await batchWith(
      [
        { id: U1, title: 'it\'s "quoted"', dependencies: [U2] },
        { id: U2, title: 'two' },
      ],
      { [U1]: { 'src/one.txt': '1\n' }, [U2]: { 'src/two.txt': '2\n' } },
    );
    const head = repo.git('rev-parse', 'HEAD');
    const r = await jitp(repo.root, ['merge', '--strategy', 'individual', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(repo.git('rev-parse', 'HEAD')).toBe(head);
    expect(r.json.pullRequests).toHaveLength(2);
    expect(r.json.pullRequests.map((p: any) => p.short)).toEqual(['22222222', '11111111']);
    expect(r.json.pullRequests[1].commands[0]).toBe('git push -u origin jit/11111111-it-s-quoted');
    expect(r.json.pullRequests[1].commands[1]).toContain('gh pr create --base main --head jit/11111111-it-s-quoted');
    expect(state(U1).state).toBe('ready');
  });
});

describe('union merge of append-only logs', () => {
  test('after `jitp init`, events appended on two branches merge cleanly; readers dedupe by id', async () => {
    repo = repoWithIssues(
      [
        { id: U1, title: 'one' },
        { id: U2, title: 'two' },
      ],
      { '.jit/events.jsonl': '{"id":"e0","type":"created"}\n' },
    );
    const init = await jitp(repo.root, ['init', '--json']);
    expect(init.json.added).toEqual(['.jit/events.jsonl merge=union']);
    expect((await jitp(repo.root, ['init', '--json'])).json.added).toEqual([]);
    repo.git('add', '.gitattributes');
    repo.git('commit', '-qm', 'attrs');
    const r = await jitp(repo.root, ['worktree', 'add', U1, U2, '--json']);
    const [w1, w2] = r.json.worktrees.map((w: any) => w.worktree);
    appendFileSync(join(w1, '.jit/events.jsonl'), '{"id":"e1","type":"a"}\n{"id":"dup","type":"same"}\n');
    appendFileSync(join(w2, '.jit/events.jsonl'), '{"id":"e2","type":"b"}\n{"id":"dup","type":"same"}\n');
    for (const w of [w1, w2]) {
      repo.git('-C', w, 'commit', '-qam', 'events');
    }
    // --no-done: only the branches' own events (marking done would append jit's done events).
    const m = await jitp(repo.root, ['merge', '--json', '--test', '', '--no-done']);
    expect(m.code, m.stderr).toBe(0);
    const text = readFileSync(join(repo.root, '.jit/events.jsonl'), 'utf8');
    const ev = readUnionJsonl(text);
    expect(ev.events.map((e) => e.id).sort()).toEqual(['dup', 'e0', 'e1', 'e2']);
  });
});

describe('the test command between merges (issue 14, item 9)', () => {
  const broken = async () => {
    await batchWith(
      [
        { id: U1, title: 'one' },
        { id: U2, title: 'breaks' },
      ],
      { [U1]: { 'src/one.txt': 'ok\n' }, [U2]: { 'src/two.txt': 'BROKEN\n' } },
    );
    // The project's own test command, found as verify finds it (package.json scripts.test).
    repo.write('package.json', JSON.stringify({ scripts: { test: '! grep -rq BROKEN src' } }));
    repo.commit('tests');
  };

  test('runs by default, says so, and a red test stops the queue with a clear message', async () => {
    await broken();
    const r = await jitp(repo.root, ['merge']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('tests between merges: npm test (from package.json scripts.test)');
    expect(r.stdout).toContain('stopped at 22222222: the tests failed after merging it');
    expect(r.stdout).toContain('jitp merge --skip');
    expect(state(U1).state).toBe('merged');
    expect(state(U2).state).toBe('test-failed');
  });

  test('--no-test merges without them and says so; --test with --no-test is a usage error', async () => {
    await broken();
    expect((await jitp(repo.root, ['merge', '--no-test', '--test', 'true'])).code).toBe(2);
    const r = await jitp(repo.root, ['merge', '--no-test', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('tests between merges: skipped (--no-test)');
    expect(r.json.steps.map((s: any) => s.outcome)).toEqual(['merged', 'merged']);
  });

  test('no test command anywhere: merges, saying how to set one', async () => {
    await batchWith([{ id: U1, title: 'one' }], { [U1]: { 'src/one.txt': 'ok\n' } });
    const r = await jitp(repo.root, ['merge']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('none (no test command found: set test.command');
  });
});
