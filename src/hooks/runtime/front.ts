// Entry of dist/hook.cjs, the command hooks.json runs. Node starts a CommonJS file ~10 ms
// faster than an ES module (no ESM loader), and every edit of every user pays this start-up:
// so the "no parallel work active" answer is given here, in CommonJS. When a lease may be live
// (or a mirror needs a refresh), PreToolUse goes on in CommonJS too (dist/hook-pre.cjs, the
// hot path of parallel work) and every other event in the ESM hook (dist/hook.mjs), both
// handed the input already read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IMPORT_KEY, LOADER_KEY, codeCacheDir, makeBundleLoader } from './code-cache.js';
import { unloadableOutcome } from './failure.js';
import { fastCheck, type FastAnswer } from './fast-path.js';
import { BUILD_ID, BUILD_KEY, HANDOFF_KEY, NEEDS_LIVE } from './front-shared.js';

function readStdinSync(): string | undefined {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return undefined; // non-blocking stdin (EAGAIN): let the next bundle read it the slow way
  }
}

/**
 * The bundle that should answer cannot be loaded (missing, damaged, from another build): the
 * documented failure policy (open: allowed with a visible warning; closed: PreToolUse denied),
 * never the exit 1 a crash would give (the client treats it as "allow", silently).
 */
function loadFailed(event: string, raw: string | undefined, e: unknown): void {
  const problem = `hook failed to load (${String((e as Error)?.message ?? e).split('\n')[0]})`;
  const out = unloadableOutcome(event === 'pre-tool-use' ? 'PreToolUse' : event, problem, raw, process.env);
  process.stdout.write(JSON.stringify(out.json));
  process.exitCode = 0;
}

const event = process.argv[2] ?? '';
const raw = readStdinSync();
let quiet = false;
let fast: FastAnswer | undefined;
if (raw !== undefined && NEEDS_LIVE.has(event)) {
  try {
    const input = JSON.parse(raw) as { cwd?: unknown; tool_input?: unknown } | null;
    if (input && typeof input === 'object' && !Array.isArray(input)) {
      const cwd =
        typeof input.cwd === 'string' && input.cwd ? input.cwd : (process.env.CLAUDE_PROJECT_DIR ?? process.cwd());
      fast = fastCheck(cwd);
      // Session start always refreshes mirrors; stale mirrors need a refresh: both go on.
      quiet = !fast.live && fast.stale.length === 0 && (event !== 'session-start' || fast.mirrors.length === 0);
      // A cwd in no repository: the repository of a path the tool names decides (issue 13, item 5;
      // run.ts finds it).
      if (quiet && !fast.loc && event === 'pre-tool-use') quiet = !JSON.stringify(input.tool_input).includes('/');
    }
  } catch {
    quiet = false; // malformed input: the full hook applies the failure policy
  }
}
if (quiet) {
  process.exitCode = 0; // nothing live: say nothing, the edit goes ahead
} else if (event === 'pre-tool-use') {
  let pre: { build?: unknown; run?: (raw: string | undefined, fast?: FastAnswer) => Promise<void> } | undefined;
  try {
    // Through V8's code cache (code-cache.ts), for the lazy bundles too (their stubs look it up).
    const dir = codeCacheDir(process.env);
    const load = dir ? makeBundleLoader(dir, BUILD_ID) : require;
    (globalThis as Record<string, unknown>)[LOADER_KEY] = load;
    (globalThis as Record<string, unknown>)[IMPORT_KEY] = (file: string) => import(pathToFileURL(file).href);
    pre = load(join(__dirname, 'hook-pre.cjs')) as typeof pre;
    if (pre?.build !== BUILD_ID || typeof pre.run !== 'function')
      throw new Error(
        `dist/hook-pre.cjs is from another build (${String(pre?.build)}, expected ${BUILD_ID}); reinstall the plugin`,
      );
  } catch (e) {
    pre = undefined;
    loadFailed(event, raw, e);
  }
  pre?.run?.(raw, fast).catch((e: unknown) => loadFailed(event, raw, e));
} else {
  (globalThis as Record<string, unknown>)[HANDOFF_KEY] = raw;
  (globalThis as Record<string, unknown>)[BUILD_KEY] = BUILD_ID;
  import(pathToFileURL(join(__dirname, 'hook.mjs')).href).catch((e: unknown) => loadFailed(event, raw, e));
}
