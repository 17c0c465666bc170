// The writers' incremental path (src/store/local/state-splice.ts). The oracle is the full path:
// the same pure rule run on every lease, serialised whole (serializeIndexed). After any change the
// spliced file must be byte for byte that file (so the index, `count`, `liveUntil`, `nextExpiry`,
// `special`, `at` and `anchors`, is exact), and a refusal must be the same refusal (the same first
// overlapping holder: the byte search may find too much, never too little).
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as rules from '../../src/core/lease-rules.js';
import * as waits from '../../src/core/wait-rules.js';
import type { Lease, StoreSnapshot } from '../../src/core/model.js';
import { LocalLeaseStore } from '../../src/store/local/local-store.js';
import { readStateFile, stateForWriteOf } from '../../src/store/local/snapshot-read.js';
import {
  checksum,
  readHeader,
  serializeIndexed,
  serializeLayout1,
  SUM2_END,
  LAYOUT2_PREFIX,
} from '../../src/store/local/state-format.js';
import { indexMismatch, planSplice } from '../../src/store/local/state-splice.js';
import { diagnose, repair } from '../../src/store/local/doctor.js';
import { tempDir } from '../support/git.js';
import { opArb, ruleOf, runOnStore, step, type Op } from './support/ops.js';

const root = tempDir('jitp-splice-');
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = () => join(root, `s${n++}`);
const stateOf = (dir: string) => readFileSync(join(dir, 'state.json'));

describe('incremental writes equal full rewrites', () => {
  it('random stores with globs, worktree leases and colliding names: same bytes, same refusals', () => {
    let spliced = 0;
    let total = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(opArb, step), { minLength: 10, maxLength: 50 }), (ops) => {
        const dir = freshDir();
        let now = Date.parse('2030-01-01T00:00:00.000Z');
        const st = new LocalLeaseStore({ delta: false, storeDir: dir, now: () => now });
        const ids: string[] = [];
        const leaseIdOf = (k: number) => ids[k % Math.max(1, ids.length)] ?? 'L-none';
        for (const [o, dt] of ops) {
          now += dt * 1000; // leases of 60 s expire along the way: the full path sweeps them
          const before = existsState(dir) ? stateOf(dir) : undefined;
          const prev = before ? stateForWriteOf(before, 'state.json').st : undefined;
          let got: Lease | undefined;
          let err: unknown;
          try {
            got = runOnStore(st, o, leaseIdOf);
          } catch (e) {
            err = e;
          }
          if (got && !ids.includes(got.id)) ids.push(got.id);
          total++;
          if (st.lastPath === 'splice') spliced++;
          if (!prev) continue;
          // The oracle: the same rule on every lease.
          let want: rules.Change | undefined;
          let wantErr: unknown;
          try {
            want = ruleOf(o, prev, now, got, leaseIdOf);
          } catch (e) {
            wantErr = e;
          }
          if (wantErr || err) {
            expect((err as Error | undefined)?.message, JSON.stringify(o)).toBe(
              (wantErr as Error | undefined)?.message,
            );
            expect(stateOf(dir).equals(before!)).toBe(true);
            continue;
          }
          const after = stateOf(dir);
          if (!want!.changed) {
            expect(after.equals(before!)).toBe(true);
            continue;
          }
          const logSize = stateForWriteOf(after, 'state.json').st.logSize;
          const full = serializeIndexed({ ...want!.snapshot, logSize }).toString('utf8');
          // nextExpiry: the full path writes the earliest expiry, a splice may keep an earlier bound.
          const nx = (t: string) => Number(/"nextExpiry":(\d+)/.exec(t)![1]);
          const text = after.toString('utf8');
          expect(nx(text)).toBeLessThanOrEqual(nx(full));
          if (want!.snapshot.leases.length === 0) expect(nx(text)).toBe(0);
          const same = (t: string) =>
            t
              .slice(t.indexOf('"bodyLen"'))
              .replace(/"nextExpiry":\d+/, '')
              .replace(/"gen":\d+,/, '');
          expect(same(text), `${JSON.stringify(o)} via ${JSON.stringify(st.lastPath)}`).toBe(same(full));
          // The header's own checksum is checked by every reader, and doctor's index check agrees.
          expect(readHeader(after).kind).toBe('ok');
          expect(indexMismatch(after, stateForWriteOf(after, 'state.json').st)).toBeUndefined();
        }
      }),
      { numRuns: 40 },
    );
    // The point: most changes take the incremental path (the others hit an expired lease or a
    // glob with no literal folder).
    expect(spliced / total).toBeGreaterThan(0.5);
  });
});

function existsState(dir: string): boolean {
  try {
    readFileSync(join(dir, 'state.json'));
    return true;
  } catch {
    return false;
  }
}

/** A store of `k` leases, each with two files in its own package, every fifth a glob. */
function filled(k: number): { dir: string; st: LocalLeaseStore } {
  const dir = freshDir();
  const st = new LocalLeaseStore({ delta: false, storeDir: dir });
  for (let i = 0; i < k; i++)
    st.acquireSync({
      issueId: `issue-${i}`,
      agentId: 'agent:orch',
      paths: i % 5 === 0 ? [`pkg${i}/**`] : [`pkg${i}/a.ts`, `pkg${i}/b.ts`],
    });
  return { dir, st };
}

/** The byte range of the line naming `needle`. */
function lineOf(buf: Buffer, needle: string): [number, number] {
  const at = buf.indexOf(needle);
  expect(at).toBeGreaterThan(0);
  return [buf.lastIndexOf(0x0a, at) + 1, buf.indexOf(0x0a, at)];
}

describe('the incremental path on damaged and unusual files', () => {
  it('takes the splice path for acquire, release, renew and extend in a sound store', () => {
    const { dir, st } = filled(30);
    const l = st.acquireSync({ issueId: 'p', agentId: 'agent:p', paths: ['probe/a.ts'] });
    expect(st.lastPath).toBe('splice');
    st.renewSync({ issueId: 'p', agentId: 'agent:p' });
    expect(st.lastPath).toBe('splice');
    st.extendSync({ issueId: 'p', agentId: 'agent:p' }, ['probe/**']);
    expect(st.lastPath).toBe('splice');
    st.releaseSync({ issueId: 'p', agentId: 'agent:p', token: l.token });
    expect(st.lastPath).toBe('splice');
    expect(diagnose(dir).checks.filter((c) => c.status !== 'ok')).toEqual([]);
  });

  it('a damaged line no change reads: the change goes through, the line stays as it was, readers refuse', () => {
    const { dir, st } = filled(20);
    const buf = stateOf(dir);
    const [s, e] = lineOf(buf, '"issueId":"issue-7"');
    const bad = Buffer.from(buf);
    bad.write('X', s + 40, 'latin1'); // inside the line: its own checksum now fails
    writeFileSync(join(dir, 'state.json'), bad);
    st.acquireSync({ issueId: 'p', agentId: 'agent:p', paths: ['probe/a.ts'] });
    expect(st.lastPath).toBe('splice');
    const after = stateOf(dir);
    expect(after.includes(bad.subarray(s, e))).toBe(true);
    expect(() => readStateFile(dir)).toThrow(/corrupt: lease #8: line checksum mismatch/);
    expect(diagnose(dir).ok).toBe(false);
    // A change that reads that line refuses, with the repair hint.
    try {
      st.releaseSync({ issueId: 'issue-7', agentId: 'agent:orch' });
      expect.unreachable();
    } catch (err) {
      expect((err as { code: string }).code).toBe('E_STORE_CORRUPT');
      expect((err as { hint: string }).hint).toMatch(/jitp doctor --repair/);
    }
    expect(stateOf(dir).equals(after)).toBe(true);
  });

  it('a path the damaged line holds: an acquire of it reads the line and refuses', () => {
    const { dir, st } = filled(20);
    const buf = Buffer.from(stateOf(dir));
    const [s] = lineOf(buf, '"pkg3/a.ts"');
    buf.write('X', s + 40, 'latin1');
    writeFileSync(join(dir, 'state.json'), buf);
    expect(() => st.acquireSync({ issueId: 'q', agentId: 'agent:q', paths: ['pkg3/a.ts'] })).toThrow(/corrupt/);
    expect(stateOf(dir).equals(buf)).toBe(true);
  });

  it('a header whose bodyLen or checksum is wrong: the full path decides (rewrites a sound body)', () => {
    const { dir, st } = filled(10);
    const buf = stateOf(dir);
    // bodyLen off by one, header checksum recomputed: a writer bug, not a torn file.
    const text = buf.toString('utf8').replace(/"bodyLen":(\d+)/, (_m, d) => `"bodyLen":${Number(d) + 1}`);
    const b = Buffer.from(text);
    const nl = b.indexOf(0x0a);
    b.write(checksum(b, SUM2_END, nl + 1), LAYOUT2_PREFIX.length, 'latin1');
    writeFileSync(join(dir, 'state.json'), b);
    st.acquireSync({ issueId: 'p', agentId: 'agent:p', paths: ['probe/a.ts'] });
    expect(st.lastPath).toEqual({ full: 'header: file length' });
    expect(readStateFile(dir)!.leases).toHaveLength(11);
    st.releaseSync({ issueId: 'p', agentId: 'agent:p' });
    expect(st.lastPath).toBe('splice'); // rewritten whole, so trusted again
    // A hand edit of the header (checksum now wrong) with a sound body: rewritten, nothing lost.
    writeFileSync(join(dir, 'state.json'), stateOf(dir).toString('utf8').replace('"version":', '"version": '));
    st.acquireSync({ issueId: 'p2', agentId: 'agent:p', paths: ['probe/b.ts'] });
    expect(st.lastPath).toEqual({ full: 'header: header checksum mismatch' });
    expect(readStateFile(dir)!.leases).toHaveLength(11);
  });

  it('a cut or torn file is refused (E_STORE_CORRUPT) and left as it is, wherever it is cut', () => {
    const { dir, st } = filled(12);
    const whole = stateOf(dir);
    for (const cut of [whole.length - 3, whole.length - 5, whole.length >> 1, whole.indexOf(0x0a) + 5, 40]) {
      const part = whole.subarray(0, cut);
      writeFileSync(join(dir, 'state.json'), part);
      expect(
        () => st.acquireSync({ issueId: 'p', agentId: 'agent:p', paths: ['probe/a.ts'] }),
        `cut at ${cut}`,
      ).toThrow(/corrupt/);
      expect(stateOf(dir).equals(part)).toBe(true);
    }
    // Only the last newline gone: the document is whole (the full path reads it) and is rewritten.
    writeFileSync(join(dir, 'state.json'), whole.subarray(0, whole.length - 1));
    st.acquireSync({ issueId: 'p', agentId: 'agent:p', paths: ['probe/a.ts'] });
    expect(st.lastPath).toEqual({ full: 'header: file length' });
    expect(readStateFile(dir)!.leases).toHaveLength(13);
  });

  it('an index whose offsets do not point at lines is not used: the full path rewrites it', () => {
    const { dir, st } = filled(12);
    const text = stateOf(dir)
      .toString('utf8')
      .replace(/"at":\[(\d+)/, (_m, d) => `"at":[${Number(d) + 1}`);
    const b = Buffer.from(text);
    b.write(checksum(b, SUM2_END, b.indexOf(0x0a) + 1), LAYOUT2_PREFIX.length, 'latin1');
    writeFileSync(join(dir, 'state.json'), b);
    expect(() => st.acquireSync({ issueId: 'p', agentId: 'agent:p', paths: ['pkg0/x.ts'] })).toThrow(/held by/);
    st.acquireSync({ issueId: 'p', agentId: 'agent:p', paths: ['pkg1/x.ts'] });
    expect(st.lastPath).toEqual({ full: 'index offsets' });
    st.releaseSync({ issueId: 'p', agentId: 'agent:p' });
    expect(st.lastPath).toBe('splice');
  });

  it('substrings are rechecked, real overlaps are never missed', () => {
    const dir = freshDir();
    const st = new LocalLeaseStore({ delta: false, storeDir: dir });
    st.acquireSync({ issueId: 'src/a.ts', agentId: 'agent:a', paths: ['x/src/a.ts', 'src/a.ts.orig'] });
    st.acquireSync({ issueId: 'g', agentId: 'agent:a', paths: ['lib/**'] });
    st.acquireSync({ issueId: 'w', agentId: 'agent:a', paths: ['deep/er/*.md'], worktree: '/wt/w' });
    st.acquireSync({ issueId: 't', agentId: 'agent:a', paths: ['tools'] }); // a file named like a folder
    // Found by the byte search but not overlapping: granted.
    st.acquireSync({ issueId: 'b', agentId: 'agent:b', paths: ['src/a.ts'] });
    expect(st.lastPath).toBe('splice');
    // Overlaps through a glob anchor, a folder glob covering its own folder, a glob vs a glob.
    for (const [p, holder] of [
      ['lib/x/y.ts', 'g'],
      ['lib', 'g'],
      ['lib/*/z.ts', 'g'],
      ['deep/er/r.md', 'w'],
      ['deep/**', 'w'],
      ['x/**', 'src/a.ts'],
      ['lib/deeper/**', 'g'],
      ['tools/**', 't'],
      ['src/a.ts', 'b'],
    ] as const) {
      let err: { code?: string; details?: { holder?: { issueId: string } } } | undefined;
      try {
        st.acquireSync({ issueId: 'c', agentId: 'agent:c', paths: [p] });
      } catch (e) {
        err = e as typeof err;
      }
      expect(err?.code, p).toBe('E_HELD');
      expect(err?.details?.holder?.issueId, p).toBe(holder);
    }
  });

  it('layout 1 and a layout 2 file without nextExpiry are rewritten whole once, then spliced', () => {
    const { dir, st } = filled(8);
    const full = readStateFile(dir)!;
    writeFileSync(join(dir, 'state.json'), serializeLayout1(full));
    st.acquireSync({ issueId: 'p', agentId: 'agent:p', paths: ['probe/a.ts'] });
    expect(st.lastPath).toEqual({ full: 'layout 1' });
    st.releaseSync({ issueId: 'p', agentId: 'agent:p' });
    expect(st.lastPath).toBe('splice');
    // An older layout 2 writer: no nextExpiry in the index.
    const old = stateOf(dir)
      .toString('utf8')
      .replace(/,"nextExpiry":\d+/, '');
    const b = Buffer.from(old);
    const nl = b.indexOf(0x0a);
    const body = b.length - nl - 1;
    expect(old).toContain(`"bodyLen":${body}`);
    b.write(checksum(b, SUM2_END, nl + 1), LAYOUT2_PREFIX.length, 'latin1');
    writeFileSync(join(dir, 'state.json'), b);
    st.acquireSync({ issueId: 'p', agentId: 'agent:p', paths: ['probe/a.ts'] });
    expect(st.lastPath).toEqual({ full: 'no nextExpiry (written by an older jitp)' });
    st.releaseSync({ issueId: 'p', agentId: 'agent:p' });
    expect(st.lastPath).toBe('splice');
  });

  it('an expired lease sends the change to the full path, which sweeps it; the next one is spliced', () => {
    let now = Date.now();
    const dir = freshDir();
    const st = new LocalLeaseStore({ delta: false, storeDir: dir, now: () => now });
    st.acquireSync({ issueId: 'short', agentId: 'agent:a', paths: ['s.ts'], ttlSecs: 5 });
    st.acquireSync({ issueId: 'long', agentId: 'agent:a', paths: ['l.ts'], ttlSecs: 600 });
    now += 10_000;
    st.acquireSync({ issueId: 'p', agentId: 'agent:p', paths: ['probe/a.ts'] });
    expect(st.lastPath).toEqual({ full: 'nextExpiry passed: a lease may have expired' });
    expect(readStateFile(dir)!.leases.map((l) => l.issueId)).toEqual(['long', 'p']);
    st.releaseSync({ issueId: 'p', agentId: 'agent:p' });
    expect(st.lastPath).toBe('splice');
  });

  it('nextExpiry is a bound: a release keeps it; the first change past it rewrites it exact', () => {
    let now = Date.parse('2030-01-01T00:00:00.000Z');
    const dir = freshDir();
    const st = new LocalLeaseStore({ delta: false, storeDir: dir, now: () => now });
    const nx = () => Number(/"nextExpiry":(\d+)/.exec(stateOf(dir).toString('utf8'))![1]);
    st.acquireSync({ issueId: 'early', agentId: 'agent:a', paths: ['e.ts'], ttlSecs: 60 });
    st.acquireSync({ issueId: 'late', agentId: 'agent:a', paths: ['l.ts'], ttlSecs: 600 });
    expect(nx()).toBe(now + 60_000);
    st.releaseSync({ issueId: 'early', agentId: 'agent:a' });
    expect(st.lastPath).toBe('splice');
    expect(nx()).toBe(now + 60_000); // kept: no line was read to find the next one
    now += 61_000;
    st.renewSync({ issueId: 'late', agentId: 'agent:a' });
    expect(st.lastPath).toEqual({ full: 'nextExpiry passed: a lease may have expired' });
    expect(nx()).toBe(now + 600_000);
    st.acquireSync({ issueId: 'x', agentId: 'agent:a', paths: ['x.ts'], ttlSecs: 600 });
    expect(st.lastPath).toBe('splice');
  });
});

// Deeper names than above, so glob anchors nest (`a/b/**` against `a/**`, `a/**` against a file `a`).
const dseg = fc.constantFrom('a', 'b', 'a.ts', 'src', 'x');
const dplain = fc.array(dseg, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
const dglob = fc.oneof(
  ...['**', '*', '*.ts', '{a,b}/x', 'a?', '[ab]', '**/a.ts'].map((t) => dplain.map((p) => `${p}/${t}`)),
  fc.constantFrom('**/a.ts', '*', '{a,src}/**'),
);
const dpaths = fc.array(fc.oneof({ weight: 3, arbitrary: dplain }, { weight: 2, arbitrary: dglob }), {
  minLength: 1,
  maxLength: 3,
});

describe('jitp doctor and the index', () => {
  it('an index that checks out but does not match its leases is reported and rewritten', () => {
    const { dir } = filled(12);
    // `special` one position off, the header's checksum made right again: only doctor sees it.
    const text = stateOf(dir)
      .toString('utf8')
      .replace(/"special":\[(\d+)/, (_m, d) => `"special":[${Number(d) + 1}`);
    const b = Buffer.from(text);
    b.write(checksum(b, SUM2_END, b.indexOf(0x0a) + 1), LAYOUT2_PREFIX.length, 'latin1');
    writeFileSync(join(dir, 'state.json'), b);
    expect(readHeader(b).kind).toBe('ok');
    const d = diagnose(dir);
    expect(d.checks.find((c) => c.name === 'index')?.message).toMatch(/index special does not match the leases/);
    expect(repair(dir).repaired.join('\n')).toMatch(/rewrote the lease index/);
    expect(diagnose(dir).checks.filter((c) => c.status !== 'ok')).toEqual([]);
  });
});

describe('planSplice', () => {
  it('its candidates give the same first overlapping holder as all the leases (random stores)', () => {
    let used = 0;
    let runs = 0;
    const now = Date.parse('2030-01-01T00:00:00.000Z');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(dpaths, fc.boolean(), fc.nat(3)), { minLength: 1, maxLength: 40 }),
        dpaths,
        (held, wanted) => {
          const leases: Lease[] = held.map(([paths, wt, t], i) => ({
            id: `L-${String(i).padStart(12, '0')}`,
            issueId: `i${i}`,
            agentId: 'agent:a',
            worktree: wt && i % 3 === 0 ? `/wt/${i}` : null,
            branch: null,
            paths,
            ttlSecs: 600,
            acquiredAt: new Date(now).toISOString(),
            renewedAt: new Date(now).toISOString(),
            expiresAt: new Date(now + 600_000 + t * 1000).toISOString(),
            token: i + 1,
          }));
          const buf = serializeIndexed({ version: leases.length, logSize: 0, leases });
          const p = planSplice(buf, 'state.json', { paths: wanted }, now);
          runs++;
          if (!p.ok) {
            // Only a glob with no literal folder may send it to the full path here.
            expect(p.why).toMatch(/no literal folder/);
            return;
          }
          used++;
          const all = rules.firstOverlapping(leases, wanted);
          const some = rules.firstOverlapping(p.st.leases, wanted);
          expect(some === undefined ? undefined : p.st.leases[some]!.id).toBe(
            all === undefined ? undefined : leases[all]!.id,
          );
        },
      ),
      { numRuns: 1500 },
    );
    expect(used / runs).toBeGreaterThan(0.5);
  });

  it('never reads a line a change cannot need', () => {
    let s = rules.emptySnapshot();
    for (let i = 0; i < 200; i++)
      s = rules.acquire(
        s,
        {
          issueId: `issue-${i}`,
          agentId: 'agent:orch',
          paths: i % 5 === 0 ? [`pkg${i}/**`] : [`pkg${i}/a.ts`, `pkg${i}/b.ts`],
          ttlSecs: 600,
        },
        { nowMs: Date.now() },
      ).snapshot;
    const buf = serializeIndexed({ ...s, logSize: 0 });
    const p = planSplice(buf, 'state.json', { issueIds: ['issue-7'], paths: ['pkg7/a.ts', 'pkg12/x.ts'] }, Date.now());
    expect(p.ok).toBe(true);
    if (!p.ok) return;
    // issue-7's line, pkg12's? no (pkg12 is plain, pkg12/x.ts is not its file), and no glob line
    // (every glob is pkgN/** of another package).
    expect(p.st.leases.map((l) => l.issueId)).toEqual(['issue-7']);
  });
});
