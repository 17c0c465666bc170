import { describe, expect, it } from 'vitest';
import { selectIssues } from '../../src/plan/select.js';
import { mapTask } from '../../src/sources/task-map.js';

const mk = (id: string, state: string, deps: string[] = []) =>
  mapTask({ fallbackId: id, data: { state, depends_on: deps }, body: '', file: `${id}.md`, source: 'tasks' }).issue!;
const all = [
  mk('a', 'ready'),
  mk('b', 'done'),
  mk('c', 'ready', ['b']),
  mk('d', 'ready', ['a']),
  mk('e', 'wip'),
  mk('f', 'ready', ['e']),
  mk('g', 'ready', ['f']),
];
const get = (...ids: string[]) => ids.map((id) => all.find((i) => i.id === id)!);

describe('selection', () => {
  it.each([
    [
      'no ids: available ones; open others excluded',
      null,
      ['a', 'c'],
      {
        d: 'blocked by a (ready)',
        e: 'not ready (in_progress)',
        f: 'blocked by e (in_progress)',
        g: 'blocked by f (ready)',
      },
    ],
    ['a dependency inside the selection is fine', ['a', 'd'], ['a', 'd'], {}],
    ['a done dependency in the selection does not block', ['b', 'c'], ['c'], { b: 'closed (done)' }],
    ['a dependency outside the selection blocks', ['d'], [], { d: 'blocked by a (ready, not in this plan)' }],
    [
      'exclusion cascades',
      ['e', 'f', 'g'],
      [],
      {
        e: 'not ready (in_progress)',
        f: 'blocked by e (excluded: not ready (in_progress))',
        g: 'blocked by f (excluded: blocked by e (excluded: not ready (in_progress)))',
      },
    ],
  ] as const)('%s', (_n, ids, selected, excluded) => {
    const r = selectIssues(all, ids ? get(...ids) : null, new Map());
    expect(r.selected.map((i) => i.id)).toEqual(selected);
    expect(Object.fromEntries(r.excluded.map((e) => [e.id, e.reason]))).toEqual(excluded);
  });
  it('held issues', () => {
    const r = selectIssues(all, get('a'), new Map([['a', { issueId: 'a', agentId: 'agent:z', expiresAt: 'T' }]]));
    expect(r.excluded).toEqual([{ id: 'a', reason: 'held by agent:z until T' }]);
  });
});
