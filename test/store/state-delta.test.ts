// The delta beside the snapshot (src/store/local/state-delta.ts, delta-write.ts). The oracle is the
// full rule: after any change the store's leases (snapshot + delta, as every reader merges them) must
// be the rule's, in the rule's order, with its version; a refusal must be the same refusal; and the
// delta's own fields (count, liveUntil, nextExpiry, offsets) must be exact, as doctor checks them.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as rules from '../../src/core/lease-rules.js';
import type { Lease } from '../../src/core/model.js';
import { LocalLeaseStore } from '../../src/store/local/local-store.js';
import { readStateFile, readStateForWrite, readSnapshotSync } from '../../src/store/local/snapshot-read.js';
import {
  DELTA_FILE,
  deltaMismatch,
  mergeDelta,
  parseDelta,
  serializeDelta,
  withDelta,
  type Delta,
} from '../../src/store/local/state-delta.js';
import { readHeader } from '../../src/store/local/state-format.js';
import { indexMismatch } from '../../src/store/local/state-splice.js';
import { readStateView } from '../../src/store/local/state-view.js';
import { diagnose, repair } from '../../src/store/local/doctor.js';
import { readLog } from '../../src/store/local/event-log.js';
import { tempDir } from '../support/git.js';
import { opArb, ruleOf, runOnStore, step } from './support/ops.js';

const root = tempDir('jitp-delta-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `d${n++}`);
const bytes = (dir: string, f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : undefined);
const files = (dir: string) => [bytes(dir, 'state.json'), bytes(dir, DELTA_FILE)];
const T0 = Date.parse('2030-01-01T00:00:00.000Z');

const lease = (id: string, paths: string[] = [`${id}/a.ts`], exp = T0 + 3600_000): Lease => ({
  id,
  issueId: `issue-${id}`,
  agentId: 'agent:a',
  worktree: null,
  branch: null,
  paths,
  ttlSecs: 3600,
  acquiredAt: new Date(T0).toISOString(),
  renewedAt: new Date(T0).toISOString(),
  expiresAt: new Date(exp).toISOString(),
  token: 1,
  host: 'h',
});
const delta = (d: Partial<Delta>): Delta => ({
  gen: 1,
  version: 9,
  logSize: 0,
  count: 0,
  liveUntil: 0,
  nextExpiry: 0,
  drop: [],
  at: (d.leases ?? []).map(() => -1),
  leases: [],
  ...d,
});

describe('mergeDelta (pure)', () => {
  const A = lease('A');
  const B = lease('B');
  const C = lease('C');
  const B2 = { ...lease('B'), paths: ['B/other.ts'] };
  const D = lease('D');
  const E = lease('E');
  it.each<[string, Lease[], Delta | undefined, Lease[]]>([
    ['no delta: the snapshot', [A, B, C], undefined, [A, B, C]],
    ['an empty delta: the snapshot', [A, B, C], delta({}), [A, B, C]],
    ['a replacement stays in place', [A, B, C], delta({ leases: [B2], at: [10] }), [A, B2, C]],
    ['a drop removes the line', [A, B, C], delta({ drop: [[10, 'B']] }), [A, C]],
    ['new leases come last, in the delta order', [A, B], delta({ leases: [E, D] }), [A, B, E, D]],
    ['all at once', [A, B, C], delta({ drop: [[5, 'A']], leases: [B2, D], at: [10, -1] }), [B2, C, D]],
    ['a drop of a lease the snapshot lacks changes nothing', [A], delta({ drop: [[5, 'Z']] }), [A]],
  ])('%s', (_name, snap, d, want) => {
    expect(mergeDelta(snap, d)).toEqual(want);
  });
});

describe('the delta file', () => {
  const d = delta({
    gen: 3,
    count: 2,
    liveUntil: T0 + 3600_000,
    nextExpiry: T0 + 3600_000,
    drop: [[120, 'X']],
    leases: [lease('A'), lease('B')],
    at: [200, -1],
  });
  it('round-trips', () => {
    expect(parseDelta(serializeDelta(d), 'f')).toEqual(d);
  });
  it('a changed byte anywhere, a cut file, a bad field: E_STORE_CORRUPT naming the file and the repair', () => {
    const buf = serializeDelta(d);
    for (let i = 0; i < buf.length; i += 7) {
      const bad = Buffer.from(buf);
      bad[i] = bad[i] === 0x41 ? 0x42 : 0x41;
      expect(() => parseDelta(bad, '/s/state.delta.json')).toThrow(/state\.delta\.json is corrupt/);
    }
    for (const cut of [0, 5, 20, buf.length >> 1, buf.length - 1])
      expect(() => parseDelta(buf.subarray(0, cut), '/s/state.delta.json')).toThrow(/corrupt/);
    try {
      parseDelta(buf.subarray(0, 30), '/s/state.delta.json');
    } catch (e) {
      expect((e as { code: string }).code).toBe('E_STORE_CORRUPT');
      expect((e as { hint: string }).hint).toMatch(/jitp doctor --repair.*state\.delta\.json\.corrupt-/);
    }
    // Fields that parse but are wrong (the checksum recomputed by serializeDelta).
    const wrong: Array<Partial<Delta>> = [
      { at: [1] },
      { drop: [[-1, 'X']] },
      { drop: [[1, 'A']] },
      { leases: [lease('A'), lease('A')], at: [-1, -1] },
      { count: -1 },
      { leases: [{ ...lease('A'), paths: 'x' } as unknown as Lease], at: [-1] },
    ];
    for (const w of wrong) expect(() => parseDelta(serializeDelta({ ...d, ...w }), 'f'), JSON.stringify(w)).toThrow();
  });
});

/** A store of `k` leases, each with two files of its own package, every fifth a glob. */
function filled(k: number, opts: { deltaMaxBytes?: number } = {}): { dir: string; st: LocalLeaseStore } {
  const dir = freshDir();
  const st = new LocalLeaseStore({ storeDir: dir, ...opts });
  for (let i = 0; i < k; i++)
    st.acquireSync({
      issueId: `issue-${i}`,
      agentId: 'agent:orch',
      paths: i % 5 === 0 ? [`pkg${i}/**`] : [`pkg${i}/a.ts`, `pkg${i}/b.ts`],
    });
  return { dir, st };
}

/** A new snapshot of everything (the full path): the delta is stale afterwards. */
const fold = (dir: string) =>
  new LocalLeaseStore({ storeDir: dir, incremental: false }).noteSync({ type: 'fold', by: 'x' });

describe('the delta path equals the full rule', () => {
  it('random stores: the same leases in the same order, the same refusals; the delta exact', () => {
    let viaDelta = 0;
    let folds = 0;
    let total = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(opArb, step), { minLength: 10, maxLength: 60 }),
        fc.constantFrom(0, 700, 16 * 1024),
        (ops, deltaMaxBytes) => {
          const dir = freshDir();
          let now = T0;
          const st = new LocalLeaseStore({ storeDir: dir, now: () => now, deltaMaxBytes });
          const ids: string[] = [];
          const leaseIdOf = (k: number) => ids[k % Math.max(1, ids.length)] ?? 'L-none';
          for (const [o, dt] of ops) {
            now += dt * 1000;
            const prev = existsSync(join(dir, 'state.json')) ? readStateFile(dir) : undefined;
            const before = files(dir);
            let got: Lease | undefined;
            let err: unknown;
            try {
              got = runOnStore(st, o, leaseIdOf);
            } catch (e) {
              err = e;
            }
            if (got && !ids.includes(got.id)) ids.push(got.id);
            total++;
            if (st.lastPath === 'delta') viaDelta++;
            if (typeof st.lastPath === 'object' && st.lastPath.full.startsWith('delta full')) folds++;
            if (!prev) continue;
            let want: rules.Change | undefined;
            let wantErr: unknown;
            try {
              want = ruleOf(o, prev, now, got, leaseIdOf);
            } catch (e) {
              wantErr = e;
            }
            const what = `${JSON.stringify(o)} via ${JSON.stringify(st.lastPath)}`;
            if (wantErr || err) {
              expect((err as Error | undefined)?.message, what).toBe((wantErr as Error | undefined)?.message);
              expect(files(dir), what).toEqual(before);
              continue;
            }
            if (!want!.changed) {
              expect(files(dir), what).toEqual(before);
              continue;
            }
            const after = readStateFile(dir)!;
            expect(after.version, what).toBe(want!.snapshot.version);
            expect(after.leases, what).toEqual(want!.snapshot.leases);
            // The commit covers the whole log: the next writer cuts nothing off.
            expect(after.logSize).toBe(readLog(join(dir, 'events.jsonl')).size);
            // Every reader sees the same: the hooks' view, the snapshot reader.
            const view = readStateView(dir)!;
            expect(view.version).toBe(want!.snapshot.version);
            expect(view.all()).toEqual(want!.snapshot.leases);
            const live = want!.snapshot.leases.filter((l) => Date.parse(l.expiresAt) > now);
            expect(view.anyLive(now)).toBe(live.length > 0);
            // The hooks' partial answer for the op's plain paths: only current versions of live
            // leases (never a snapshot line the delta replaced or dropped), each once, and every
            // live lease naming one of the paths.
            const asked = ('paths' in o ? o.paths : []).filter((p) => !/[*?[\]{}]/.test(p));
            const sel = view.select({ files: asked }, now);
            for (const l of sel) expect(live, what).toContainEqual(l);
            expect(new Set(sel.map((l) => l.id)).size).toBe(sel.length);
            for (const l of live)
              if (l.paths.some((p) => asked.includes(p)))
                expect(
                  sel.map((x) => x.id),
                  what,
                ).toContain(l.id);
            // The snapshot's index and the delta's fields are exact (doctor's checks).
            const snap = readStateForWrite(dir)!;
            const buf = readFileSync(join(dir, 'state.json'));
            expect(readHeader(buf)).toMatchObject({ kind: 'ok', marked: true });
            expect(indexMismatch(buf, snap.st)).toBeUndefined();
            const db = bytes(dir, DELTA_FILE);
            const d = db && parseDelta(db, 'delta');
            if (d && d.gen === snap.st.gen) expect(deltaMismatch(buf, snap, d), what).toBeUndefined();
          }
        },
      ),
      { numRuns: 40 },
    );
    // Most changes commit a delta; some fold it into a new snapshot.
    expect(viaDelta / total).toBeGreaterThan(0.4);
    expect(folds).toBeGreaterThan(0);
  });
});

describe('the delta path: leases whose delta version differs from their snapshot line', () => {
  it('a path only the delta version names: an acquire of it is refused (the replacement is a candidate)', () => {
    const { dir, st } = filled(6);
    fold(dir);
    // issue-1's line in the snapshot names pkg1/a.ts and pkg1/b.ts; its delta version adds new/x.ts.
    st.extendSync({ issueId: 'issue-1', agentId: 'agent:orch' }, ['new/x.ts']);
    expect(st.lastPath).toBe('delta');
    expect(() => st.acquireSync({ issueId: 'other', agentId: 'agent:o', paths: ['new/x.ts'] })).toThrow(/held/);
    expect(st.lastPath).toBe('delta');
    // And the hooks' view finds it, and not the snapshot's older version.
    const sel = readStateView(dir)!.select({ files: ['new/x.ts'] }, Date.now());
    expect(sel.filter((l) => l.issueId === 'issue-1').map((l) => l.paths)).toEqual([
      ['pkg1/a.ts', 'pkg1/b.ts', 'new/x.ts'],
    ]);
  });

  it('a path only the snapshot line names, dropped from the lease since: free (a released lease too)', () => {
    const { dir, st } = filled(6);
    fold(dir);
    st.releaseSync({ issueId: 'issue-2', agentId: 'agent:orch' });
    expect(st.lastPath).toBe('delta');
    const l = st.acquireSync({ issueId: 'other', agentId: 'agent:o', paths: ['pkg2/a.ts'] });
    expect(st.lastPath).toBe('delta');
    const sel = readStateView(dir)!.select({ files: ['pkg2/a.ts'] }, Date.now());
    expect(sel.map((x) => x.id)).toEqual([l.id]);
  });
});

describe('readers and the delta generation', () => {
  it('a lease that exists only in the delta is seen by every reader; the snapshot alone lacks it', () => {
    const { dir, st } = filled(12);
    const l = st.acquireSync({ issueId: 'only-delta', agentId: 'agent:p', paths: ['probe/x.ts'] });
    expect(st.lastPath).toBe('delta');
    expect(readStateForWrite(dir)!.st.leases.map((x) => x.id)).not.toContain(l.id);
    expect(readStateFile(dir)!.leases.map((x) => x.id)).toContain(l.id);
    expect(readSnapshotSync(dir).leases.at(-1)).toEqual(l);
    const view = readStateView(dir)!;
    expect(view.select({ files: ['probe/x.ts'] }, Date.now()).map((x) => x.id)).toContain(l.id);
  });

  it('a stale delta (older generation) is ignored; a newer one makes the reader read again, then refuse', () => {
    const { dir, st } = filled(6);
    st.acquireSync({ issueId: 'p', agentId: 'agent:p', paths: ['probe/x.ts'] });
    const old = bytes(dir, DELTA_FILE)!;
    // A new snapshot (the full path folds the delta in): the delta on disk is now stale.
    new LocalLeaseStore({ storeDir: dir, incremental: false }).releaseSync({ issueId: 'p', agentId: 'agent:p' });
    expect(parseDelta(bytes(dir, DELTA_FILE)!, 'd').gen).toBeLessThan(readStateForWrite(dir)!.st.gen!);
    expect(readStateFile(dir)!.leases.map((l) => l.issueId)).not.toContain('p');
    // The stale delta still holds `p`; readers must not see it.
    expect(old.equals(bytes(dir, DELTA_FILE)!)).toBe(true);
    expect(
      readStateView(dir)!
        .all()
        .map((l) => l.issueId),
    ).not.toContain('p');
    // A delta of a generation the snapshot has not reached: read again, a few times, then E_STORE_CORRUPT.
    const g = readStateForWrite(dir)!.st.gen!;
    const d = parseDelta(old, 'd');
    writeFileSync(join(dir, DELTA_FILE), serializeDelta({ ...d, gen: g + 1 }));
    let reads = 0;
    expect(() =>
      withDelta(dir, () => {
        reads++;
        return readStateForWrite(dir)!.st;
      }),
    ).toThrow(/generation/);
    expect(reads).toBeGreaterThan(1);
    expect(() => readStateFile(dir)).toThrow(/corrupt/);
    // A writer under the lock refuses too, and writes nothing.
    const before = files(dir);
    expect(() => st.acquireSync({ issueId: 'q', agentId: 'agent:q', paths: ['q/a.ts'] })).toThrow(/generation/);
    expect(files(dir)).toEqual(before);
  });

  it('a newer delta read between two snapshot reads: the reader reads the snapshot again and gets the pair', () => {
    const { dir, st } = filled(6);
    st.acquireSync({ issueId: 'p', agentId: 'agent:p', paths: ['probe/x.ts'] });
    const oldSnap = readStateForWrite(dir)!.st;
    // Fold (new snapshot, gen + 1), then a new delta of that generation.
    new LocalLeaseStore({ storeDir: dir, incremental: false }).renewSync({ issueId: 'p', agentId: 'agent:p' });
    st.acquireSync({ issueId: 'q', agentId: 'agent:q', paths: ['q/a.ts'] });
    expect(st.lastPath).toBe('delta');
    let reads = 0;
    // The first snapshot read returns the old snapshot (as if read before the fold).
    const r = withDelta(dir, (again) => {
      reads++;
      return again ? readStateForWrite(dir)!.st : oldSnap;
    })!;
    expect(reads).toBe(2);
    expect(r.delta?.gen).toBe(r.snap.gen);
    expect(mergeDelta(r.snap.leases, r.delta).map((l) => l.issueId)).toEqual(
      readStateFile(dir)!.leases.map((l) => l.issueId),
    );
  });

  it('the delta stays small under churn and is folded in past its bound', () => {
    const { dir, st } = filled(20, { deltaMaxBytes: 2000 });
    for (let i = 0; i < 10; i++) {
      const l = st.acquireSync({ issueId: `c${i}`, agentId: 'agent:p', paths: [`churn/${i}.ts`] });
      st.releaseSync({ issueId: `c${i}`, agentId: 'agent:p', token: l.token });
    }
    // An acquire then release of a lease the snapshot lacks leaves nothing behind.
    expect(parseDelta(bytes(dir, DELTA_FILE)!, 'd').leases).toEqual([]);
    const paths: string[] = [];
    for (let i = 0; i < 12; i++) {
      st.acquireSync({ issueId: `k${i}`, agentId: 'agent:p', paths: [`keep/${i}.ts`] });
      paths.push(JSON.stringify(st.lastPath));
    }
    expect(paths).toContain(JSON.stringify({ full: 'delta full: a new snapshot' }));
    expect(bytes(dir, DELTA_FILE)!.length).toBeLessThan(2000 + 1000);
    expect(diagnose(dir).checks.filter((c) => c.status !== 'ok')).toEqual([]);
  });

  it('an older reader (schema 1 only) refuses a marked snapshot instead of missing the delta', () => {
    const { dir } = filled(3);
    const text = readFileSync(join(dir, 'state.json'), 'utf8');
    const doc = JSON.parse(text) as Record<string, unknown>;
    // What older jitp checks: schemaVersion (readers and writers: E_STORE_SCHEMA above 1) and, in
    // the hooks' fast check of a file without its layout, that `leases` is a list (else "live").
    expect(doc.schemaVersion).toBe(2);
    expect(doc.leases).toBeUndefined();
    expect(Array.isArray(doc.base)).toBe(true);
  });
});

describe('jitp doctor and the delta', () => {
  it('a damaged delta: reported; repair moves it aside and rebuilds from the log, losing nothing', () => {
    const { dir, st } = filled(8);
    fold(dir);
    st.acquireSync({ issueId: 'p', agentId: 'agent:p', paths: ['probe/x.ts'] });
    st.releaseSync({ issueId: 'issue-3', agentId: 'agent:orch' });
    const want = readStateFile(dir)!;
    const file = join(dir, DELTA_FILE);
    const buf = readFileSync(file);
    buf[buf.length - 5] = buf[buf.length - 5]! ^ 1;
    writeFileSync(file, buf);
    const d = diagnose(dir);
    expect(d.ok).toBe(false);
    expect(d.checks.find((c) => c.status === 'problem')!.message).toMatch(/state\.delta\.json is corrupt/);
    expect(() => st.acquireSync({ issueId: 'q', agentId: 'agent:q', paths: ['q/a.ts'] })).toThrow(/corrupt/);
    const r = repair(dir);
    expect(r.ok).toBe(true);
    expect(r.repaired.join('\n')).toMatch(/moved the delta to .*state\.delta\.json\.corrupt-/);
    const got = readStateFile(dir)!;
    expect(got.version).toBe(want.version);
    expect(got.leases.map((l) => l.id).sort()).toEqual(want.leases.map((l) => l.id).sort());
    st.acquireSync({ issueId: 'q', agentId: 'agent:q', paths: ['q/a.ts'] });
    expect(diagnose(dir).ok).toBe(true);
  });

  it('a delta whose checksum is right but whose offsets or fields are wrong: a problem; repair folds it', () => {
    const { dir, st } = filled(8);
    fold(dir);
    st.acquireSync({ issueId: 'p', agentId: 'agent:p', paths: ['probe/x.ts'] });
    st.releaseSync({ issueId: 'issue-3', agentId: 'agent:orch' });
    const file = join(dir, DELTA_FILE);
    const d = parseDelta(readFileSync(file), 'd');
    expect(d.drop.length).toBe(1);
    writeFileSync(file, serializeDelta({ ...d, drop: [[d.drop[0]![0] + 1, d.drop[0]![1]]] }));
    const bad = diagnose(dir);
    expect(bad.checks.find((c) => c.name === 'delta' && c.status === 'problem')?.message).toMatch(/offset/);
    // A writer that needs that line refuses (the offset is not a line start).
    expect(() => st.acquireSync({ issueId: 'z', agentId: 'agent:z', paths: ['z/a.ts'] })).toThrow(/corrupt/);
    const want = readStateFile(dir)!.leases.map((l) => l.id);
    expect(repair(dir).ok).toBe(true);
    expect(readStateFile(dir)!.leases.map((l) => l.id)).toEqual(want);
    writeFileSync(file, serializeDelta({ ...parseDelta(readFileSync(file), 'd'), liveUntil: 1 }));
    // Stale now (the repair wrote a new snapshot): ignored, reported as such.
    expect(diagnose(dir).checks.find((c) => c.name === 'delta')?.message).toMatch(/stale/);
  });

  it('a delta left by a killed writer as a temp file is swept by repair', () => {
    const { dir } = filled(2);
    const tmp = join(dir, `.${DELTA_FILE}.99999999.abcdef12.tmp`);
    writeFileSync(tmp, 'x');
    expect(diagnose(dir).checks.some((c) => c.name === 'temp')).toBe(true);
    repair(dir);
    expect(existsSync(tmp)).toBe(false);
  });
});
