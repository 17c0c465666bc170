// Shared by the CommonJS front door (front.ts) and the ESM hook (entry.ts).

/** Events whose handler has nothing to do unless a lease is live: answered by the fast path. */
export const NEEDS_LIVE = new Set(['pre-tool-use', 'session-start', 'subagent-start', 'subagent-stop']);

/** The front door reads stdin once and hands the text to the ESM hook under this global. */
export const HANDOFF_KEY = '__jitpHookInput';
