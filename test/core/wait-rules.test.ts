// The hand-off's store rules: finish, the wait record, and take (an extend that moves paths away
// from finished leases and refuses while an unfinished one holds them).
import { describe, expect, test } from 'vitest';
import * as R from '../../src/core/lease-rules.js';
import * as W from '../../src/core/wait-rules.js';
import type { StoreSnapshot } from '../../src/core/model.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
let n = 0;
const clock = (ms = T0) => ({ nowMs: ms, randomHex: (b: number) => (n++).toString(16).padStart(b * 2, '0') });
const AG = 'agent:o';
const acq = (s: StoreSnapshot, issueId: string, paths: string[]) =>
  R.acquire(s, { issueId, agentId: AG, paths, ttlSecs: 600 }, clock());

function two() {
  const a = acq(R.emptySnapshot(), 'ia', ['a.ts']);
  const b = acq(a.snapshot, 'ib', ['b.ts', 'lib/**']);
  return { s: b.snapshot, A: a.lease, B: b.lease };
}

describe('finish', () => {
  test('marks the lease finished, once; the version moves only the first time', () => {
    const { s, B } = two();
    const f = W.finish(s, B.id, 'claude:x', clock(T0 + 1000));
    expect(f.lease.finishedAt).toBe(new Date(T0 + 1000).toISOString());
    expect(f.snapshot.version).toBe(s.version + 1);
    expect(f.events.map((e) => e.type)).toEqual(['finish']);
    const again = W.finish(f.snapshot, B.id, 'claude:x', clock(T0 + 2000));
    expect(again.changed).toBe(false);
  });
  test('an unknown lease is E_NOT_FOUND', () => {
    const { s } = two();
    expect(() => W.finish(s, 'L-nope', 'x', clock())).toThrow(expect.objectContaining({ code: 'E_NOT_FOUND' }));
  });
  test('a new bind clears the mark (a follow-up sub-agent works for the lease again)', () => {
    const { s, B } = two();
    const f = W.finish(s, B.id, 'claude:x', clock());
    const b = R.bind(f.snapshot, B.id, B.bindSecret!, 'agent2', clock());
    expect(b.lease.finishedAt).toBeUndefined();
  });
});

describe('setWaiting', () => {
  test('records and clears the wait on the caller’s own lease only', () => {
    const { s, A } = two();
    const w = { path: 'b.ts', since: 'x', until: new Date(T0 + 60_000).toISOString(), pid: 1, host: 'h' };
    const r = W.setWaiting(s, { issueId: 'ia', agentId: AG }, w, clock());
    expect(r.lease).toMatchObject({ id: A.id, waiting: w });
    const c = W.setWaiting(r.snapshot, { issueId: 'ia', agentId: AG }, null, clock());
    expect(c.lease.waiting).toBeUndefined();
    expect(W.setWaiting(c.snapshot, { issueId: 'ia', agentId: AG }, null, clock()).changed).toBe(false);
    expect(() => W.setWaiting(s, { issueId: 'ia', agentId: 'agent:other' }, w, clock())).toThrow(
      expect.objectContaining({ code: 'E_LEASE_LOST' }),
    );
  });
});

describe('take', () => {
  const ref = { issueId: 'ia', agentId: AG };
  test('refuses with E_HELD while an unfinished lease holds the path', () => {
    const { s } = two();
    expect(() => W.take(s, ref, ['b.ts'], clock())).toThrow(expect.objectContaining({ code: 'E_HELD' }));
  });
  test('a free path is a plain extend', () => {
    const { s } = two();
    const t = W.take(s, ref, ['c.ts'], clock());
    expect(t.lease.paths).toEqual(['a.ts', 'c.ts']);
    expect(t.events.map((e) => e.type)).toEqual(['extend']);
  });
  test('takes from a finished holder: the path moves, the giver records the hand-off, nothing overlaps', () => {
    const { s, A, B } = two();
    const f = W.finish(s, B.id, 'claude:x', clock()).snapshot;
    const waiting = W.setWaiting(
      f,
      ref,
      { path: 'b.ts', since: 'x', until: new Date(T0 + 60_000).toISOString(), pid: 1, host: 'h' },
      clock(),
    ).snapshot;
    const t = W.take(waiting, ref, ['b.ts'], clock(T0 + 5000));
    expect(t.lease).toMatchObject({ id: A.id, paths: ['a.ts', 'b.ts'] });
    expect(t.lease.waiting).toBeUndefined();
    const giver = t.snapshot.leases.find((l) => l.id === B.id)!;
    expect(giver.paths).toEqual(['lib/**']);
    expect(giver.handedOff).toEqual([
      { path: 'b.ts', toLeaseId: A.id, toIssueId: 'ia', at: new Date(T0 + 5000).toISOString() },
    ]);
    expect(R.liveOverlaps(t.snapshot.leases, T0 + 5000)).toEqual([]);
    expect(t.events.map((e) => e.type)).toEqual(['handoff', 'extend']);
  });
  test('a glob entry of a finished holder goes whole', () => {
    const { s, B } = two();
    const f = W.finish(s, B.id, 'claude:x', clock()).snapshot;
    const t = W.take(f, ref, ['lib/x.ts'], clock());
    expect(t.snapshot.leases.find((l) => l.id === B.id)!.paths).toEqual(['b.ts']);
    expect(t.lease.paths).toContain('lib/x.ts');
  });
  test('replay of the events rebuilds the same leases (doctor --repair)', () => {
    const a = acq(R.emptySnapshot(), 'ia', ['a.ts']);
    const b = acq(a.snapshot, 'ib', ['b.ts']);
    const f = W.finish(b.snapshot, b.lease.id, 'claude:x', clock());
    const t = W.take(f.snapshot, ref, ['b.ts'], clock());
    const events = [...a.events, ...b.events, ...f.events, ...t.events];
    const byId = (x: StoreSnapshot) => Object.fromEntries(x.leases.map((l) => [l.id, l]));
    expect(byId(R.replay(events))).toEqual(byId(t.snapshot));
  });
});
