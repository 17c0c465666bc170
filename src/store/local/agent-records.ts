// The hooks' per-sub-agent records in `<store>/agents/`: `<agent_id>.json` (its binding, decided
// once; hooks/runtime/bind-record.ts) and `<agent_id>.start.json` (when it started;
// hooks/runtime/first-binding.ts). One or two small files per sub-agent ever started here; `jitp
// cleanup` prunes those of sub-agents that are done. Removing a record re-opens a sub-agent's
// binding, so only records that no live lease needs and whose sub-agent cannot still be running
// (it stopped, or its records are a day old) go.
import { readFileSync, readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

/** A sub-agent runs for minutes or hours: records untouched this long belong to one that is gone. */
export const AGENT_RECORD_MAX_AGE_MS = 24 * 3600 * 1000;

const RECORD = /^([A-Za-z0-9_-]{1,64})(\.start)?\.json$/;

export interface AgentRecordsReport {
  /** Agent ids whose records were removed (or, dry run, would be). */
  pruned: string[];
  /** Agent ids whose records stay, with why. */
  kept: { agentId: string; why: string }[];
}

export function pruneAgentRecords(
  storeDir: string,
  live: { leaseIds: ReadonlySet<string>; boundAgentIds: ReadonlySet<string> },
  opts: { dryRun: boolean; nowMs?: number },
): AgentRecordsReport {
  const dir = join(storeDir, 'agents');
  const now = opts.nowMs ?? Date.now();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { pruned: [], kept: [] }; // no sub-agent ever started here
  }
  const files = new Map<string, string[]>();
  for (const n of names) {
    const m = RECORD.exec(n);
    if (m) files.set(m[1]!, [...(files.get(m[1]!) ?? []), n]);
  }
  const out: AgentRecordsReport = { pruned: [], kept: [] };
  for (const [agentId, own] of [...files].sort(([a], [b]) => a.localeCompare(b))) {
    let rec: { lease?: unknown; stoppedAt?: unknown } | undefined;
    try {
      rec = JSON.parse(readFileSync(join(dir, `${agentId}.json`), 'utf8'));
    } catch {
      rec = undefined; // only a start record, or a damaged one: judged by age
    }
    let newest = 0;
    for (const n of own)
      try {
        newest = Math.max(newest, statSync(join(dir, n)).mtimeMs);
      } catch {
        /* removed meanwhile */
      }
    const why =
      live.boundAgentIds.has(agentId) || (typeof rec?.lease === 'string' && live.leaseIds.has(rec.lease))
        ? 'bound to a live lease'
        : typeof rec?.stoppedAt !== 'string' && now - newest < AGENT_RECORD_MAX_AGE_MS
          ? 'may still be running (not stopped, records under a day old)'
          : undefined;
    if (why) {
      out.kept.push({ agentId, why });
      continue;
    }
    if (!opts.dryRun)
      for (const n of own)
        try {
          unlinkSync(join(dir, n));
        } catch {
          /* gone already */
        }
    out.pruned.push(agentId);
  }
  return out;
}
