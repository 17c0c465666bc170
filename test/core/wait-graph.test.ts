// One step of `jitp claim wait` over a snapshot, and the deadlock rule (the youngest waiter of a
// cycle yields), by table.
import { describe, expect, test } from 'vitest';
import { describeCycle, waitStep, type WaitStep } from '../../src/core/wait-graph.js';
import type { Lease, LeaseWait } from '../../src/core/model.js';

const NOW = Date.parse('2026-01-05T14:00:00Z');
const at = (min: number) => new Date(NOW + min * 60_000).toISOString();
const wait = (path: string, sinceMin: number, extra: Partial<LeaseWait> = {}): LeaseWait => ({
  path,
  since: at(sinceMin),
  until: at(10),
  pid: 1,
  host: 'h',
  ...extra,
});
const lease = (id: string, paths: string[], extra: Partial<Lease> = {}): Lease => ({
  id,
  issueId: `issue-${id}`,
  agentId: 'agent:o',
  worktree: null,
  branch: null,
  paths,
  ttlSecs: 1800,
  acquiredAt: at(-20),
  renewedAt: at(-20),
  expiresAt: at(20),
  token: 1,
  ...extra,
});

const step = (leases: Lease[], leaseId: string, path: string, isStale?: (w: LeaseWait) => boolean): WaitStep =>
  waitStep({ leases, nowMs: NOW, leaseId, path, ...(isStale ? { isStale } : {}) });
const kind = (s: WaitStep) => (s.kind === 'wait' && s.cycle ? 'wait (cycle, another yields)' : s.kind);

describe('waitStep: table', () => {
  const A = lease('L-a', ['a.ts']);
  const B = lease('L-b', ['b.ts']);
  const C = lease('L-c', ['c.ts']);
  type Row = [string, Lease[], string, string, string];
  const rows: Row[] = [
    ['free: nobody holds it', [A, B], 'L-a', 'x.ts', 'free'],
    ['free: I hold it myself', [A, B], 'L-a', 'a.ts', 'free'],
    ['held by an unfinished lease: wait', [A, B], 'L-a', 'b.ts', 'wait'],
    ['held through a glob: wait', [A, lease('L-g', ['src/**'])], 'L-a', 'src/x/y.ts', 'wait'],
    ['my path is a glob over a held file: wait', [A, lease('L-g', ['src/y.ts'])], 'L-a', 'src/*.ts', 'wait'],
    [
      'held by a finished lease: free (hand-off)',
      [A, lease('L-b', ['b.ts'], { finishedAt: at(-1) })],
      'L-a',
      'b.ts',
      'free',
    ],
    ['held by an expired lease: free', [A, lease('L-b', ['b.ts'], { expiresAt: at(-1) })], 'L-a', 'b.ts', 'free'],
    ['my lease expired: lost', [lease('L-a', ['a.ts'], { expiresAt: at(-1) }), B], 'L-a', 'b.ts', 'lost'],
    ['my lease is gone: lost', [B], 'L-a', 'b.ts', 'lost'],
    [
      'two-cycle, I am new (no record yet): I yield',
      [A, lease('L-b', ['b.ts'], { waiting: wait('a.ts', -2) })],
      'L-a',
      'b.ts',
      'deadlock',
    ],
    [
      'two-cycle, the other waiter is younger: it yields, I wait',
      [lease('L-a', ['a.ts'], { waiting: wait('b.ts', -5) }), lease('L-b', ['b.ts'], { waiting: wait('a.ts', -2) })],
      'L-a',
      'b.ts',
      'wait (cycle, another yields)',
    ],
    [
      'two-cycle, I am younger by record: I yield',
      [lease('L-a', ['a.ts'], { waiting: wait('b.ts', -1) }), lease('L-b', ['b.ts'], { waiting: wait('a.ts', -2) })],
      'L-a',
      'b.ts',
      'deadlock',
    ],
    [
      'same since: the larger lease id yields',
      [lease('L-a', ['a.ts'], { waiting: wait('b.ts', -1) }), lease('L-b', ['b.ts'], { waiting: wait('a.ts', -1) })],
      'L-b',
      'a.ts',
      'deadlock',
    ],
    [
      'three-cycle A->B->C->A, A is youngest',
      [A, lease('L-b', ['b.ts'], { waiting: wait('c.ts', -3) }), lease('L-c', ['c.ts'], { waiting: wait('a.ts', -2) })],
      'L-a',
      'b.ts',
      'deadlock',
    ],
    [
      'a chain is no cycle: B waits for C, C waits for nothing',
      [A, lease('L-b', ['b.ts'], { waiting: wait('c.ts', -3) }), C],
      'L-a',
      'b.ts',
      'wait',
    ],
    [
      'a cycle elsewhere (B<->C) that does not pass through me: wait',
      [A, lease('L-b', ['b.ts'], { waiting: wait('c.ts', -3) }), lease('L-c', ['c.ts'], { waiting: wait('b.ts', -2) })],
      'L-a',
      'b.ts',
      'wait',
    ],
    [
      'the other wait passed its deadline: no edge, no cycle',
      [A, lease('L-b', ['b.ts'], { waiting: wait('a.ts', -2, { until: at(-1) }) })],
      'L-a',
      'b.ts',
      'wait',
    ],
    [
      'a finished holder on the way breaks the cycle',
      [A, lease('L-b', ['b.ts'], { waiting: wait('a.ts', -2), finishedAt: at(-1) })],
      'L-a',
      'b.ts',
      'free',
    ],
    [
      'the other waits through a glob for a file of mine: cycle',
      [lease('L-a', ['src/a.ts']), lease('L-b', ['b.ts'], { waiting: wait('src/**', -2) })],
      'L-a',
      'b.ts',
      'deadlock',
    ],
  ];
  test.each(rows)('%s', (_n, leases, me, path, want) => {
    expect(kind(step(leases, me, path))).toBe(want);
  });

  test('a waiting process that is gone (the stale predicate) is no edge', () => {
    const leases = [A, lease('L-b', ['b.ts'], { waiting: wait('a.ts', -2, { pid: 4242 }) })];
    expect(step(leases, 'L-a', 'b.ts').kind).toBe('deadlock');
    expect(step(leases, 'L-a', 'b.ts', (w) => w.pid === 4242).kind).toBe('wait');
  });

  test('free names the finished leases it takes from; wait names the holders', () => {
    const F = lease('L-f', ['b.ts', 'x/**'], { finishedAt: at(-1) });
    const s = step([A, F], 'L-a', 'x/y.ts');
    expect(s).toEqual({ kind: 'free', from: [F] });
    const w = step([A, B], 'L-a', 'b.ts');
    expect(w).toEqual({ kind: 'wait', holders: [B] });
  });

  test('the cycle is described edge by edge, starting at the caller', () => {
    const s = step(
      [A, lease('L-b', ['b.ts'], { waiting: wait('c.ts', -3) }), lease('L-c', ['c.ts'], { waiting: wait('a.ts', -2) })],
      'L-a',
      'b.ts',
    );
    expect(s.kind).toBe('deadlock');
    if (s.kind !== 'deadlock') return;
    expect(describeCycle(s.cycle)).toEqual([
      'lease L-a (issue issue-L-a) waits for b.ts, held by lease L-b (issue issue-L-b)',
      'lease L-b (issue issue-L-b) waits for c.ts, held by lease L-c (issue issue-L-c)',
      'lease L-c (issue issue-L-c) waits for a.ts, held by lease L-a (issue issue-L-a)',
    ]);
  });

  test('every waiter of a cycle agrees on who yields (exactly one)', () => {
    const leases = [
      lease('L-a', ['a.ts'], { waiting: wait('b.ts', -4) }),
      lease('L-b', ['b.ts'], { waiting: wait('c.ts', -3) }),
      lease('L-c', ['c.ts'], { waiting: wait('a.ts', -1) }),
    ];
    const verdicts = leases.map((l) => step(leases, l.id, l.waiting!.path).kind);
    expect(verdicts).toEqual(['wait', 'wait', 'deadlock']);
  });
});
