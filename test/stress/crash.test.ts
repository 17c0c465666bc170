// `npm run test:stress`: SIGKILL at each step of a state change, 20 changes per step (10
// acquires, 10 releases), through the shipped bundle.
import { afterAll, describe, it } from 'vitest';
import type { TempRepo } from '../support/git.js';
import { CRASH_STEPS } from '../../src/store/local/crash.js';
import { crashSweep } from '../store/support/crash-sweep.js';

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

describe('SIGKILL at each step of a state change, 20 times each', () => {
  it.each(CRASH_STEPS)('step %s, 20 times', (step) => crashSweep(step, 20, repos), 600_000);
  // A new snapshot written while a delta is in use (store/local/state-delta.ts).
  it.each(CRASH_STEPS)(
    'step %s of a new snapshot with a delta in use, 20 times',
    (step) => crashSweep(step, 20, repos, { JITP_STORE_FULL_WRITES: '1' }),
    600_000,
  );
});
