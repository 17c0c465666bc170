// Task files, batch lists, acceptance criteria, availability: table tests plus a real folder.
import { describe, expect, it } from 'vitest';
import { parseBatchList } from '../../src/sources/batch.js';
import { extractAcceptanceCriteria } from '../../src/sources/markdown.js';
import { mapTask } from '../../src/sources/task-map.js';
import { availabilityOf } from '../../src/sources/available.js';
import { openIssueSource } from '../../src/sources/detect.js';
import type { Issue } from '../../src/sources/types.js';
import { makeRepo } from '../support/git.js';

const map = (data: Record<string, unknown>, body = '') =>
  mapTask({ fallbackId: 'stem', data, body, file: 't.md', source: 'tasks' });

describe('task front matter', () => {
  it.each([
    [{}, 'ready'],
    [{ state: 'todo' }, 'ready'],
    [{ state: 'WIP' }, 'in_progress'],
    [{ state: 'in review' }, 'backlog'],
    [{ state: 'closed' }, 'done'],
    [{ state: "won't fix" }, 'rejected'],
    [{ state: 'blocked' }, 'backlog'],
  ])('%j -> %s', (data, state) => expect(map(data).issue!.state).toBe(state));
  it('reports unknown values and keeps the task', () => {
    const r = map({ state: 'in review', risk: 'purple', priority: 'urgent' });
    expect(r.issue).toBeDefined();
    expect(r.problems.map((p) => p.message)).toEqual([
      'unknown state "in review"; treated as backlog (never available)',
      'unknown priority "urgent"; treated as normal',
      'unknown risk "purple" (GREEN, YELLOW, RED or CRITICAL); ignored',
    ]);
  });
  it('maps fields; id from the file stem, title from the first heading', () => {
    const r = map(
      { depends_on: 'a, b', files: ['src/x.ts', 3], risk: 'red' },
      '# Do the thing\n\n- [ ] one\n- [x] two\n',
    );
    expect(r.issue).toMatchObject({
      id: 'stem',
      title: 'Do the thing',
      dependencies: ['a', 'b'],
      declaredFiles: ['src/x.ts'],
      declaredRisk: 'RED',
      acceptanceCriteria: ['one', 'two'],
    });
    expect(r.problems[0]!.message).toMatch(/not strings/);
  });
  it.each([['has space'], ['a/b'], ['..'], ['x'.repeat(200)], ['tab\there']])('refuses id %j', (id) => {
    const r = map({ id });
    expect(r.issue).toBeUndefined();
    expect(r.problems[0]!.loaded).toBe(false);
  });
});

describe('acceptance criteria', () => {
  it.each([
    ['## Acceptance Criteria\n- a\n- b\n## Notes\n- c', ['a', 'b']],
    ['## Success Criteria\n1. a\n2) b\n', ['a', 'b']],
    ['**Acceptance criteria:**\n- a\n**Other:**\n- b', ['a']],
    ['## Acceptance Criteria\n### Part 1\n- a\n**Sub:**\n- b\n## Next\n- c', ['a', 'b']],
    ['text\n- [ ] x\n- [x] y\n- z', ['x', 'y']],
    ['## Acceptance Criteria\n```\n- not this\n```\n- this', ['this']],
    ['nothing', []],
  ])('%j', (md, want) => expect(extractAcceptanceCriteria(md)).toEqual(want));
});

describe('batch lists', () => {
  it('YAML list, {tasks}, strings, JSON; bad entries reported', () => {
    expect(
      parseBatchList('- title: A\n  instructions: do a\n- B plain\n', 'b.yaml').issues.map((i) => [
        i.id,
        i.title,
        i.description,
      ]),
    ).toEqual([
      ['t1', 'A', 'do a'],
      ['t2', 'B plain', 'B plain'],
    ]);
    const r = parseBatchList('{"tasks":[{"id":"x","title":"X","files":["a.ts"]},null,{"id":"x"}]}', 'b.json');
    expect(r.issues.map((i) => i.id)).toEqual(['x']);
    expect(r.problems.map((p) => p.message)).toEqual(['task is not an object; skipped', 'duplicate id x; skipped']);
    expect(() => parseBatchList('42', 'b.yaml')).toThrow(/holds no list of tasks/);
    expect(() => parseBatchList('[', 'b.json')).toThrow(/cannot parse batch list b.json/);
  });
});

describe('availability', () => {
  const mk = (id: string, state: Issue['state'], dependencies: string[] = []) =>
    map({ id, state: state === 'in_progress' ? 'wip' : state, depends_on: dependencies }).issue!;
  const issues = [
    mk('a', 'ready'),
    mk('b', 'done'),
    mk('c', 'ready', ['b']),
    mk('d', 'ready', ['a']),
    mk('e', 'backlog'),
    mk('f', 'ready', ['zz']),
  ];
  const byId = new Map(issues.map((i) => [i.id, i]));
  it.each([
    ['a', true, undefined],
    ['b', false, 'closed (done)'],
    ['c', true, undefined],
    ['d', false, 'blocked by a (ready)'],
    ['e', false, 'not ready (backlog)'],
    ['f', false, 'blocked by zz (unknown issue)'],
  ])('%s', (id, available, reason) => {
    const a = availabilityOf(byId.get(id)!, byId, new Map());
    expect([a.available, a.reason]).toEqual([available, reason]);
  });
  it('a live hold', () => {
    const a = availabilityOf(
      byId.get('a')!,
      byId,
      new Map([['a', { issueId: 'a', agentId: 'agent:x', expiresAt: '2030-01-01T00:00:00Z' }]]),
    );
    expect(a.reason).toBe('held by agent:x until 2030-01-01T00:00:00Z');
  });
});

describe('source detection', () => {
  it('auto picks tasks without .jit; config errors are clear', () => {
    const repo = makeRepo();
    try {
      expect(
        openIssueSource({ root: repo.root, config: { source: 'auto', tasksDir: '.jit-parallel/tasks' } }).kind,
      ).toBe('tasks');
      expect(
        openIssueSource({ root: repo.root, config: { source: 'auto', tasksDir: '.jit-parallel/tasks' } }).list(),
      ).toEqual([]);
      expect(() => openIssueSource({ root: repo.root, config: { source: 'jit', tasksDir: 'x' } })).toThrow(
        /source: jit/,
      );
      expect(() => openIssueSource({ root: repo.root, config: { source: 'tasks', tasksDir: '../elsewhere' } })).toThrow(
        /inside the repository/,
      );
      repo.write('.jit/issues/.keep', '');
      expect(openIssueSource({ root: repo.root, config: { source: 'auto', tasksDir: 'x' } }).kind).toBe('jit');
    } finally {
      repo.cleanup();
    }
  });
});
