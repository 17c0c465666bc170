// What every hook handler needs first: the repository, the store snapshot (the fast path
// stops here when nothing is live) and, only then, the configuration.
import { findRepo, storeDirOf, type RepoLocation } from '../../workspace/repo.js';
import { readConfigOf, type ConfigText, type ScannedConfig, type ScannedKey } from '../../workspace/config-file.js';
import { inspectConfig } from '../../workspace/config.js';
import { combinedSnapshot, freshnessText, remoteMirrorsSync } from '../../remote/view-read.js';
import type { StoreSnapshot } from '../../core/model.js';
import type { HookInput } from './contract.js';
import { anyLive, parseAll, readLocalState, readSnapshotSync, type LargeState } from './store-access.js';
import { cachedSettings, quickConfigValue, storeSettings } from './config-cache.js';

export interface HookSettings {
  policy: 'strict' | 'extend' | 'warn' | 'off';
  failure: 'open' | 'closed';
  ttl: number;
  /** Seconds; the hooks cap it further (store-access.ts, HOOK_REMOTE_TIMEOUT_MS). */
  remoteTimeout: number;
  /**
   * Set when the config file has invalid or unknown keys: those fell back to their defaults (a
   * typo must never switch enforcement off) and the hooks say so in what they print.
   */
  configProblem?: string;
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
  /** Local leases plus every remote mirror's (core/hook-decision sees one list); parsed when first read. */
  readonly snap: StoreSnapshot;
  /**
   * A large local state file, when there are no remote mirrors, not parsed: the handler reads it
   * through a view (questions about a few paths parse only the leases naming them), so a
   * 1,000-lease store costs about what 10 do.
   */
  large?: LargeState;
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
  const mirrors = remoteMirrorsSync(storeDir);
  const remoteOf = new Map<string, RemoteOrigin>();
  if (!mirrors.length) {
    const st = readLocalState(storeDir);
    if (!st || 'leases' in st) return anyLive(st, nowMs) ? { loc, storeDir, snap: st!, nowMs, remoteOf } : undefined;
    if (!((st.delta ?? st.header.header.index).liveUntil > nowMs)) return undefined;
    let snap: StoreSnapshot | undefined;
    return {
      loc,
      storeDir,
      get snap() {
        return (snap ??= parseAll(st));
      },
      large: st,
      nowMs,
      remoteOf,
    };
  }
  const local = readSnapshotSync(storeDir);
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
  // The file the door says applies (a worktree's own copy first, then the main checkout's).
  const found = readConfigOf(loc, env);
  if (found.text === undefined && !found.error) return DEFAULTS;
  const cached = found.text === undefined ? undefined : cachedSettings(storeDirOf(loc), found.file, found.text);
  return cached ?? pick((await loadAndCache(loc, found)).config);
}

/** The loader on the text read (an unreadable file: the loader's error); its answer is cached. */
async function loadAndCache(loc: RepoLocation, found: ConfigText) {
  const { config, problems } = await inspectConfig(found);
  if (problems.length) {
    // Not cached: a broken file is read again each time, so the warning stays until it is fixed.
    const p = problems[0]!;
    const where = `${p.file}${p.line ? `:${p.line}` : ''}`;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
    const configProblem =
      `jit-parallel: the config is invalid at ${where}: ${p.key ? `${p.key}: ` : ''}${p.message}${more}; ` +
      'defaults are used for it and leases are still enforced. Run `jitp config` to see every problem.';
    return { config: { ...config, configProblem } };
  }
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
  ...(c.configProblem ? { configProblem: c.configProblem } : {}),
});
