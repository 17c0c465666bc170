// Pure selection of what to plan: requested ids (or every available issue) minus the ones
// that cannot start, each with its reason. Dependencies inside the selection are fine: the
// batches order them.
import { availabilityOf, type Hold } from '../sources/available.js';
import { isTerminal, type Issue } from '../sources/types.js';

export interface Selection {
  selected: Issue[];
  excluded: Array<{ id: string; reason: string }>;
}

export function selectIssues(
  all: readonly Issue[],
  requested: readonly Issue[] | null,
  holds: ReadonlyMap<string, Hold>,
): Selection {
  const byId = new Map(all.map((i) => [i.id, i]));
  const excluded: Array<{ id: string; reason: string }> = [];
  if (!requested) {
    const selected: Issue[] = [];
    for (const i of all) {
      const a = availabilityOf(i, byId, holds);
      if (a.available) selected.push(i);
      else if (a.kind !== 'closed') excluded.push({ id: i.id, reason: a.reason! });
    }
    return { selected, excluded };
  }
  const want = new Map<string, Issue>();
  for (const r of requested) want.set(r.id, r);
  const reasons = new Map<string, string>();
  for (const i of want.values()) {
    if (isTerminal(i.state) || i.state === 'archived') reasons.set(i.id, `closed (${i.state})`);
    else if (i.state !== 'ready') reasons.set(i.id, `not ready (${i.state})`);
    else if (holds.has(i.id))
      reasons.set(i.id, `held by ${holds.get(i.id)!.agentId} until ${holds.get(i.id)!.expiresAt}`);
  }
  // Blocked: a dependency outside the selection that is not terminal, or one excluded itself.
  for (let changed = true; changed;) {
    changed = false;
    for (const i of want.values()) {
      if (reasons.has(i.id)) continue;
      const blockers: string[] = [];
      for (const d of i.dependencies) {
        const dep = byId.get(d);
        if (!dep) blockers.push(`${d.slice(0, 12)} (unknown issue)`);
        else if (isTerminal(dep.state)) continue;
        else if (want.has(d)) {
          if (reasons.has(d)) blockers.push(`${dep.shortId} (excluded: ${reasons.get(d)})`);
        } else blockers.push(`${dep.shortId} (${dep.state}, not in this plan)`);
      }
      if (blockers.length) {
        reasons.set(i.id, `blocked by ${blockers.join(', ')}`);
        changed = true;
      }
    }
  }
  for (const [id, reason] of reasons) excluded.push({ id, reason });
  return { selected: [...want.values()].filter((i) => !reasons.has(i.id)), excluded };
}
