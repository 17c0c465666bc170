// Random store operations for the writers' property tests (state-splice.test.ts, state-delta.test.ts):
// what each does through the store, and the pure rule it must equal.
import fc from 'fast-check';
import * as rules from '../../../src/core/lease-rules.js';
import * as waits from '../../../src/core/wait-rules.js';
import type { Lease, StoreSnapshot } from '../../../src/core/model.js';
import type { LocalLeaseStore } from '../../../src/store/local/local-store.js';
import { readStateFile } from '../../../src/store/local/snapshot-read.js';

export type Op =
  | { op: 'acquire'; issue: string; agent: string; paths: string[]; worktree?: string; ttl: number }
  | { op: 'release' | 'renew'; issue: string; agent: string }
  | { op: 'extend' | 'take'; issue: string; agent: string; paths: string[] }
  | { op: 'evict' | 'bind' | 'finish'; nth: number }
  | { op: 'note' }
  | { op: 'sweep' }
  | { op: 'wait'; issue: string; agent: string; on: boolean };

const waitRec = (nowMs: number) => ({
  path: 'w.ts',
  since: new Date(nowMs).toISOString(),
  until: new Date(nowMs + 60_000).toISOString(),
  pid: 1,
  host: 'h',
});

/** The rule the store runs for `o`, given the lease it returned (for its random id and secret). */
export function ruleOf(
  o: Op,
  s: StoreSnapshot,
  nowMs: number,
  got: Lease | undefined,
  leaseIdOf: (k: number) => string,
) {
  const hex = (bytes: number) => (bytes === 6 ? got!.id.slice(2) : got!.bindSecret!);
  const c: rules.Clock = { nowMs, randomHex: hex };
  switch (o.op) {
    case 'acquire':
      return rules.acquire(
        s,
        {
          issueId: o.issue,
          agentId: o.agent,
          paths: o.paths,
          ttlSecs: o.ttl,
          host: got?.host ?? 'h',
          ...(o.worktree ? { worktree: o.worktree } : {}),
        },
        c,
      );
    case 'release':
      return rules.release(s, { issueId: o.issue, agentId: o.agent }, c);
    case 'renew':
      return rules.renew(s, { issueId: o.issue, agentId: o.agent }, c);
    case 'extend':
      return rules.extend(s, { issueId: o.issue, agentId: o.agent }, o.paths, c);
    case 'take':
      return waits.take(s, { issueId: o.issue, agentId: o.agent }, o.paths, c);
    case 'wait':
      return waits.setWaiting(s, { issueId: o.issue, agentId: o.agent }, o.on ? waitRec(nowMs) : null, c);
    case 'evict':
      return rules.evict(s, leaseIdOf(o.nth), 'agent:admin', 'test', c);
    case 'bind':
      return rules.bind(
        s,
        leaseIdOf(o.nth),
        s.leases.find((l) => l.id === leaseIdOf(o.nth))?.bindSecret ?? 'x',
        'c1',
        c,
      );
    case 'finish':
      return waits.finish(s, leaseIdOf(o.nth), 'agent:admin', c);
    case 'note':
      // A note changes no lease: the state is rewritten only for its log size.
      return { snapshot: s, events: [], lease: undefined as unknown as Lease, changed: true };
    case 'sweep':
      return { ...rules.sweep(s, c), lease: undefined as unknown as Lease };
  }
}

export function runOnStore(st: LocalLeaseStore, o: Op, leaseIdOf: (k: number) => string): Lease | undefined {
  switch (o.op) {
    case 'acquire':
      return st.acquireSync({
        issueId: o.issue,
        agentId: o.agent,
        paths: o.paths,
        ttlSecs: o.ttl,
        ...(o.worktree ? { worktree: o.worktree } : {}),
      });
    case 'release':
      return st.releaseSync({ issueId: o.issue, agentId: o.agent });
    case 'renew':
      return st.renewSync({ issueId: o.issue, agentId: o.agent });
    case 'extend':
      return st.extendSync({ issueId: o.issue, agentId: o.agent }, o.paths);
    case 'take':
      return st.takeSync({ issueId: o.issue, agentId: o.agent }, o.paths);
    case 'wait':
      return st.setWaitingSync({ issueId: o.issue, agentId: o.agent }, o.on ? waitRec(st['now']()) : null);
    case 'evict':
      return st.evictSync(leaseIdOf(o.nth), 'agent:admin', 'test');
    case 'bind': {
      const l = readStateFile(st.storeDir)?.leases.find((x) => x.id === leaseIdOf(o.nth));
      return st.bindSync(leaseIdOf(o.nth), l?.bindSecret ?? 'x', 'c1');
    }
    case 'finish':
      return st.finishSync(leaseIdOf(o.nth), 'agent:admin');
    case 'note':
      st.noteSync({ type: 'n', by: 'agent:a' });
      return undefined;
    case 'sweep':
      st.sweepSync();
      return undefined;
  }
}

// Names chosen to collide as substrings: `a` in `a.ts`, `src/a.ts` in `src/a.ts.orig` and
// `x/src/a.ts`, an issue id spelled like a path, a glob anchor that is a prefix of another's.
const seg = fc.constantFrom('a', 'a.ts', 'ab', 'b', 'src', 'x', 'a.ts.orig', 'ä b');
const plain = fc.array(seg, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
const glob = fc.oneof(
  plain.map((p) => `${p}/**`),
  plain.map((p) => `${p}/*.ts`),
  plain.map((p) => `${p}/{a,b}.ts`),
  plain.map((p) => `${p}/a?`),
  fc.constant('**/a.ts'),
  fc.constant('*.ts'),
);
const pathList = fc.array(fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: glob }), {
  minLength: 1,
  maxLength: 3,
});
const issue = fc.constantFrom('i1', 'i10', 'i2', 'src/a.ts', 'a', 'ab', 'x');
const agent = fc.constantFrom('agent:a', 'agent:b');
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('acquire' as const),
      issue,
      agent,
      paths: pathList,
      worktree: fc.option(fc.constantFrom('/wt/1', '/wt/2'), { nil: undefined }),
      ttl: fc.constantFrom(60, 600, 3600),
    }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constantFrom('release' as const, 'renew' as const), issue, agent }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constantFrom('extend' as const, 'take' as const), issue, agent, paths: pathList }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constantFrom('evict' as const, 'bind' as const, 'finish' as const),
      nth: fc.nat(20),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('wait' as const), issue, agent, on: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constantFrom<Op>({ op: 'note' }, { op: 'sweep' }) },
);

// Seconds between two changes: mostly none or a few, now and then past a 60 s lease's end.
export const step = fc.oneof({ weight: 8, arbitrary: fc.nat(5) }, { weight: 1, arbitrary: fc.constant(90) });
