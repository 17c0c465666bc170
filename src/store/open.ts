// Builds the lease store backends behind the one LeaseStore interface: local files, or leases on
// the shared git remote. Only src/workspace (the door every command and hook goes through)
// calls these; it loads this module on first use.
import { storeDirOf, type RepoLocation } from '../git/discover.js';
import { LocalLeaseStore } from './local/local-store.js';
import { RemoteLeaseStore } from './remote.js';

export interface OpenStoreOptions {
  defaultTtlSecs?: number;
  lockTimeoutMs?: number;
}

export function openLocalStore(repo: RepoLocation, opts: OpenStoreOptions = {}): LocalLeaseStore {
  return new LocalLeaseStore({ storeDir: storeDirOf(repo), ...opts });
}

export interface OpenRemoteOptions {
  defaultTtlSecs?: number;
  timeoutSecs?: number;
  maxAgeSecs?: number;
  contentionBudgetMs?: number;
  env?: NodeJS.ProcessEnv;
  progress?: (line: string) => void;
}

/** Leases on the shared git remote `remote` (docs/remote-leases.md). */
export function openRemoteStore(repo: RepoLocation, remote: string, opts: OpenRemoteOptions = {}): RemoteLeaseStore {
  return new RemoteLeaseStore({
    loc: repo,
    remote,
    ...(opts.timeoutSecs !== undefined ? { timeoutMs: opts.timeoutSecs * 1000 } : {}),
    ...(opts.maxAgeSecs !== undefined ? { maxAgeSecs: opts.maxAgeSecs } : {}),
    ...(opts.defaultTtlSecs !== undefined ? { defaultTtlSecs: opts.defaultTtlSecs } : {}),
    ...(opts.contentionBudgetMs !== undefined ? { contentionBudgetMs: opts.contentionBudgetMs } : {}),
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
  });
}

/**
 * The store the configuration asks for: the remote backend when `remote` is set (hooks that
 * write — bind, extend, renew — must write where the leases live), else the local one.
 */
export function openConfiguredStore(
  repo: RepoLocation,
  config: { remote: string | null; ttl: number; remoteTimeout: number; remoteMirrorMaxAge: number },
  env: NodeJS.ProcessEnv = process.env,
  progress?: (line: string) => void,
): LocalLeaseStore | RemoteLeaseStore {
  return config.remote
    ? openRemoteStore(repo, config.remote, {
        defaultTtlSecs: config.ttl,
        timeoutSecs: config.remoteTimeout,
        maxAgeSecs: config.remoteMirrorMaxAge,
        env,
        ...(progress ? { progress } : {}),
      })
    : openLocalStore(repo, { defaultTtlSecs: config.ttl });
}
