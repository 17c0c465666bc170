import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as R from '../../src/core/lease-rules.js';
import { globsOverlap } from '../../src/core/globs.js';
import type { StoreSnapshot } from '../../src/core/model.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
let n = 0;
const clock = (ms = T0) => ({ nowMs: ms, randomHex: (b: number) => (n++).toString(16).padStart(b * 2, '0') });
const A = 'agent:a';
const B = 'agent:b';
const acq = (s: StoreSnapshot, issueId: string, agentId: string, paths: string[] = [], ms = T0, ttlSecs = 60) =>
  R.acquire(s, { issueId, agentId, paths, ttlSecs }, clock(ms));

describe('lease rules: table', () => {
  it('acquire grants with token = new version and a 32-hex bind secret', () => {
    const c = acq(R.emptySnapshot(), 'i1', A, ['src/**']);
    expect(c.snapshot.version).toBe(1);
    expect(c.lease.token).toBe(1);
    expect(c.lease.bindSecret).toMatch(/^[0-9a-f]{32}$/);
    expect(c.lease.expiresAt).toBe(new Date(T0 + 60_000).toISOString());
    expect(c.events.map((e) => e.type)).toEqual(['acquire']);
  });
  it('a live lease on the issue blocks another agent with E_HELD naming holder, lease and expiry', () => {
    const s = acq(R.emptySnapshot(), 'i1', A).snapshot;
    try {
      acq(s, 'i1', B);
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ code: 'E_HELD', exitCode: 3 });
      expect(String((e as Error).message)).toMatch(/agent:a.*issue i1.*lease L-.*until 2026-01-01T00:01:00/);
    }
  });
  it('overlapping paths block across issues; disjoint do not', () => {
    const s = acq(R.emptySnapshot(), 'i1', A, ['src/auth/**']).snapshot;
    expect(() => acq(s, 'i2', B, ['src/**/*.ts'])).toThrow(
      expect.objectContaining({
        code: 'E_HELD',
        details: expect.objectContaining({ overlaps: [{ requested: 'src/**/*.ts', held: 'src/auth/**' }] }),
      }),
    );
    expect(() => acq(s, 'i2', A, ['src/auth/x.ts'])).toThrow(/overlaps/);
    expect(acq(s, 'i2', B, ['src/ui/**', 'docs/*.md']).snapshot.leases).toHaveLength(2);
  });
  it('expired leases never count and are swept by the next writer; takeover gets a new token', () => {
    const s1 = acq(R.emptySnapshot(), 'i1', A, ['x'], T0, 10);
    const c = acq(s1.snapshot, 'i1', B, ['x'], T0 + 10_000);
    expect(c.events.map((e) => e.type)).toEqual(['expire', 'acquire']);
    expect(c.events[1]!.takeoverOf).toBe(s1.lease.id);
    expect(c.lease.token).toBe(2);
    expect(c.snapshot.leases.map((l) => l.agentId)).toEqual([B]);
  });
  it('re-acquire by the holder renews, keeps the token and unions paths', () => {
    const s1 = acq(R.emptySnapshot(), 'i1', A, ['a']);
    const c = acq(s1.snapshot, 'i1', A, ['b'], T0 + 5000);
    expect(c.lease.token).toBe(1);
    expect(c.lease.id).toBe(s1.lease.id);
    expect(c.lease.paths).toEqual(['a', 'b']);
    expect(c.snapshot.version).toBe(2);
  });
  it('renew keeps token, moves expiry; CAS mismatch is E_LEASE_LOST', () => {
    const s1 = acq(R.emptySnapshot(), 'i1', A, [], T0, 60);
    const r = R.renew(s1.snapshot, { issueId: 'i1', agentId: A, token: 1 }, clock(T0 + 30_000));
    expect(r.lease.token).toBe(1);
    expect(r.lease.expiresAt).toBe(new Date(T0 + 90_000).toISOString());
    expect(() => R.renew(s1.snapshot, { issueId: 'i1', agentId: B }, clock())).toThrow(
      expect.objectContaining({ code: 'E_LEASE_LOST', exitCode: 6 }),
    );
    expect(() => R.renew(s1.snapshot, { issueId: 'i1', agentId: A, token: 7 }, clock())).toThrow(/token 7 is stale/);
    expect(() => R.renew(s1.snapshot, { issueId: 'i1', agentId: A }, clock(T0 + 61_000))).toThrow(/no live lease/);
  });
  it('a holder that slept past its TTL cannot release the new holder', () => {
    const s1 = acq(R.emptySnapshot(), 'i1', A, [], T0, 10);
    const s2 = acq(s1.snapshot, 'i1', B, [], T0 + 20_000);
    expect(() => R.release(s2.snapshot, { issueId: 'i1', agentId: A, token: 1 }, clock(T0 + 21_000))).toThrow(
      /held by agent:b/,
    );
    // Same agent re-acquiring after expiry still gets a new token; the old token is dead.
    const s3 = acq(s1.snapshot, 'i1', A, [], T0 + 20_000);
    expect(s3.lease.token).toBe(2);
    expect(() => R.release(s3.snapshot, { issueId: 'i1', agentId: A, token: 1 }, clock(T0 + 21_000))).toThrow(/stale/);
  });
  it('extend adds paths after checking overlap, keeps token', () => {
    let s = acq(R.emptySnapshot(), 'i1', A, ['a/**']).snapshot;
    s = acq(s, 'i2', B, ['b/**']).snapshot;
    expect(() => R.extend(s, { issueId: 'i1', agentId: A }, ['b/x'], clock())).toThrow(
      expect.objectContaining({ code: 'E_HELD' }),
    );
    const c = R.extend(s, { issueId: 'i1', agentId: A, token: 1 }, ['c/*', 'a/**'], clock());
    expect(c.lease.paths).toEqual(['a/**', 'c/*']);
    expect(c.lease.token).toBe(1);
  });
  it('release and evict remove; evict needs a reason and records who and why', () => {
    let s = acq(R.emptySnapshot(), 'i1', A).snapshot;
    const id = s.leases[0]!.id;
    expect(() => R.evict(s, id, 'agent:admin', '', clock())).toThrow(/reason/);
    expect(() => R.evict(s, 'L-nope', 'agent:admin', 'x', clock())).toThrow(expect.objectContaining({ exitCode: 4 }));
    const e = R.evict(s, id, 'agent:admin', 'stuck', clock());
    expect(e.snapshot.leases).toEqual([]);
    expect(e.events[0]).toMatchObject({ type: 'evict', by: 'agent:admin', reason: 'stuck', evicted: A });
    s = acq(R.emptySnapshot(), 'i1', A).snapshot;
    expect(R.release(s, { issueId: 'i1', agentId: A }, clock()).snapshot.leases).toEqual([]);
  });
  it('bind checks the secret and is idempotent', () => {
    const c = acq(R.emptySnapshot(), 'i1', A);
    const { id, bindSecret } = c.lease;
    expect(() => R.bind(c.snapshot, id, 'f'.repeat(32), 'sub1', clock())).toThrow(
      expect.objectContaining({ code: 'E_BIND_SECRET' }),
    );
    expect(() => R.bind(c.snapshot, id, 'short', 'sub1', clock())).toThrow(
      expect.objectContaining({ code: 'E_BIND_SECRET' }),
    );
    const b1 = R.bind(c.snapshot, id, bindSecret!, 'sub1', clock());
    expect(b1.changed).toBe(true);
    expect(b1.lease.meta).toEqual({ claudeAgentIds: ['sub1'] });
    const b2 = R.bind(b1.snapshot, id, bindSecret!, 'sub1', clock());
    expect(b2.changed).toBe(false);
    expect(b2.snapshot).toBe(b1.snapshot);
    expect(R.bind(b1.snapshot, id, bindSecret!, 'sub2', clock()).lease.meta).toEqual({
      claudeAgentIds: ['sub1', 'sub2'],
    });
  });
  it('rejects silly TTLs', () => {
    expect(() => acq(R.emptySnapshot(), 'i1', A, [], T0, 0)).toThrow(/TTL/);
    expect(() => acq(R.emptySnapshot(), 'i1', A, [], T0, 1.5)).toThrow(/TTL/);
  });
});

// Model-based: random operation sequences; after each step check the invariants directly.
describe('lease rules: properties', () => {
  const agents = ['agent:a', 'agent:b', 'agent:c'];
  const issues = ['i1', 'i2', 'i3'];
  const pathsArb = fc.array(fc.constantFrom('a/**', 'a/x', 'b/*.ts', 'b/y.md', 'c/**/z', '**/*.md', 'd'), {
    maxLength: 2,
  });
  const op = fc.record({
    kind: fc.constantFrom('acquire', 'renew', 'extend', 'release', 'evict', 'sweep'),
    agent: fc.constantFrom(...agents),
    issue: fc.constantFrom(...issues),
    paths: pathsArb,
    dt: fc.integer({ min: 0, max: 40_000 }),
    ttl: fc.integer({ min: 1, max: 60 }),
    useToken: fc.boolean(),
  });
  it('never two live holders of an issue or of overlapping paths; version counts changes; replay(log) = state', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        let s = R.emptySnapshot();
        let now = T0;
        let changes = 0;
        const log: R.LeaseEvent[] = [];
        for (const o of ops) {
          now += o.dt;
          const before = s;
          try {
            let c: { snapshot: StoreSnapshot; events: R.LeaseEvent[]; changed: boolean };
            const cur = s.leases.find((l) => l.issueId === o.issue);
            const ref = { issueId: o.issue, agentId: o.agent, ...(o.useToken && cur ? { token: cur.token } : {}) };
            if (o.kind === 'acquire')
              c = R.acquire(s, { issueId: o.issue, agentId: o.agent, paths: o.paths, ttlSecs: o.ttl }, clock(now));
            else if (o.kind === 'renew') c = R.renew(s, ref, clock(now), o.ttl);
            else if (o.kind === 'extend') c = R.extend(s, ref, o.paths, clock(now));
            else if (o.kind === 'release') c = R.release(s, ref, clock(now));
            else if (o.kind === 'evict') c = R.evict(s, cur?.id ?? 'L-none', 'agent:admin', 'test', clock(now));
            else c = R.sweep(s, clock(now));
            if (c.changed) {
              changes++;
              expect(c.snapshot.version).toBe(before.version + 1);
              expect(c.events.every((e) => e.version === c.snapshot.version)).toBe(true);
            }
            s = c.snapshot;
            log.push(...c.events);
          } catch (e) {
            expect((e as { code?: string }).code).toMatch(/^E_(HELD|LEASE_LOST|NOT_FOUND)$/);
            expect(s).toBe(before);
          }
          const live = s.leases.filter((l) => R.isLiveAt(l, now));
          for (let i = 0; i < live.length; i++)
            for (let j = i + 1; j < live.length; j++) {
              expect(live[i]!.issueId).not.toBe(live[j]!.issueId);
              for (const p of live[i]!.paths)
                for (const q of live[j]!.paths)
                  expect({ p, q, overlap: globsOverlap(p, q) }).toEqual({ p, q, overlap: false });
            }
          expect(s.version).toBe(changes);
          expect(R.replay(log)).toEqual(s);
          // Tokens are unique among live leases (each is the version at grant).
          expect(new Set(live.map((l) => l.token)).size).toBe(live.length);
        }
      }),
      { numRuns: 400 },
    );
  });
});
