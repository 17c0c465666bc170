// Blocked chains first (src/plan/batch.ts chainsAfter, BatchNode.after): an issue that unblocks a
// long chain of blocked issues starts before one that unblocks nothing.
import { describe, expect, it } from 'vitest';
import { chainsAfter, checkBatches, planBatches, type BatchNode } from '../../src/plan/batch.js';
import { pickNext } from '../../src/plan/next.js';
import type { PlanResult } from '../../src/plan/plan.js';

const W = (id: string, ...deps: string[]) => ({ id, deps });

describe('chainsAfter', () => {
  it.each([
    ['nothing waits', ['a', 'b'], [], { a: 0, b: 0 }],
    ['one dependant', ['a', 'b'], [W('c', 'a')], { a: 1, b: 0 }],
    ['a chain of three behind a', ['a', 'b'], [W('c', 'a'), W('d', 'c'), W('e', 'd')], { a: 3, b: 0 }],
    ['the longer of two branches', ['a'], [W('c', 'a'), W('d', 'a'), W('e', 'd')], { a: 2 }],
    ['an issue waiting on two counts for both', ['a', 'b'], [W('c', 'a', 'b')], { a: 1, b: 1 }],
    ['a cycle among the waiting ends', ['a'], [W('c', 'a', 'd'), W('d', 'c')], { a: 2 }],
    ['dependencies on unknown issues are ignored', ['a'], [W('c', 'zzz')], { a: 0 }],
  ])('%s', (_n, selected, waiting, want) => {
    expect(Object.fromEntries(chainsAfter(selected, waiting))).toEqual(want);
  });
});

describe('planBatches with blocked chains', () => {
  const N = (id: string, after = 0): BatchNode => ({ id, tier: 'GREEN', deps: [], after });
  it('puts the issue with the longest chain behind it first in its batch, and in the first batch', () => {
    // Five free issues, max 2 in parallel: three batches. e unblocks a chain of 4, c one of 1.
    const nodes = [N('a'), N('b'), N('c', 1), N('d'), N('e', 4)];
    const batches = planBatches(nodes, [{ pair: ['a', 'e'] }], 2);
    expect(checkBatches(batches, nodes, [{ pair: ['a', 'e'] }], 2)).toEqual([]);
    expect(batches[0]![0]).toBe('e');
    expect(batches[0]).toContain('c');
  });
  it('without chains the order is by id', () => {
    expect(planBatches([N('b'), N('a')], [], 2)).toEqual([['a', 'b']]);
    expect(planBatches([N('b', 2), N('a')], [], 2)).toEqual([['b', 'a']]);
  });
  it('so jitp next starts the issue that unblocks most first', () => {
    const nodes = [N('a'), N('b', 3)];
    const batches = planBatches(nodes, [], 4);
    const issue = (id: string) => ({
      id,
      shortId: id,
      title: id,
      files: [],
      newFiles: [],
      hotFiles: [],
      tier: 'GREEN' as const,
      reasons: [],
      predicted: [],
      ignored: [],
      likely: [],
    });
    const plan: PlanResult = { issues: [issue('a'), issue('b')], conflicts: [], batches, excluded: [] };
    expect(pickNext(plan, [], 0, 4).next?.id).toBe('b');
  });
});

describe('buildPlan orders by the chains of open issues it left out', () => {
  it('the issue a blocked issue waits on comes first', async () => {
    const { buildPlan } = await import('../../src/plan/plan.js');
    const base = {
      description: '',
      state: 'ready' as const,
      priority: 'normal' as const,
      labels: [],
      declaredFiles: [],
      declaredRisk: null,
      documents: [],
    };
    const selected = ['a', 'b'].map((id) => ({ ...base, id, shortId: id, title: id, dependencies: [] }));
    const facts = { files: [], commits: [], grep: new Map(), npmScripts: null };
    const opts = { hotFiles: [], ignore: [], maxFilesPerIssue: 40, maxParallel: 4 };
    expect(buildPlan(selected as never, [], facts, opts).batches).toEqual([['a', 'b']]);
    const waiting = [{ id: 'c', dependencies: ['b'] }];
    expect(buildPlan(selected as never, [], facts, opts, undefined, waiting).batches).toEqual([['b', 'a']]);
  });
});
