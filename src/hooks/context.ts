// What every hook handler needs first: the repository, the store snapshot (the fast path
// stops here when nothing is live) and, only then, the configuration.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRepo, mainRootOf, storeDirOf, type RepoLocation } from '../git/discover.js';
import { combinedSnapshot, freshnessText, remoteMirrorsSync } from '../remote/view-read.js';
import type { StoreSnapshot } from '../core/model.js';
import type { HookInput } from './contract.js';
import { anyLive, readSnapshotSync } from './store-access.js';
import { cachedSettings, storeSettings } from './config-cache.js';

export interface HookSettings {
  policy: 'strict' | 'extend' | 'warn' | 'off';
  failure: 'open' | 'closed';
  ttl: number;
  /** Seconds; the hooks cap it further (store-access.ts, HOOK_REMOTE_TIMEOUT_MS). */
  remoteTimeout: number;
}

// Spelled here, not imported from config/schema: that module pulls in zod.
const CONFIG_FILE = '.jit-parallel.yaml';

const DEFAULTS: HookSettings = { policy: 'extend', failure: 'open', ttl: 1800, remoteTimeout: 20 };

/** Where a lease of the combined view came from, when that is a remote's mirror. */
export interface RemoteOrigin {
  remote: string;
  host?: string;
  /** `remote 'origin' leases as of 42s ago (…)`: how fresh this hook's view of it is. */
  view: string;
}

export interface LiveContext {
  loc: RepoLocation;
  storeDir: string;
  /** Local leases plus every remote mirror's (core/hook-decision sees one list). */
  snap: StoreSnapshot;
  nowMs: number;
  /** Lease id -> its remote, for leases that live on a remote (writes go there; messages say so). */
  remoteOf: Map<string, RemoteOrigin>;
}

/** The directory the hook acts on: the payload's cwd, else the project dir, else our own cwd. */
export function hookCwd(input: HookInput | undefined, env: NodeJS.ProcessEnv): string {
  const c = input && typeof input.cwd === 'string' && input.cwd ? input.cwd : undefined;
  return c ?? env.CLAUDE_PROJECT_DIR ?? process.cwd();
}

/**
 * undefined = nothing to do (not a repository, or no live lease): the caller returns at once.
 * Throws StoreUnreadable when the state cannot be read.
 */
export function liveContext(cwd: string, nowMs = Date.now()): LiveContext | undefined {
  const loc = discoverRepo(cwd);
  if (!loc) return undefined;
  const storeDir = storeDirOf(loc);
  const local = readSnapshotSync(storeDir);
  const mirrors = remoteMirrorsSync(storeDir);
  const remoteOf = new Map<string, RemoteOrigin>();
  if (!mirrors.length) return anyLive(local, nowMs) ? { loc, storeDir, snap: local!, nowMs, remoteOf } : undefined;
  const { snap, freshness } = combinedSnapshot(local, mirrors, nowMs);
  if (!anyLive(snap, nowMs)) return undefined;
  mirrors.forEach((m, i) => {
    for (const l of m.leases)
      remoteOf.set(l.id, { remote: m.remote, ...(l.host ? { host: l.host } : {}), view: freshnessText(freshness[i]!) });
  });
  return { loc, storeDir, snap, nowMs, remoteOf };
}

/**
 * Effective settings. The YAML parser and schema load only when a config file exists and its
 * text is not the one whose settings this build cached (config-cache.ts).
 */
export async function hookSettings(loc: RepoLocation, env: NodeJS.ProcessEnv): Promise<HookSettings> {
  const s = await configuredSettings(loc, env);
  // JITP_HOOK_FAILURE overrides the file, as failureModeOf does on the error path.
  return env.JITP_HOOK_FAILURE === 'open' || env.JITP_HOOK_FAILURE === 'closed'
    ? { ...s, failure: env.JITP_HOOK_FAILURE }
    : s;
}

async function configuredSettings(loc: RepoLocation, env: NodeJS.ProcessEnv): Promise<HookSettings> {
  const root = mainRootOf(loc);
  if (!env.JITP_CONFIG && !existsSync(join(root, CONFIG_FILE)) && !existsSync(join(loc.worktreeRoot, CONFIG_FILE)))
    return DEFAULTS;
  // A worktree carries its own copy of the file (it is committed); prefer the one the agent sees.
  const base = existsSync(join(loc.worktreeRoot, CONFIG_FILE)) ? loc.worktreeRoot : root;
  const file = env.JITP_CONFIG ? env.JITP_CONFIG : join(base, CONFIG_FILE); // as loadConfig picks it
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = undefined; // gone meanwhile, unreadable: the loader says what that means
  }
  const storeDir = storeDirOf(loc);
  const cached = text === undefined ? undefined : cachedSettings(storeDir, file, text);
  if (cached) return cached;
  const { configFromText, loadConfig } = await import('../config/load.js');
  if (text === undefined) return pick(loadConfig(base, env).config);
  const settings = pick(configFromText(text, file).config); // the text read above, not a second read
  storeSettings(storeDir, file, text, settings);
  return settings;
}

const pick = (c: HookSettings): HookSettings => ({
  policy: c.policy,
  failure: c.failure,
  ttl: c.ttl,
  remoteTimeout: c.remoteTimeout,
});
