// Real processes racing over one store: exactly one holder per issue at any moment, no lost
// update; the same workload without the lock must be caught by the same checks.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { tempDir } from '../support/git.js';
import { bundleWorker, raceRun } from './support/race.js';

let base: string;
let worker: string;
beforeAll(async () => {
  base = tempDir('jitp-race-');
  worker = await bundleWorker(base);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

// Default: 8 processes x 50 rounds, still contended (asserted below); `npm run test:stress`
// (test/stress/store-race.test.ts) sets 16,100.
const [PROCS, ITERS] = (process.env.JITP_STORE_RACE ?? '8,50').split(',').map(Number) as [number, number];
const race = (mode: 'store' | 'nolock', procs: number, iters: number, issues: string[], env?: NodeJS.ProcessEnv) =>
  raceRun(base, worker, mode, procs, iters, issues, env);

// Each store change commits a delta beside the snapshot (state-delta.ts). DELTA_MAX 0: every change
// that finds a delta folds it into a new snapshot, so writers alternate between the two commits;
// JITP_STORE_DELTA=0: the snapshot is spliced (no delta).
describe.each([
  ['delta', {}],
  ['delta folded in at every other change', { JITP_STORE_DELTA_MAX: '0' }],
  ['no delta', { JITP_STORE_DELTA: '0' }],
])('races between real processes (%s)', (_name, env: NodeJS.ProcessEnv) => {
  it(`${PROCS} processes x ${ITERS} acquire/release on 3 issues: one holder at a time, no lost update`, async () => {
    const r = await race('store', PROCS, ITERS, ['i1', 'i2', 'i3'], env);
    for (const w of r.results) {
      expect(w.signal).toBeNull();
      expect(w.errors).toEqual([]);
      expect(w.code).toBe(0);
      expect(w.lost).toBe(0);
    }
    expect(r.overlaps).toEqual([]);
    const grants = r.results.reduce((n, w) => n + w.grants, 0);
    const held = r.results.reduce((n, w) => n + w.held, 0);
    expect(grants + held).toBe(PROCS * ITERS);
    expect(grants).toBeGreaterThan((PROCS * ITERS) / 16);
    expect(held).toBeGreaterThan(0); // there was real contention
    expect(r.holds.length).toBe(grants);
    // Every committed change is one version; the log has each version exactly once.
    expect(r.version).toBe(r.commits);
    expect(r.logVersions).toEqual(Array.from({ length: r.commits }, (_, i) => i + 1));
  }, 180_000);

  // The control once: it shows the checks can fail, whichever commit the writers use.
  it.runIf(Object.keys(env).length === 0)(
    'control: the same workload without the lock is caught (overlap or lost update)',
    async () => {
      const r = await race('nolock', PROCS, ITERS, ['i1', 'i2', 'i3'], env);
      const lostUpdate = r.version !== r.commits;
      console.log(
        `no-lock control: ${r.overlaps.length} overlapping holds, version ${r.version} vs ${r.commits} commits`,
      );
      expect(r.overlaps.length > 0 || lostUpdate).toBe(true);
    },
    180_000,
  );
});
