// The question every edit asks first: is any lease live in this repository, locally or in a
// mirror of a remote's leases? Answered with the least work (find the repo by stat, list the
// store folder once, read only the small files it holds), statically bundled into
// dist/hook.mjs so the handler chunks load only when parallel work is active.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRepo, mainRootOf, storeDirOf, type RepoLocation } from '../git/discover.js';
import { parseDuration } from '../platform/duration.js';

export interface FastAnswer {
  /** False only when it is certain that nothing is live. */
  live: boolean;
  /** Remote mirrors older than remoteMirrorMaxAge (remote names): refresh them in the background. */
  stale: string[];
  /** Every remote with a mirror here. */
  mirrors: string[];
  /** Each mirror's fetchedAt (ms since epoch; NaN when unreadable). */
  fetchedAtMs?: Map<string, number>;
  loc?: RepoLocation;
  storeDir?: string;
  /** remoteMirrorMaxAge (s) as the config says, when a mirror was looked at. */
  maxAgeSecs?: number;
}

const MIRROR_FILE = /^remote-(.+)\.json$/;
export const DEFAULT_MIRROR_MAX_AGE = 60;

/**
 * One config key by a line scan, no YAML parser (it would cost more than the whole fast path).
 * Only plain `key: value` lines at the top level are seen; anything fancier falls back to the default.
 */
export function scanConfigValue(loc: RepoLocation, key: string, env: NodeJS.ProcessEnv): string | undefined {
  const files = env.JITP_CONFIG
    ? [env.JITP_CONFIG]
    : [join(loc.worktreeRoot, '.jit-parallel.yaml'), join(mainRootOf(loc), '.jit-parallel.yaml')];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    const m = new RegExp(`^${key}:[ \\t]*["']?([^"'#\\n]*?)["']?[ \\t]*(#.*)?$`, 'm').exec(text);
    return m?.[1]?.trim() || undefined;
  }
  return undefined;
}

/** `remoteMirrorMaxAge` in seconds (the config's duration grammar), default 60. */
export function mirrorMaxAgeOf(loc: RepoLocation, env: NodeJS.ProcessEnv): number {
  const v = scanConfigValue(loc, 'remoteMirrorMaxAge', env);
  return (v !== undefined ? parseDuration(v) : undefined) ?? DEFAULT_MIRROR_MAX_AGE;
}

const anyLiveIn = (leases: unknown, nowMs: number): boolean =>
  !Array.isArray(leases) ||
  leases.some((l: { expiresAt?: unknown }) => typeof l?.expiresAt !== 'string' || !(Date.parse(l.expiresAt) <= nowMs));

export function fastCheck(cwd: string, nowMs = Date.now(), env: NodeJS.ProcessEnv = process.env): FastAnswer {
  const loc = discoverRepo(cwd);
  if (!loc) return { live: false, stale: [], mirrors: [] };
  const storeDir = storeDirOf(loc);
  let names: string[];
  try {
    names = readdirSync(storeDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // No store folder: parallel work was never started in this clone (the common case).
    return { live: code !== 'ENOENT' && code !== 'ENOTDIR', stale: [], mirrors: [], loc, storeDir };
  }
  const out: FastAnswer = { live: false, stale: [], mirrors: [], loc, storeDir };
  if (names.includes('state.json')) {
    try {
      const s = JSON.parse(readFileSync(join(storeDir, 'state.json'), 'utf8')) as { leases?: unknown };
      if (anyLiveIn(s?.leases, nowMs)) out.live = true;
    } catch {
      out.live = true; // unreadable or unparsable: let the handler report it
    }
  } else if (names.includes('events.jsonl')) {
    try {
      // A log without a state file: the state was deleted; let the handler report it.
      if (statSync(join(storeDir, 'events.jsonl')).size > 0) out.live = true;
    } catch {
      /* removed meanwhile */
    }
  }
  for (const n of names) {
    const m = MIRROR_FILE.exec(n);
    if (!m) continue;
    let mirror: { remote?: unknown; fetchedAt?: unknown; leases?: unknown };
    try {
      mirror = JSON.parse(readFileSync(join(storeDir, n), 'utf8'));
    } catch {
      continue; // a mirror that cannot be read counts as none (the handler and `jitp claim sync` say more)
    }
    if (anyLiveIn(mirror?.leases, nowMs)) out.live = true;
    const remote = typeof mirror?.remote === 'string' ? mirror.remote : decodeURIComponent(m[1]!);
    out.mirrors.push(remote);
    out.maxAgeSecs ??= mirrorMaxAgeOf(loc, env);
    const at = typeof mirror?.fetchedAt === 'string' ? Date.parse(mirror.fetchedAt) : NaN;
    (out.fetchedAtMs ??= new Map()).set(remote, at);
    if (!(nowMs - at <= out.maxAgeSecs * 1000)) out.stale.push(remote);
  }
  return out;
}

/** Compatibility form of fastCheck for callers that only need the yes/no. */
export const mayBeLive = (cwd: string, nowMs = Date.now()): boolean => fastCheck(cwd, nowMs).live;
