// What every hook handler needs first: the repository, the store snapshot (the fast path
// stops here when nothing is live) and, only then, the configuration.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRepo, mainRootOf, storeDirOf, type RepoLocation } from '../git/discover.js';
import { combinedSnapshot, freshnessText, remoteMirrorsSync } from '../remote/view-read.js';
import type { StoreSnapshot } from '../store/types.js';
import type { HookInput } from './contract.js';
import { anyLive, readSnapshotSync } from './store-access.js';

export interface HookSettings {
  policy: 'strict' | 'extend' | 'warn' | 'off';
  failure: 'open' | 'closed';
  ttl: number;
  /** Seconds; the hooks cap it further (store-access.ts, HOOK_REMOTE_TIMEOUT_MS). */
  remoteTimeout: number;
}

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
    for (const l of m.leases) remoteOf.set(l.id, { remote: m.remote, ...(l.host ? { host: l.host } : {}), view: freshnessText(freshness[i]!) });
  });
  return { loc, storeDir, snap, nowMs, remoteOf };
}

/** Effective settings; the YAML parser and schema load only when a config file exists. */
export async function hookSettings(loc: RepoLocation, env: NodeJS.ProcessEnv): Promise<HookSettings> {
  const s = await configuredSettings(loc, env);
  // JITP_HOOK_FAILURE overrides the file, as failureModeOf does on the error path.
  return env.JITP_HOOK_FAILURE === 'open' || env.JITP_HOOK_FAILURE === 'closed' ? { ...s, failure: env.JITP_HOOK_FAILURE } : s;
}

async function configuredSettings(loc: RepoLocation, env: NodeJS.ProcessEnv): Promise<HookSettings> {
  const root = mainRootOf(loc);
  if (!env.JITP_CONFIG && !existsSync(join(root, '.jit-parallel.yaml')) && !existsSync(join(loc.worktreeRoot, '.jit-parallel.yaml'))) return DEFAULTS;
  const { loadConfig } = await import('../config/load.js');
  // A worktree carries its own copy of the file (it is committed); prefer the one the agent sees.
  const base = existsSync(join(loc.worktreeRoot, '.jit-parallel.yaml')) ? loc.worktreeRoot : root;
  const { config } = loadConfig(base, env);
  return { policy: config.policy, failure: config.failure, ttl: config.ttl, remoteTimeout: config.remoteTimeout };
}
