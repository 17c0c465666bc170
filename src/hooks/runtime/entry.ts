// Entry of dist/hook.mjs: `node dist/hook.mjs <event>` with the hook JSON on stdin (or handed
// over by the CommonJS front door, dist/hook.cjs). Every event; PreToolUse normally runs from
// dist/hook-pre.cjs instead (pre-entry.ts), with the same runner (run.ts) and handler.
// Keep this file's static imports minimal: handlers load lazily.
import type { HookHandler } from './contract.js';
import { unloadableOutcome } from './failure.js';
import { BUILD_ID, BUILD_KEY, HANDOFF_KEY } from './front-shared.js';
import { EVENT_NAMES, emit, runHook } from './run.js';

// event argument -> lazy handler module (each exports `handler`).
const handlers: Record<string, () => Promise<{ handler: HookHandler }>> = {
  'pre-tool-use': () => import('../handlers/pre-tool-use.js'),
  'session-start': () => import('../handlers/session-start.js'),
  'subagent-start': () => import('../handlers/subagent-start.js'),
  'subagent-stop': () => import('../handlers/subagent-stop.js'),
  'worktree-create': () => import('../handlers/worktree-create.js'),
  'worktree-remove': () => import('../handlers/worktree-remove.js'),
};

/** The CLI next to this bundle, for the detached refreshes and renewals the handlers start. */
const jitpScript = (): string =>
  (process.env.JITP_HOOK_JITP ??= decodeURIComponent(new URL('./jitp.mjs', import.meta.url).pathname));

const event = process.argv[2] ?? '';
const g = globalThis as Record<string, unknown>;
if ((HANDOFF_KEY in g || BUILD_KEY in g) && g[BUILD_KEY] !== BUILD_ID) {
  // Handed over by a front door of another build (a half-updated plugin folder).
  const raw = typeof g[HANDOFF_KEY] === 'string' ? (g[HANDOFF_KEY] as string) : undefined;
  emit(
    unloadableOutcome(
      EVENT_NAMES[event] ?? event,
      `hook failed to load (dist/hook.mjs is from another build than dist/hook.cjs: ${String(g[BUILD_KEY])}, ` +
        `expected ${BUILD_ID}; reinstall the plugin)`,
      raw,
      process.env,
    ),
  );
} else {
  emit(await runHook(event, g[HANDOFF_KEY], { handlers, jitpScript }));
}
