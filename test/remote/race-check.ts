// Invariants of a race, checked against the remote's committed history (readChain). Returns
// the violations found; the real race must have none, the no-CAS control must have some.
import { globsOverlap } from '../../src/core/globs.js';
import type { ChainState } from './chain.js';

export interface RaceLine {
  won?: boolean;
  issueId?: string;
  leaseId?: string;
  token?: number;
  releasedAt?: number;
  error?: unknown;
}

export function raceViolations(lines: RaceLine[], chain: ChainState[]): string[] {
  const v: string[] = [];
  const wins = lines.filter((l) => l.won);
  const versions = chain.map((s) => s.version);
  if (versions.some((x, i) => x !== i + 1)) v.push(`history is not 1..${chain.length} (lost update): ${versions.slice(0, 20).join(',')}…`);
  if (chain.length !== 2 * wins.length) v.push(`${chain.length} commits for ${wins.length} wins (expected one acquire and one release each)`);
  for (const s of chain) {
    const issues = s.leases.map((l) => l.issueId);
    if (new Set(issues).size !== issues.length) v.push(`v${s.version}: two leases on one issue`);
    for (let i = 0; i < s.leases.length; i++)
      for (let j = i + 1; j < s.leases.length; j++)
        for (const a of s.leases[i]!.paths)
          for (const b of s.leases[j]!.paths) if (globsOverlap(a, b)) v.push(`v${s.version}: ${a} overlaps ${b}`);
    if (s.leases.some((l) => l.bindSecret !== undefined)) v.push(`v${s.version}: a binding secret reached the remote`);
  }
  const grantedAt = new Map<string, number>();
  const releasedAt = new Map<string, number>();
  for (let i = 0; i < chain.length; i++) {
    const before = new Set((chain[i - 1]?.leases ?? []).map((l) => l.id));
    const after = new Set(chain[i]!.leases.map((l) => l.id));
    for (const id of after) if (!before.has(id)) grantedAt.set(id, chain[i]!.version);
    for (const id of before) if (!after.has(id)) releasedAt.set(id, chain[i]!.version);
  }
  for (const win of wins) {
    if (grantedAt.get(win.leaseId!) !== win.token) v.push(`win ${win.leaseId} (token ${win.token}) is not in the remote's history as granted at v${win.token}`);
    if (releasedAt.get(win.leaseId!) !== win.releasedAt) v.push(`release of ${win.leaseId} is not in the remote's history at v${win.releasedAt}`);
  }
  if (grantedAt.size !== wins.length) v.push(`${grantedAt.size} grants in history, ${wins.length} wins reported`);
  if (chain.length && chain.at(-1)!.leases.length) v.push('leases left over after every racer released');
  return v;
}
