// What every hook handler needs first: the repository, the store snapshot (the fast path
// stops here when nothing is live) and, only then, the configuration.
import { findRepo, storeDirOf, type RepoLocation } from '../workspace/repo.js';
import { readConfigOf, type ConfigText, type ScannedConfig, type ScannedKey } from '../workspace/config-file.js';
import { parseConfig } from '../workspace/config.js';
import { combinedSnapshot, freshnessText, remoteMirrorsSync } from '../remote/view-read.js';
import type { Lease, StoreSnapshot } from '../core/model.js';
import type { LeaseQuery } from '../store/local/state-view.js';
import type { HookInput } from './contract.js';
import { allLeases, anyLive, readStateViewSync, selectLeases } from './store-access.js';
import { cachedSettings, quickConfigValue, storeSettings } from './config-cache.js';

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
  /** Local leases plus every remote mirror's (core/hook-decision sees one list); parses every lease. */
  readonly snap: StoreSnapshot;
  /**
   * The same, restricted to the local leases a call can need (store-access.ts selectLeases): what
   * keeps a hook's cost flat however many leases the store holds.
   */
  select(q: LeaseQuery): StoreSnapshot;
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
  const loc = findRepo(cwd);
  if (!loc) return undefined;
  const storeDir = storeDirOf(loc);
  const view = readStateViewSync(storeDir);
  const mirrors = remoteMirrorsSync(storeDir);
  const remoteOf = new Map<string, RemoteOrigin>();
  const localLive = !!view && view.anyLive(nowMs);
  const local = (leases: () => Lease[]): StoreSnapshot | undefined =>
    view && { schemaVersion: 1, version: view.version, leases: leases() };
  if (!mirrors.length) {
    if (!localLive) return undefined;
    let full: StoreSnapshot | undefined;
    return {
      loc,
      storeDir,
      nowMs,
      remoteOf,
      get snap() {
        return (full ??= local(() => allLeases(view!))!);
      },
      select: (q) => local(() => selectLeases(view!, q, nowMs))!,
    };
  }
  const { snap, freshness } = combinedSnapshot(
    local(() => (localLive ? allLeases(view!) : [])),
    mirrors,
    nowMs,
  );
  if (!anyLive(snap, nowMs)) return undefined;
  mirrors.forEach((m, i) => {
    for (const l of m.leases)
      remoteOf.set(l.id, { remote: m.remote, ...(l.host ? { host: l.host } : {}), view: freshnessText(freshness[i]!) });
  });
  return { loc, storeDir, snap, nowMs, remoteOf, select: () => snap };
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
  // The file the door says applies (a worktree's own copy first, then the main checkout's).
  const found = readConfigOf(loc, env);
  if (found.text === undefined && !found.error) return DEFAULTS;
  const cached = found.text === undefined ? undefined : cachedSettings(storeDirOf(loc), found.file, found.text);
  return cached ?? pick((await loadAndCache(loc, found)).config);
}

/** The loader on the text read (an unreadable file: the loader's error); its answer is cached. */
async function loadAndCache(loc: RepoLocation, found: ConfigText) {
  const { config } = await parseConfig(found);
  if (found.text !== undefined) storeSettings(storeDirOf(loc), found.file, found.text, pick(config), config);
  return { config };
}

/** A key the hooks' line scan reads, exactly as the loader says (its cache, else the loader itself). */
export async function hookConfigValue<K extends ScannedKey>(
  loc: RepoLocation,
  key: K,
  env: NodeJS.ProcessEnv,
): Promise<ScannedConfig[K]> {
  return quickConfigValue(loc, key, env) ?? (await loadAndCache(loc, readConfigOf(loc, env))).config[key];
}

const pick = (c: HookSettings): HookSettings => ({
  policy: c.policy,
  failure: c.failure,
  ttl: c.ttl,
  remoteTimeout: c.remoteTimeout,
});
