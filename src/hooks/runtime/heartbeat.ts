// Activity keeps a lease alive: a bound agent's tool calls renew it, but at most about three
// writes per TTL (renew once a third of the TTL has passed since the last renewal), so a busy
// agent does not turn every edit into a store write.
import type { Lease, LeaseStore } from '../../core/model.js';

/** Pure: is a renewal due? */
export function renewDue(lease: Pick<Lease, 'renewedAt' | 'ttlSecs'>, nowMs: number, fallbackTtlSecs: number): boolean {
  const ttl = lease.ttlSecs > 0 ? lease.ttlSecs : fallbackTtlSecs;
  return nowMs - Date.parse(lease.renewedAt) >= (ttl * 1000) / 3;
}

export async function maybeRenew(
  store: LeaseStore,
  lease: Lease,
  nowMs: number,
  fallbackTtlSecs: number,
): Promise<boolean> {
  if (!renewDue(lease, nowMs, fallbackTtlSecs)) return false;
  await store.renew({ issueId: lease.issueId, agentId: lease.agentId, token: lease.token });
  return true;
}
