// SIGKILL at each step of a state change, through the shipped bundle: the next operation
// succeeds and the state is exactly the state before or after the killed change. Every step is
// hit on one acquire and one release here; `npm run test:stress` repeats each 20 times
// (test/stress/crash.test.ts). The kill points are deterministic (JITP_CRASH_AT), so one
// acquire and one release per step already cover every branch; the rounds add repetition only.
import { afterAll, describe, it } from 'vitest';
import type { TempRepo } from '../support/git.js';
import { CRASH_STEPS } from '../../src/store/local/crash.js';
import { crashSweep } from './support/crash-sweep.js';

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));

describe('SIGKILL at each step of a state change', () => {
  it.each(CRASH_STEPS)(
    'step %s, once on an acquire and once on a release: state exactly before or after; next op succeeds',
    (step) => crashSweep(step, 2, repos),
  );
  // The other commit: a new snapshot written while a delta is in use (what folds the delta in). The
  // old delta is stale from the snapshot's rename on: there is no second step to crash between.
  // One acquire per step: a release writes that snapshot through the same path (test:stress: 20).
  it.each(CRASH_STEPS)(
    'step %s of a new snapshot with a delta in use: state exactly before or after; next op succeeds',
    (step) => crashSweep(step, 1, repos, { JITP_STORE_FULL_WRITES: '1' }),
  );
});
