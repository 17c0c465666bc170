import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DIST_JITP = resolve(ROOT, 'dist/jitp.mjs');
// What hooks.json runs: the CommonJS front door, which loads dist/hook.mjs only when needed.
export const DIST_HOOK = resolve(ROOT, 'dist/hook.cjs');
export const DIST_HOOK_ESM = resolve(ROOT, 'dist/hook.mjs');
export const CLAUDE_BIN = resolve(ROOT, 'node_modules/.bin/claude');
// The real jit store the tests read (third-party data, MIT OR Apache-2.0: see its README).
// It lives in the repository so a bare clone's `npm test` passes; never write into it.
export const JIT_FIXTURE = resolve(ROOT, 'test/fixtures/jit-real/.jit');
