// `npm run test:stress`: 50 processes x 200 acquire/release over one store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { tempDir } from '../support/git.js';
import { bundleWorker, raceRun } from '../store/support/race.js';

let base: string;
let worker: string;
beforeAll(async () => {
  base = tempDir('jitp-stress-');
  worker = await bundleWorker(base);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('claims stress', () => {
  it('50 processes x 200 acquire/release on 5 issues: one holder at a time, no lost update', async () => {
    const r = await raceRun(base, worker, 'store', 50, 200, ['i1', 'i2', 'i3', 'i4', 'i5']);
    for (const w of r.results) {
      expect(w.errors).toEqual([]);
      expect(w.code).toBe(0);
      expect(w.lost).toBe(0);
    }
    expect(r.overlaps).toEqual([]);
    expect(r.results.reduce((n, w) => n + w.grants + w.held, 0)).toBe(10_000);
    expect(r.version).toBe(r.commits);
    expect(r.logVersions).toEqual(Array.from({ length: r.commits }, (_, i) => i + 1));
  }, 900_000);
});
