// Consistency of the remote's lease refs with its index (pure). jitp moves a lease ref only in
// the same atomic push that moves the index, or deletes it (release); so a lease ref that the
// index does not list, or that points elsewhere than the index says, means someone pushed
// refs/jit-parallel/* by hand, and it makes every CAS on that issue fail until fixed. A listed
// lease without a ref is normal: it was released after the index was written.
import { INDEX_REF, LEASE_REF_PREFIX, commitOf, issueIdFromKey, leaseRef, type RemoteState } from './layout.js';

export interface CheckResult {
  consistent: boolean;
  /** Lease refs on the remote that the index does not know. */
  orphans: Array<{ ref: string; id: string; issueId: string }>;
  /** Index entries whose lease ref points elsewhere. */
  mismatched: Array<{ issueId: string; ref: string; index: string; remote: string }>;
  /** Refs under refs/jit-parallel/ that are neither the index nor a lease. */
  foreign: string[];
}

/** `state` is the index's state.json as stored, `indexCommit` its commit (for commitOf). */
export function checkRefs(
  remoteRefs: ReadonlyMap<string, string>,
  indexCommit: string,
  state: RemoteState,
): CheckResult {
  const orphans: CheckResult['orphans'] = [];
  const mismatched: CheckResult['mismatched'] = [];
  const foreign: string[] = [];
  const known = new Map(
    state.leases.map((l) => [leaseRef(l.issueId), { issueId: l.issueId, id: commitOf(state, indexCommit, l.issueId) }]),
  );
  for (const [ref, id] of remoteRefs) {
    if (ref === INDEX_REF) continue;
    if (!ref.startsWith(LEASE_REF_PREFIX)) {
      foreign.push(ref);
      continue;
    }
    const k = known.get(ref);
    if (!k) orphans.push({ ref, id, issueId: issueIdFromKey(ref.slice(LEASE_REF_PREFIX.length)) });
    else if (k.id !== id) mismatched.push({ issueId: k.issueId, ref, index: k.id, remote: id });
  }
  return { consistent: !orphans.length && !mismatched.length && !foreign.length, orphans, mismatched, foreign };
}
