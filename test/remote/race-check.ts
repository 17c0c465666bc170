// Invariants of a race, checked against the remote's own transaction log (txlog.ts): the refs
// are replayed in the order the server committed them, and after every transaction the live
// leases (the lease refs that exist, each read from the commit it points at) must hold no two
// overlapping leases. Returns the violations found; the real race must have none, the no-CAS
// control must have some.
import { globsOverlap } from '../../src/core/globs.js';
import { INDEX_REF, LEASE_REF_PREFIX, commitOf, issueIdFromKey } from '../../src/remote/layout.js';
import type { RemoteState } from '../../src/remote/layout.js';
import type { Tx, stateReader } from './txlog.js';

export interface RaceLine {
  won?: boolean;
  issueId?: string;
  leaseId?: string;
  token?: number;
  error?: unknown;
}

export function raceViolations(lines: RaceLine[], txs: Tx[], read: ReturnType<typeof stateReader>): string[] {
  const v: string[] = [];
  const wins = lines.filter((l) => l.won);
  const refs = new Map<string, string>();
  let indexVersion = 0;
  const grantedAt = new Map<string, number>();
  const released = new Map<string, number>();
  let prevLive = new Map<string, string>(); // lease id -> issue
  let step = 0;
  for (const tx of txs) {
    const changes = tx.changes.filter((c) => c.ref.startsWith('refs/jit-parallel/'));
    if (!changes.length) continue;
    step++;
    for (const c of changes) {
      if ((refs.get(c.ref) ?? '') !== c.old)
        v.push(`tx ${step}: ${c.ref} expected ${c.old || '(none)'} but was ${refs.get(c.ref) ?? '(none)'}`);
      if (c.next) refs.set(c.ref, c.next);
      else refs.delete(c.ref);
    }
    const index = refs.get(INDEX_REF);
    const indexState = index ? (read(index) as RemoteState) : undefined;
    if (changes.some((c) => c.ref === INDEX_REF)) {
      // Every write that moves the index is computed on the one before it: versions 1, 2, 3…
      if (!indexState || indexState.version !== indexVersion + 1)
        v.push(`tx ${step}: index version ${indexState?.version} after ${indexVersion} (lost update)`);
      indexVersion = indexState?.version ?? indexVersion;
    }
    // The live leases now: every lease ref, its record read from the commit it points at.
    const live = [];
    for (const [ref, commit] of refs) {
      if (!ref.startsWith(LEASE_REF_PREFIX)) continue;
      const issueId = issueIdFromKey(ref.slice(LEASE_REF_PREFIX.length));
      const rec = read(commit).leases.find((l) => l.issueId === issueId);
      if (!rec) {
        v.push(`tx ${step}: ${ref} points at ${commit.slice(0, 12)}, whose state has no lease for ${issueId}`);
        continue;
      }
      if (rec.bindSecret !== undefined) v.push(`tx ${step}: a binding secret reached the remote`);
      // The index must vouch for every live lease (else a reader would not see it).
      if (!indexState?.leases.some((l) => l.id === rec.id) || commitOf(indexState, index!, issueId) !== commit)
        v.push(`tx ${step}: the index does not list live lease ${rec.id} at ${commit.slice(0, 12)}`);
      live.push(rec);
    }
    for (let i = 0; i < live.length; i++)
      for (let j = i + 1; j < live.length; j++)
        for (const a of live[i]!.paths)
          for (const b of live[j]!.paths)
            if (globsOverlap(a, b)) v.push(`tx ${step}: live ${live[i]!.id} (${a}) overlaps ${live[j]!.id} (${b})`);
    const nowLive = new Map(live.map((l) => [l.id, l.issueId]));
    for (const l of live)
      if (!prevLive.has(l.id)) {
        if (grantedAt.has(l.id)) v.push(`tx ${step}: lease ${l.id} granted twice`);
        grantedAt.set(l.id, l.token);
        if (l.token !== indexVersion)
          v.push(`tx ${step}: lease ${l.id} appeared with token ${l.token} in index version ${indexVersion}`);
      }
    for (const id of prevLive.keys()) if (!nowLive.has(id)) released.set(id, (released.get(id) ?? 0) + 1);
    prevLive = nowLive;
  }
  for (const win of wins) {
    if (grantedAt.get(win.leaseId!) !== win.token)
      v.push(`win ${win.leaseId} (token ${win.token}) is not in the remote's history as granted with that token`);
    if (released.get(win.leaseId!) !== 1)
      v.push(`release of ${win.leaseId} is not in the remote's history exactly once`);
  }
  if (grantedAt.size !== wins.length) v.push(`${grantedAt.size} grants in history, ${wins.length} wins reported`);
  if (prevLive.size) v.push('leases left over after every racer released');
  return v;
}
