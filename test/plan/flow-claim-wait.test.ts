// The flow simulation's model of `jitp claim wait` (bench/eval/flow/handoff.ts), by hand-checked
// cases: the waiter works first and waits last, so only its tail follows the holder's stop.
import { describe, expect, it } from 'vitest';
import { claimWaitEnd } from '../../bench/eval/flow/handoff.js';
import { runSkill, type PlanView } from '../../bench/eval/flow/skill.js';
import type { SimIssue } from '../../bench/eval/flow/sim.js';

const is = (id: string, files: string[], hours = 1): SimIssue => ({ id, files, deps: [], hours });
// Nothing predicted: every conflict is a surprise met at edit time.
const blind: PlanView = { predicted: new Map(), tiers: new Map(), likely: new Map() };

describe('claimWaitEnd', () => {
  it.each([
    ['the holder stops late: the tail follows it', 0, 1, [2], 0.25, 2.25],
    ['the waiter’s own work is longer: the wait costs nothing', 0, 3, [1], 0.25, 3],
    ['several holders: the last one counts', 1, 1, [2, 4], 0.5, 4.5],
    ['tail 1 is the idle wait', 0, 1, [2], 1, 3],
  ] as const)('%s', (_n, start, hours, ends, tail, want) => {
    expect(claimWaitEnd(start, hours, ends, tail)).toBe(want);
  });
});

describe('runSkill with waitTail', () => {
  const issues = [is('a', ['x'], 2), is('b', ['x', 'y'], 1)];
  it('a surprise conflict: the waiter ends at the holder’s stop plus its tail, not after all its work', () => {
    expect(runSkill(issues, blind, 4, { handoff: true, waitTail: 0.25 })).toEqual({
      makespan: 2.25,
      wasted: 0,
      waits: 1,
    });
    expect(runSkill(issues, blind, 4, { handoff: true })).toEqual({ makespan: 3, wasted: 0, waits: 1 });
    expect(runSkill(issues, blind, 4, { handoff: true, waitTail: 1 }).makespan).toBe(3);
  });
  it('without hand-off the same batch wastes a run', () => {
    expect(runSkill(issues, blind, 4).wasted).toBe(1);
  });
});
