import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST_JITP = resolve(ROOT, 'dist/jitp.mjs');
// What hooks.json runs: the CommonJS front door, which loads dist/hook.mjs only when needed.
export const DIST_HOOK = resolve(ROOT, 'dist/hook.cjs');
export const DIST_HOOK_ESM = resolve(ROOT, 'dist/hook.mjs');
/**
 * The real claude client for the real-client tests: JITP_TEST_CLAUDE_BIN, else the pinned one
 * `npm run setup:client` puts in .cache/claude-client, else null and those tests skip
 * (test/support/client-notice.ts says so once per run).
 */
export const CLAUDE_BIN: string | null =
  process.env.JITP_TEST_CLAUDE_BIN ||
  (existsSync(resolve(ROOT, '.cache/claude-client/node_modules/.bin/claude'))
    ? resolve(ROOT, '.cache/claude-client/node_modules/.bin/claude')
    : null);
export const NO_CLIENT = !CLAUDE_BIN;
export const CLIENT_HOWTO =
  'run `npm run setup:client` (installs the pinned claude client) or set JITP_TEST_CLAUDE_BIN=<path to claude>';
/** Where the plugin's installable folder is (the marketplace entry's source). */
export const PLUGIN_DIR = resolve(ROOT, 'plugin');
// The real jit store the tests read (third-party data, MIT OR Apache-2.0: see its README).
// It lives in the repository so a bare clone's `npm test` passes; never write into it.
export const JIT_FIXTURE = resolve(ROOT, 'test/fixtures/jit-real/.jit');
