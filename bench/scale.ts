// npm run bench:scale: what one lease change costs as the local store grows. Builds a store of
// 1,000 live leases one acquire at a time (each lease 8 files in its own package; every tenth a
// glob `pkgN/**` instead) and, when it holds 10, 100 and 1,000 leases, times 30 acquire+release
// pairs of one more issue (so the size stays put). The floor, timed in the same run at each size,
// is what any change of a store kept in files pays: lock, a small temp file written with fsync,
// rename, unlock. Prints ms per acquire and per release at each size and the total build time.
// BENCH_SCALE_N (default 1000) changes the largest size; BENCH_SCALE_PATHS the files per lease.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LocalLeaseStore } from '../src/store/local/local-store.js';
import { acquireLock } from '../src/store/local/lock.js';

const MAX = Number(process.env.BENCH_SCALE_N ?? 1000);
const PATHS = Number(process.env.BENCH_SCALE_PATHS ?? 8);
const SIZES = [10, 100, 1000].filter((s) => s <= MAX);
const PAIRS = 30;
const base = mkdtempSync(join(process.env.JITP_BENCH_DIR ?? tmpdir(), 'jitp-scale-'));
const storeDir = join(base, 'store');
const store = new LocalLeaseStore({ storeDir });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const pathsOf = (i: number) =>
  i % 10 === 0 ? [`pkg${i}/**`] : Array.from({ length: PATHS }, (_, j) => `pkg${i}/src/mod${j}/file${j}.ts`);

function floorMs(): number {
  const ts: number[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const t = performance.now();
    const lock = acquireLock(base, { timeoutMs: 10_000 });
    const tmp = join(base, `.floor.${randomBytes(6).toString('hex')}.tmp`);
    writeFileSync(tmp, 'x'.repeat(400), { flag: 'wx', flush: true });
    renameSync(tmp, join(base, 'floor.json'));
    lock.release();
    ts.push(performance.now() - t);
  }
  return median(ts);
}

function pairsAt(size: number): { acquire: number; release: number; floor: number } {
  const acq: number[] = [];
  const rel: number[] = [];
  const floor = floorMs();
  for (let i = 0; i < PAIRS; i++) {
    const issueId = `probe-${size}-${i}`;
    let t = performance.now();
    const l = store.acquireSync({ issueId, agentId: 'agent:probe', paths: [`probe/${i}/a.ts`, `probe/${i}/b.ts`] });
    acq.push(performance.now() - t);
    t = performance.now();
    store.releaseSync({ issueId, agentId: 'agent:probe', token: l.token });
    rel.push(performance.now() - t);
  }
  return { acquire: median(acq), release: median(rel), floor };
}

console.log(
  `bench:scale  (node ${process.version}; ${PATHS} files per lease, every tenth a glob; medians of ${PAIRS}; ` +
    `load ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`,
);
console.log('live leases | acquire ms | release ms | floor ms (lock + fsync write + rename) | acquire / floor');
const t0 = performance.now();
let built = 0;
for (const size of SIZES) {
  for (; built < size; built++)
    store.acquireSync({ issueId: `issue-${built}`, agentId: 'agent:orch', paths: pathsOf(built) });
  const r = pairsAt(size);
  console.log(
    `${String(size).padStart(11)} | ${r.acquire.toFixed(2).padStart(10)} | ${r.release.toFixed(2).padStart(10)} | ` +
      `${r.floor.toFixed(2).padStart(38)} | ${(r.acquire / r.floor).toFixed(2).padStart(15)}`,
  );
}
console.log(
  `built ${built} leases one acquire at a time (plus ${SIZES.length * PAIRS} probe pairs) in ` +
    `${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
rmSync(base, { recursive: true, force: true });
