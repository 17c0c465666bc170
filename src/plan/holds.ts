// Live leases by issue, for availability (the leases come from the configured store, src/workspace).
import type { Hold } from '../sources/available.js';
import { isLive, type Lease } from '../core/model.js';

export function holdsFrom(leases: readonly Lease[], nowMs: number): Map<string, Hold> {
  const out = new Map<string, Hold>();
  for (const l of leases)
    if (isLive(l, nowMs)) out.set(l.issueId, { issueId: l.issueId, agentId: l.agentId, expiresAt: l.expiresAt });
  return out;
}
