// Opening a lease store: the only place that does (store/open.ts builds them). The backends
// load on first use: a command or hook that never touches a store pays nothing for them, and
// the hooks' PreToolUse bundle loads them from dist/lazy/ (scripts/build.mjs, hookPreLazy).
import type { LocalLeaseStore } from '../store/local/local-store.js';
import type { OpenRemoteOptions } from '../store/open.js';
import type { RemoteLeaseStore } from '../store/remote.js';
import type { LeaseStore } from '../core/model.js';
import { storeDirOf, type RepoLocation } from './repo.js';

export interface LocalStoreTuning {
  defaultTtlSecs?: number;
  /** How long a writer waits for the store's lock (the hooks keep it well under their timeout). */
  lockTimeoutMs?: number;
}

/** The local store in `<git common dir>/jit-parallel/` (or the folder given). */
export async function openLocalStoreAt(
  at: RepoLocation | string,
  tuning: LocalStoreTuning = {},
): Promise<LocalLeaseStore> {
  const { LocalLeaseStore } = await import('../store/local/local-store.js');
  return new LocalLeaseStore({ storeDir: typeof at === 'string' ? at : storeDirOf(at), ...tuning });
}

/** Leases on the git remote `name` (docs/remote-leases.md). */
export async function openRemoteStoreOf(
  repo: RepoLocation,
  name: string,
  opts: OpenRemoteOptions = {},
): Promise<RemoteLeaseStore> {
  const { openRemoteStore } = await import('../store/open.js');
  return openRemoteStore(repo, name, opts);
}

/** The settings that choose and tune the configured store (a subset of config/schema.ts's Config). */
export interface StoreSettings {
  remote: string | null;
  ttl: number;
  remoteTimeout: number;
  remoteMirrorMaxAge: number;
}

/**
 * The store the configuration asks for: the remote backend when `remote` is set (the leases
 * live there: acquire, verify, done and the hooks' writes must all see the same ones), else the
 * local one.
 */
export async function openConfiguredStoreOf(
  repo: RepoLocation,
  s: StoreSettings,
  opts: { env?: NodeJS.ProcessEnv; progress?: (line: string) => void } = {},
): Promise<LeaseStore> {
  const { openConfiguredStore } = await import('../store/open.js');
  return openConfiguredStore(repo, s, opts.env, opts.progress);
}
