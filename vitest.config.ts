import { defineConfig } from 'vitest/config';
import { budget, measureFloorMs } from './test/support/budget.js';
import HeavyFirst from './test/support/sequencer.js';

// Real processes, real git and the real `claude` binary make some tests slow. The per-test
// budget is 60 s on a quiet 2-core machine, scaled by how slow a bare `node -e 0` is right now
// (test/support/budget.ts), so a loaded machine gets more time instead of spurious timeouts.
const floor = measureFloorMs();
// The colour switches of the shell running the tests (a CI's FORCE_COLOR, a user's NO_COLOR) must
// not reach the commands under test: tests that check colour set them themselves.
delete process.env.FORCE_COLOR;
delete process.env.NO_COLOR;
process.env.JITP_TEST_FLOOR_MS ??= String(Math.round(floor));
const timeout = budget(60_000, floor);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: process.env.JITP_STRESS ? [] : ['test/stress/**'],
    testTimeout: timeout,
    hookTimeout: timeout,
    globalSetup: ['test/support/client-notice.ts', 'test/support/templates-dir.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // One worker process runs many files instead of a fresh one per file: starting a fork and
    // loading vitest and the sources again for each of ~140 files was a sixth of the suite's CPU.
    // Tests must not lean on fresh module state, env or cwd (none set them; keep it so).
    isolate: false,
    // Heaviest files first when vitest has no timings of its own yet (test/support/sequencer.ts).
    sequence: { sequencer: HeavyFirst },
  },
});
