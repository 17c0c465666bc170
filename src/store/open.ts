// Picks the lease store for a repository. Local files today; the remote backend (leases on the
// shared git remote, config `remote`) plugs in here behind the same LeaseStore interface.
import { storeDirOf, type RepoLocation } from '../git/discover.js';
import { LocalLeaseStore } from './local/local-store.js';

export interface OpenStoreOptions {
  defaultTtlSecs?: number;
  lockTimeoutMs?: number;
}

export function openLocalStore(repo: RepoLocation, opts: OpenStoreOptions = {}): LocalLeaseStore {
  return new LocalLeaseStore({ storeDir: storeDirOf(repo), ...opts });
}
