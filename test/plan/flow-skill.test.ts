// The skill's flow in the simulation (bench/eval/flow/skill.ts): `jitp next` re-planning the
// available issues at each free slot, on small batches whose figures are known.
import { describe, expect, it } from 'vitest';
import { costPicker, planOf, runSkill, type PlanView } from '../../bench/eval/flow/skill.js';
import type { SimIssue } from '../../bench/eval/flow/sim.js';
import type { LikelyFile, PredictedFile } from '../../src/plan/types.js';

const I = (id: string, files: string[], deps: string[] = [], hours = 1): SimIssue => ({ id, files, deps, hours });
const P = (path: string): PredictedFile => ({ path, isNew: false, hot: false, kind: 'named', reason: 'test' });
function view(pred: Record<string, string[]>, likely: Record<string, LikelyFile[]> = {}): PlanView {
  return {
    predicted: new Map(Object.entries(pred).map(([id, fs]) => [id, fs.map(P)])),
    tiers: new Map(Object.keys(pred).map((id) => [id, 'YELLOW' as const])),
    likely: new Map(Object.entries(likely)),
  };
}
// a and b share x.ts; c is free; d depends on c.
const batch = [I('a', ['x.ts']), I('b', ['x.ts', 'y.ts']), I('c', ['z.ts']), I('d', ['w.ts'], ['c'])];

describe('runSkill', () => {
  it('with true predictions never refuses, and runs d once c is done', () => {
    const r = runSkill(batch, view({ a: ['x.ts'], b: ['x.ts', 'y.ts'], c: ['z.ts'], d: ['w.ts'] }), 4);
    expect(r).toEqual({ makespan: 2, wasted: 0, waits: 0 });
  });
  it('with no predictions one of the pair is refused; hand-off turns that into a wait', () => {
    const none = view({});
    expect(runSkill(batch, none, 4)).toMatchObject({ wasted: 1, waits: 0 });
    expect(runSkill(batch, none, 4, { handoff: true })).toEqual({ makespan: 2, wasted: 0, waits: 1 });
  });
  it('a refused issue is not offered again while its holder runs', () => {
    // b (2 h) holds x.ts; a is refused at 0.5 h and starts again only when b is done.
    const two = [I('a', ['x.ts']), I('b', ['x.ts'], [], 2)];
    const order = { a: [], b: [] } as Record<string, string[]>;
    const r = runSkill(two, view(order), 1 + 1, {
      pick: (plan) => (plan.issues.some((i) => i.id === 'b') ? 'b' : (plan.issues[0]?.id ?? null)),
    });
    expect(r).toEqual({ makespan: 3, wasted: 1, waits: 0 });
  });
  it('respects max parallel', () => {
    const free = ['p', 'q', 'r'].map((id) => I(id, [`${id}.ts`]));
    expect(runSkill(free, view({}), 1).makespan).toBe(3);
    expect(runSkill(free, view({}), 3).makespan).toBe(1);
  });
  it('the cost picker holds back an issue likely to need a held file, and starts it once free', () => {
    const two = [I('a', ['x.ts'], [], 2), I('b', ['x.ts'])];
    const v = view({ a: ['x.ts'], b: [] }, { b: [{ path: 'x.ts', p: 0.8 }] });
    // Plain `jitp next` starts b beside a; it waits for a (2 h) and works 1 h: 3 h.
    expect(runSkill(two, v, 2, { handoff: true })).toEqual({ makespan: 3, wasted: 0, waits: 1 });
    expect(runSkill(two, v, 2, { handoff: true, pick: costPicker(0.5) })).toEqual({
      makespan: 3,
      wasted: 0,
      waits: 0,
    });
  });
});

describe('planOf', () => {
  it('plans the given issues as jitp plan does: overlapping predictions in different batches', () => {
    const p = planOf(view({ a: ['x.ts'], b: ['x.ts'], c: ['z.ts'] }), ['a', 'b', 'c'], 4);
    expect(p.batches.length).toBe(2);
    expect(p.conflicts.map((c) => c.pair)).toEqual([['a', 'b']]);
  });
});
