// The flow simulation's model of `jitp claim wait` (bench/eval/flow/handoff.ts), by hand-checked
// cases: the waiter works first and waits last, so only its tail follows the holder's stop.
import { describe, expect, it } from 'vitest';
import { runContinuousClaimWait } from '../../bench/eval/flow/handoff.js';
import { runContinuous, rng, type SimIssue } from '../../bench/eval/flow/sim.js';

const is = (id: string, files: string[], hours = 1, deps: string[] = []): SimIssue => ({ id, files, deps, hours });
const none = new Map<string, string[]>();

describe('runContinuousClaimWait', () => {
  it('disjoint issues run side by side; nobody waits', () => {
    const r = runContinuousClaimWait([is('a', ['x']), is('b', ['y'])], none, ['a', 'b'], 4);
    expect(r).toEqual({ makespan: 1, wasted: 0, waits: 0 });
  });
  it('a surprise conflict: b waits last, ending at the holder’s stop plus its tail', () => {
    const r = runContinuousClaimWait([is('a', ['x'], 2), is('b', ['x', 'y'], 1)], none, ['a', 'b'], 4, { tail: 0.25 });
    expect(r).toEqual({ makespan: 2.25, wasted: 0, waits: 1 });
  });
  it('when the waiter’s own work is longer than the holder’s, the wait costs nothing', () => {
    const r = runContinuousClaimWait([is('a', ['x'], 1), is('b', ['x'], 3)], none, ['a', 'b'], 4, { tail: 0.25 });
    expect(r.makespan).toBe(3);
  });
  it('tail 1 is the idle wait of sim.ts’s hand-off (start after the holder, then all the work)', () => {
    const issues = [is('a', ['x'], 2), is('b', ['x'], 1)];
    const idle = runContinuous(issues, none, ['a', 'b'], 4, rng(1), { handoff: true, jitter: 0 });
    expect(runContinuousClaimWait(issues, none, ['a', 'b'], 4, { tail: 1 }).makespan).toBe(idle.makespan);
  });
  it('a predicted conflict is not dispatched at all (jitp next): no wait', () => {
    const r = runContinuousClaimWait(
      [is('a', ['x'], 2), is('b', ['x'], 1)],
      new Map([
        ['b', ['x']],
        ['a', ['x']],
      ]),
      ['a', 'b'],
      4,
    );
    expect(r).toEqual({ makespan: 3, wasted: 0, waits: 0 });
  });
  it('dependencies and the slot limit hold', () => {
    const r = runContinuousClaimWait(
      [is('a', ['x']), is('b', ['y'], 1, ['a']), is('c', ['z'])],
      none,
      ['a', 'b', 'c'],
      1,
    );
    expect(r.makespan).toBe(3);
  });
});
