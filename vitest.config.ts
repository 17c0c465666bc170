import { defineConfig } from 'vitest/config';

// Real processes, real git and the real `claude` binary make some tests slow; the
// 2-core CI machine must still finish the whole suite well under 30 minutes.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: process.env.JITP_STRESS ? [] : ['test/stress/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    globalSetup: ['test/support/client-notice.ts'],
    pool: 'forks',
    maxWorkers: 2,
  },
});
