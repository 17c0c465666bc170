// Which leases are live, from one read of the remote (pure). A lease is live iff the index
// lists it and its ref still exists; releases delete the ref without touching the index.
//
// The catch: one `git fetch` reads the index and the lease refs at slightly different moments,
// in an order the server chooses. If the lease refs were read BEFORE the index, a lease granted
// in between is listed by the index but its ref was not seen yet: it would look released, and
// a write computed on that view would pass its CAS on the index and could grant an overlapping
// lease. So a listed lease whose ref is absent counts as released only when we know its ref
// existed before this read began (its commit was in an earlier view: a ref value, once deleted,
// never comes back, because every write points refs at a fresh commit). Otherwise the read is
// ambiguous and the caller reads the lease refs again: a second read starts after the first
// one's index read, which is the order that makes the view safe (engine.ts, fetchView).
import { commitOf, leaseRef, type RemoteState } from './layout.js';

export interface RawRead {
  /** refs/jit-parallel/index ('' = none). */
  indexCommit: string;
  /** Its state.json as stored (leaseCommits may omit leases written by indexCommit itself). */
  state: RemoteState;
  /** Every ref under refs/jit-parallel/ as the same read saw it (remote names). */
  refs: ReadonlyMap<string, string>;
}

export interface Resolved {
  /** Live leases, leaseCommits complete (issueId -> commit its ref must have for a CAS). */
  state: RemoteState;
  /** Listed leases whose ref was absent and not known to have existed before the read. */
  unsure: string[];
  /** Commits of listed leases found released: known from now on to have existed (mirror.released). */
  released: string[];
}

/**
 * `existedBefore(commit)`: true when that lease commit was seen on the remote before the read
 * began. A listed lease whose ref is present with another value stays, with the listed commit:
 * either a write moved it after the index was read (then that write also moved the index and
 * our CAS on the index fails) or someone changed it by hand (the CAS on that ref fails: drift).
 */
export function resolveRead(
  read: Pick<RawRead, 'indexCommit' | 'state'>,
  refs: ReadonlyMap<string, string>,
  existedBefore: (commit: string) => boolean,
): Resolved {
  const leases = [];
  const leaseCommits: Record<string, string> = {};
  const unsure: string[] = [];
  const released: string[] = [];
  for (const l of read.state.leases) {
    const expected = commitOf(read.state, read.indexCommit, l.issueId);
    const actual = refs.get(leaseRef(l.issueId));
    if (actual === undefined) {
      if (existedBefore(expected)) released.push(expected);
      else unsure.push(l.issueId); // the caller reads again
      continue;
    }
    leases.push(l);
    leaseCommits[l.issueId] = expected;
  }
  return {
    state: { schemaVersion: read.state.schemaVersion, version: read.state.version, leases, leaseCommits },
    unsure,
    released,
  };
}
