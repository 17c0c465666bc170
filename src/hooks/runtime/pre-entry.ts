// Entry of dist/hook-pre.cjs: PreToolUse while a lease may be live, loaded by the front door
// (dist/hook.cjs) with require(). CommonJS and unsplit because Node loads one CommonJS file
// far faster than the ESM loader resolves and links the ~20 chunks dist/hook.mjs needs (about
// 25 ms of every live edit, docs/benchmarks.md). The same runner and handler as hook.mjs:
// only what is rarely needed and heavy (the store's writer, the config's YAML parser, the
// shell parser, remote stores) stays ESM, loaded by import() from dist/lazy/ (build.mjs).
import { join } from 'node:path';
import { handler } from '../handlers/pre-tool-use.js';
import { BUILD_ID } from './front-shared.js';
import type { FastAnswer } from './fast-path.js';
import { emit, runHook } from './run.js';
import { setGlobLoader } from './glob-engine.js';
import type { GlobEngine } from '../../core/lease-index-core.js';

export const build = BUILD_ID;

// The full glob engine, when the tiny matcher cannot decide a glob: dist/lazy/globs.cjs (build-
// config.mjs, hookPreLazy), required synchronously because the index asks synchronously.
setGlobLoader(() => require(join(__dirname, 'lazy', 'globs.cjs')) as GlobEngine);

/** The CLI next to this bundle, for the detached refreshes and renewals the handler starts. */
const jitpScript = (): string => (process.env.JITP_HOOK_JITP ??= join(__dirname, 'jitp.mjs'));

/**
 * One PreToolUse call; `raw` is stdin as the front door read it (undefined: read it here), and
 * `fast` its fast check of that input, when it made one.
 */
export async function run(raw: string | undefined, fast?: FastAnswer): Promise<void> {
  emit(
    await runHook('pre-tool-use', raw, { handlers: { 'pre-tool-use': async () => ({ handler }) }, jitpScript }, fast),
  );
}
