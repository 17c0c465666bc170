// Shared by the CommonJS front door (front.ts) and the bundles it loads (entry.ts, pre-entry.ts).

/** Events whose handler has nothing to do unless a lease is live: answered by the fast path. */
// Not SubagentStart: a sub-agent started while nothing is live is recorded unbound for good
// (hooks/handlers/subagent-events.ts), once per sub-agent, where parallel work was ever used.
export const NEEDS_LIVE = new Set(['pre-tool-use', 'session-start', 'subagent-stop']);

/** The front door reads stdin once and hands the text to the ESM hook under this global. */
export const HANDOFF_KEY = '__jitpHookInput';

/** ...and the id of its own build under this one, so a hook.mjs from another build refuses it. */
export const BUILD_KEY = '__jitpHookBuild';

declare const __JITP_BUILD__: string | undefined;
/**
 * Id of the build that produced this bundle (scripts/build.mjs: a hash of src/ and the
 * version). dist/hook.cjs, hook-pre.cjs and hook.mjs must come from one build: a file left
 * from another (a half-updated plugin folder) is refused through the failure policy rather
 * than run against a front door whose hand-over it may not understand.
 */
export const BUILD_ID: string = typeof __JITP_BUILD__ === 'string' ? __JITP_BUILD__ : 'dev';
