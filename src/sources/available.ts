// Pure availability: ready, every dependency terminal, and not held by a live lease (jit's
// own `query available` ignores leases, so two agents can start the same issue).
import { isTerminal, type Issue } from './types.js';

export interface Hold {
  issueId: string;
  agentId: string;
  expiresAt: string;
}

export interface Availability {
  available: boolean;
  /** Why not, for people: `not ready (backlog)`, `blocked by 3f2a9c1d (in_progress)`, `held by agent:x until …`. */
  reason?: string;
  kind?: 'not-ready' | 'blocked' | 'held' | 'closed';
}

export function availabilityOf(
  issue: Issue,
  byId: ReadonlyMap<string, Issue>,
  holds: ReadonlyMap<string, Hold>,
): Availability {
  if (isTerminal(issue.state) || issue.state === 'archived')
    return { available: false, kind: 'closed', reason: `closed (${issue.state})` };
  if (issue.state !== 'ready') return { available: false, kind: 'not-ready', reason: `not ready (${issue.state})` };
  const blockers: string[] = [];
  for (const d of issue.dependencies) {
    const dep = byId.get(d);
    if (!dep) blockers.push(`${d.slice(0, 12)} (unknown issue)`);
    else if (!isTerminal(dep.state)) blockers.push(`${dep.shortId} (${dep.state})`);
  }
  if (blockers.length) return { available: false, kind: 'blocked', reason: `blocked by ${blockers.join(', ')}` };
  const h = holds.get(issue.id);
  if (h) return { available: false, kind: 'held', reason: `held by ${h.agentId} until ${h.expiresAt}` };
  return { available: true };
}
