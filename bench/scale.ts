// npm run bench:scale: what one lease change costs as the local store grows. Builds a store of
// 1,000 live leases one acquire at a time (each lease 8 files in its own package; every tenth a
// glob `pkgN/**` instead) and, when it holds 10, 100 and 1,000 leases, times 40 acquire+release
// pairs of one more issue (so the size stays put) through the incremental path (a change commits a
// small delta beside the snapshot, state-delta.ts; JITP_STORE_DELTA=0: it splices the snapshot,
// state-splice.ts), 40 through the full path (every change reads, checks and rewrites the whole file: the writer
// before it) and 80 floor samples, all interleaved so they see the same load. The floor is what
// any change of a store kept in files pays: lock, a small temp file written with fsync, rename,
// unlock. Prints medians in ms, each path's ratio to the floor, "flat?": the incremental path's
// ratio to the floor divided by the same ratio at 10 leases (1.00: flat), and the CPU time of a
// pair (the figure others' load distorts least; the fsyncs' waits are not in it).
// BENCH_SCALE_N (default 1000) changes the largest size; BENCH_SCALE_PATHS the files per lease;
// BENCH_SCALE_PAIRS the pairs per path and size.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LocalLeaseStore } from '../src/store/local/local-store.js';
import { acquireLock } from '../src/store/local/lock.js';

const MAX = Number(process.env.BENCH_SCALE_N ?? 1000);
const PATHS = Number(process.env.BENCH_SCALE_PATHS ?? 8);
const SIZES = [10, 100, 1000].filter((s) => s <= MAX);
const PAIRS = Number(process.env.BENCH_SCALE_PAIRS ?? 40);
const base = mkdtempSync(join(process.env.JITP_BENCH_DIR ?? tmpdir(), 'jitp-scale-'));
const storeDir = join(base, 'store');
const store = new LocalLeaseStore({ storeDir });
const full = new LocalLeaseStore({ storeDir, incremental: false });
let spliced = 0;
let changes = 0;
/** Changes that wrote a new snapshot because the delta had grown past its bound (state-delta.ts). */
let compactions = 0;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const pathsOf = (i: number) =>
  i % 10 === 0 ? [`pkg${i}/**`] : Array.from({ length: PATHS }, (_, j) => `pkg${i}/src/mod${j}/file${j}.ts`);

/** CPU ms (user + system) since `c`: what the load of others inflates least. */
const cpuMs = (c: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(c);
  return (d.user + d.system) / 1000;
};

function floorSample(ts: number[], cpu: number[]): void {
  const c = process.cpuUsage();
  const t = performance.now();
  const lock = acquireLock(base, { timeoutMs: 10_000 });
  const tmp = join(base, `.floor.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(tmp, 'x'.repeat(400), { flag: 'wx', flush: true });
  renameSync(tmp, join(base, 'floor.json'));
  lock.release();
  ts.push(performance.now() - t);
  cpu.push(cpuMs(c));
}

interface At {
  acquire: number;
  release: number;
  fullAcquire: number;
  fullRelease: number;
  floor: number;
  /** CPU ms per acquire+release pair (incremental, full path) and per floor sample. */
  cpu: number;
  fullCpu: number;
  floorCpu: number;
}

function pairsAt(size: number): At {
  const t: Record<'acq' | 'rel' | 'facq' | 'frel' | 'floor' | 'cpu' | 'fcpu' | 'floorCpu', number[]> = {
    acq: [],
    rel: [],
    facq: [],
    frel: [],
    floor: [],
    cpu: [],
    fcpu: [],
    floorCpu: [],
  };
  const pair = (s: LocalLeaseStore, issueId: string, i: number, a: number[], r: number[], cpu: number[]) => {
    const c = process.cpuUsage();
    let t0 = performance.now();
    const l = s.acquireSync({ issueId, agentId: 'agent:probe', paths: [`probe/${i}/a.ts`, `probe/${i}/b.ts`] });
    a.push(performance.now() - t0);
    if (s === store) count();
    t0 = performance.now();
    s.releaseSync({ issueId, agentId: 'agent:probe', token: l.token });
    r.push(performance.now() - t0);
    cpu.push(cpuMs(c));
    if (s === store) count();
  };
  // Interleaved, so that the three see the same load (the machine is shared).
  for (let i = 0; i < PAIRS; i++) {
    floorSample(t.floor, t.floorCpu);
    pair(store, `probe-${size}-${i}`, i, t.acq, t.rel, t.cpu);
    floorSample(t.floor, t.floorCpu);
    pair(full, `full-${size}-${i}`, i, t.facq, t.frel, t.fcpu);
  }
  return {
    acquire: median(t.acq),
    release: median(t.rel),
    fullAcquire: median(t.facq),
    fullRelease: median(t.frel),
    floor: median(t.floor),
    cpu: median(t.cpu),
    fullCpu: median(t.fcpu),
    floorCpu: median(t.floorCpu),
  };
}

function count(): void {
  changes++;
  const p = store.lastPath;
  if (p === 'splice' || p === 'delta') spliced++;
  else if (p?.full.startsWith('delta full')) compactions++;
}

console.log(
  `bench:scale  (node ${process.version}; ${PATHS} files per lease, every tenth a glob; medians of ${PAIRS}; ` +
    `load ${(await import('node:os')).loadavg()[0]!.toFixed(1)})`,
);
const cols = [
  'live leases',
  'acquire ms',
  'release ms',
  'full-path acquire',
  'full-path release',
  'floor ms (lock + fsync write + rename)',
  'acquire, release / floor',
  'full path / floor',
  'flat? (/ floor, / same at 10)',
  'CPU ms per pair (incremental, full, 2 floors)',
];
console.log(cols.join(' | '));
const t0 = performance.now();
let built = 0;
let first: At | undefined;
for (const size of SIZES) {
  for (; built < size; built++) {
    store.acquireSync({ issueId: `issue-${built}`, agentId: 'agent:orch', paths: pathsOf(built) });
    count();
  }
  const r = pairsAt(size);
  first ??= r;
  const cells = [
    String(size),
    r.acquire.toFixed(2),
    r.release.toFixed(2),
    r.fullAcquire.toFixed(2),
    r.fullRelease.toFixed(2),
    r.floor.toFixed(2),
    `${(r.acquire / r.floor).toFixed(2)}, ${(r.release / r.floor).toFixed(2)}`,
    `${(r.fullAcquire / r.floor).toFixed(2)}, ${(r.fullRelease / r.floor).toFixed(2)}`,
    `${(r.acquire / r.floor / (first.acquire / first.floor)).toFixed(2)}, ` +
      `${(r.release / r.floor / (first.release / first.floor)).toFixed(2)}`,
    `${r.cpu.toFixed(2)}, ${r.fullCpu.toFixed(2)}, ${(2 * r.floorCpu).toFixed(2)}`,
  ];
  console.log(cells.map((c, i) => c.padStart(cols[i]!.length)).join(' | '));
}
console.log(
  `built ${built} leases one acquire at a time (plus ${SIZES.length * PAIRS} probe pairs each way) in ` +
    `${((performance.now() - t0) / 1000).toFixed(1)} s; ${spliced} of ${changes} changes through the ` +
    `incremental path (${process.env.JITP_STORE_DELTA === '0' ? 'state-splice.ts' : 'state-delta.ts'}), ` +
    `${compactions} wrote a new snapshot because the delta was full, the rest went through the full path ` +
    `(a new store, an expired lease)`,
);
rmSync(base, { recursive: true, force: true });
