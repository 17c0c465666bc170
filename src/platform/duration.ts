// Durations as people write them, one grammar everywhere (`--ttl`, `--max-age`, `ttl:` and
// `remoteMirrorMaxAge:` in .jit-parallel.yaml, the hooks' line scan of the config): a number of
// seconds, or whole numbers with units from days down, `90s`, `30m`, `2h`, `1d`, `1h30m`. And
// one way to say how long is left. Platform layer: imports nothing of ours.

export const DURATION_EXAMPLES = '90s, 30m, 2h or 1d';

const UNIT_SECS: Record<string, number> = { d: 86_400, h: 3_600, m: 60, s: 1 };
const WHOLE = /^\s*(?:\d+\s*|(?:\d+\s*d\s*)?(?:\d+\s*h\s*)?(?:\d+\s*m\s*)?(?:\d+\s*s\s*)?)$/;
const PART = /(\d+)\s*([dhms]?)/g;

/**
 * Seconds in `input` (a non-negative integer, or a string in the grammar above), or undefined
 * when it is not a duration. Zero is a duration; callers that need a positive one say so.
 */
export function parseDuration(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isSafeInteger(input) && input >= 0 ? input : undefined;
  if (typeof input !== 'string' || !/\d/.test(input) || !WHOLE.test(input)) return undefined;
  let secs = 0;
  for (const m of input.matchAll(PART)) secs += Number(m[1]) * UNIT_SECS[m[2] || 's']!;
  return Number.isSafeInteger(secs) ? secs : undefined;
}

/** `42s`, `5m03s`, `1h05m`, `2d03h`: the two largest units, which parseDuration reads back. */
export function formatDuration(secs: number): string {
  const s = Math.max(0, Math.floor(secs));
  const pad = (n: number) => String(n).padStart(2, '0');
  if (s >= 86_400) return `${Math.floor(s / 86_400)}d${pad(Math.floor((s % 86_400) / 3_600))}h`;
  if (s >= 3_600) return `${Math.floor(s / 3_600)}h${pad(Math.floor((s % 3_600) / 60))}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${pad(s % 60)}s`;
  return `${s}s`;
}

/** Seconds from `nowMs` until the ISO time `until` (0 once passed). */
export const secondsUntil = (until: string, nowMs: number): number =>
  Math.max(0, Math.floor((Date.parse(until) - nowMs) / 1000));

/** How long a lease (or anything with an end) has left, for every message: `5m03s left`, or `expired`. */
export const formatTimeLeft = (secs: number): string => (secs >= 1 ? `${formatDuration(secs)} left` : 'expired');
