// The flow simulation (bench/eval/flow/sim.ts) on small hand-made batches whose figures are known.
import { describe, expect, it } from 'vitest';
import { perfectGroups, rng, runContinuous, runGroups, shuffle, type SimIssue } from '../../bench/eval/flow/sim.js';
import { isoWeek } from '../../bench/eval/flow/devset.js';

const I = (id: string, files: string[], deps: string[] = [], hours = 1): SimIssue => ({ id, files, deps, hours });
// a and b share x.ts; c is free; d depends on c.
const batch = [I('a', ['x.ts']), I('b', ['x.ts', 'y.ts']), I('c', ['z.ts']), I('d', ['w.ts'], ['c'])];

describe('runGroups', () => {
  it('perfect groups waste nothing and take the colouring number of rounds', () => {
    const g = perfectGroups(batch, 4);
    expect(g.length).toBe(2);
    for (let k = 0; k < 20; k++) expect(runGroups(batch, g, 4, rng(k))).toMatchObject({ rounds: 2, wasted: 0 });
  });

  it('all in one group refuses one of the pair and the dependant, then retries them', () => {
    for (let k = 0; k < 20; k++) {
      const r = runGroups(batch, [['a', 'b', 'c', 'd']], 4, rng(k));
      expect(r.wasted).toBe(2);
      expect(r.rounds).toBe(2);
    }
  });

  it('one at a time wastes nothing and takes one round per issue', () => {
    expect(runGroups(batch, [['c'], ['d'], ['a'], ['b']], 4, rng(1))).toMatchObject({ rounds: 4, wasted: 0 });
  });

  it('a dependant scheduled before its dependency is refused until a group after it', () => {
    // d alone (refused), then d beside c (refused again: c is not done yet), then d runs.
    expect(runGroups(batch, [['d'], ['c'], ['a'], ['b']], 4, rng(1)).wasted).toBe(2);
  });

  it('caps a group at maxParallel and runs the rest next', () => {
    const free = ['p', 'q', 'r', 's', 't'].map((id) => I(id, [`${id}.ts`]));
    expect(runGroups(free, [free.map((i) => i.id)], 4, rng(3))).toMatchObject({ rounds: 2, wasted: 0 });
  });

  it('with hand-off the refused sibling waits: no waste, the group lasts two rounds', () => {
    const r = runGroups(
      batch,
      [['a', 'b', 'c']],
      4,
      rng(2),
      true,
      new Map([
        ['a', 2],
        ['b', 3],
        ['c', 1],
      ]),
    );
    expect(r).toMatchObject({ wasted: 0, waits: 1, rounds: 2 + 1 });
    expect(r.hours).toBe(5 + 1); // a and b in sequence (5 h), then d alone next group (1 h)
  });

  it('issues a schedule forgot still run, at the end', () => {
    expect(runGroups(batch, [['a']], 4, rng(1)).rounds).toBeGreaterThanOrEqual(2);
  });
});

describe('runContinuous', () => {
  const truth = new Map(batch.map((i) => [i.id, [...i.files]]));
  it('with true predictions never refuses and starts d as soon as c is done', () => {
    const r = runContinuous(batch, truth, ['a', 'b', 'c', 'd'], 4, rng(1), { jitter: 0 });
    expect(r).toEqual({ makespan: 2, wasted: 0, waits: 0 });
  });

  it('with no predictions refuses b once, and hand-off turns that into a wait', () => {
    const none = new Map<string, string[]>();
    const r = runContinuous(batch, none, ['a', 'b', 'c', 'd'], 4, rng(1), { jitter: 0 });
    expect(r.wasted).toBe(1);
    expect(r.makespan).toBe(2);
    const h = runContinuous(batch, none, ['a', 'b', 'c', 'd'], 4, rng(1), { jitter: 0, handoff: true });
    expect(h).toEqual({ makespan: 2, wasted: 0, waits: 1 });
  });

  it('respects maxParallel', () => {
    const free = ['p', 'q', 'r'].map((id) => I(id, [`${id}.ts`]));
    const r = runContinuous(free, new Map(), ['p', 'q', 'r'], 1, rng(1), { jitter: 0 });
    expect(r.makespan).toBe(3);
  });
});

describe('helpers', () => {
  it('shuffle is seeded and a permutation', () => {
    const a = shuffle([1, 2, 3, 4, 5], rng(7));
    expect([...a].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(shuffle([1, 2, 3, 4, 5], rng(7))).toEqual(a);
  });
  it('isoWeek', () => {
    expect(isoWeek(Date.UTC(2026, 0, 1) / 1000)).toBe('2026-W01');
    expect(isoWeek(Date.UTC(2025, 11, 29) / 1000)).toBe('2026-W01');
    expect(isoWeek(Date.UTC(2026, 1, 16) / 1000)).toBe('2026-W08');
  });
});
