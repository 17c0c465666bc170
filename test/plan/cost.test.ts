// Conflict chances (src/plan/cost.ts) for cost-based scheduling.
import { describe, expect, it } from 'vitest';
import { heldConflictChance, pairConflictChance } from '../../src/plan/cost.js';

const L = (...xs: Array<[string, number]>) => xs.map(([path, p]) => ({ path, p }));

describe('pairConflictChance', () => {
  it.each([
    ['no shared file', L(['a', 1]), L(['b', 1]), 0],
    ['a certain shared file', L(['a', 1]), L(['a', 1]), 1],
    ['one likely shared file', L(['a', 0.5]), L(['a', 0.4]), 0.2],
    ['two independent shared files', L(['a', 0.5], ['b', 0.5]), L(['a', 1], ['b', 1]), 0.75],
    ['the larger estimate of a repeated file counts', L(['a', 0.2], ['a', 0.6]), L(['a', 1]), 0.6],
    ['out-of-range chances are clamped', L(['a', 7]), L(['a', -1]), 0],
    ['empty', [], L(['a', 1]), 0],
  ])('%s', (_name, a, b, want) => {
    expect(pairConflictChance(a, b)).toBeCloseTo(want);
    expect(pairConflictChance(b, a)).toBeCloseTo(want);
  });
});

describe('heldConflictChance', () => {
  const held = (p: string) => p === 'src/main.rs' || p === 'README.md';
  it.each([
    ['nothing held', L(['x', 1]), 0],
    ['a held file it surely needs', L(['src/main.rs', 1]), 1],
    ['two held files it may need', L(['src/main.rs', 0.5], ['README.md', 0.5], ['x', 1]), 0.75],
  ])('%s', (_name, files, want) => expect(heldConflictChance(files, held)).toBeCloseTo(want));
});
