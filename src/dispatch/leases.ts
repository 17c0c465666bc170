// Dispatch's view of the lease store (the configured one, from src/workspace): the live leases,
// and releasing an issue's leases when it is done. Everything goes through the LeaseStore interface.
import { isLive, type Lease, type LeaseStore } from '../core/model.js';

export async function liveLeases(store: LeaseStore, nowMs = Date.now()): Promise<Lease[]> {
  const snap = await store.read();
  return snap.leases.filter((l) => isLive(l, nowMs));
}

/** The issue's live lease; with several (should not happen) the most recently renewed. */
export function leaseForIssue(leases: Lease[], issueId: string): Lease | null {
  const mine = leases.filter((l) => l.issueId === issueId);
  mine.sort((a, b) => Date.parse(b.renewedAt) - Date.parse(a.renewedAt));
  return mine[0] ?? null;
}

/** Releases every live lease of the issue as its holder (CAS on its token); returns their ids. */
export async function releaseIssueLeases(store: LeaseStore, issueId: string, reason: string): Promise<string[]> {
  const snap = await store.read();
  const released: string[] = [];
  for (const l of snap.leases.filter((x) => x.issueId === issueId && isLive(x))) {
    await store.release({ issueId: l.issueId, agentId: l.agentId, token: l.token }, reason);
    released.push(l.id);
  }
  return released;
}
