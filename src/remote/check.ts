// Consistency of the remote's lease refs with its index (pure). jitp changes both in one
// atomic push, so a difference means someone pushed or deleted refs/jit-parallel/* by hand, or
// a jitp of another schema wrote there; a lease ref that differs from the index makes every CAS
// on that issue fail until fixed.
import { INDEX_REF, LEASE_REF_PREFIX, issueIdFromKey, leaseRef, type RemoteState } from './layout.js';

export interface CheckResult {
  consistent: boolean;
  /** Lease refs on the remote that the index does not know. */
  orphans: Array<{ ref: string; id: string; issueId: string }>;
  /** Index entries whose lease ref is missing or points elsewhere. */
  mismatched: Array<{ issueId: string; ref: string; index: string; remote: string | null }>;
  /** Refs under refs/jit-parallel/ that are neither the index nor a lease. */
  foreign: string[];
}

export function checkRefs(remoteRefs: ReadonlyMap<string, string>, state: RemoteState): CheckResult {
  const orphans: CheckResult['orphans'] = [];
  const mismatched: CheckResult['mismatched'] = [];
  const foreign: string[] = [];
  const known = new Map(Object.entries(state.leaseCommits).map(([issueId, id]) => [leaseRef(issueId), { issueId, id }]));
  for (const [ref, id] of remoteRefs) {
    if (ref === INDEX_REF) continue;
    if (!ref.startsWith(LEASE_REF_PREFIX)) {
      foreign.push(ref);
      continue;
    }
    if (!known.has(ref)) orphans.push({ ref, id, issueId: issueIdFromKey(ref.slice(LEASE_REF_PREFIX.length)) });
  }
  for (const [ref, { issueId, id }] of known) {
    const remote = remoteRefs.get(ref) ?? null;
    if (remote !== id) mismatched.push({ issueId, ref, index: id, remote });
  }
  return { consistent: !orphans.length && !mismatched.length && !foreign.length, orphans, mismatched, foreign };
}
