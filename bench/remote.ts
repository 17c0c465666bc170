// npm run bench:remote — acquire+release latency of a remote lease against a local bare remote,
// side by side with the floor measured in the same run: two bare `git push --force-with-lease`
// of one ref (create, then delete), which is what one acquire plus one release must at least do.
// Iterations rotate between the series so load on a shared machine hits all alike.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverRepo } from '../src/git/discover.js';
import { ObjectWriter } from '../src/remote/git-objects.js';
import { runGit } from '../src/remote/git-run.js';
import { RemoteLeaseStore } from '../src/store/remote.js';

const N = Number(process.env.BENCH_N ?? 60);
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@b',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@b',
  GIT_CONFIG_NOSYSTEM: '1',
};
const sh = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();

const base = realpathSync(mkdtempSync(join(tmpdir(), 'jitp-bench-remote-')));
try {
  const bare = join(base, 'remote.git');
  sh(base, 'init', '-q', '--bare', bare);
  const clone = join(base, 'clone');
  sh(base, 'init', '-q', clone);
  sh(clone, 'commit', '-q', '--allow-empty', '-m', 'x');
  sh(clone, 'remote', 'add', 'origin', bare);
  sh(clone, 'push', '-q', 'origin', 'HEAD:refs/heads/main');
  const commit = sh(clone, 'rev-parse', 'HEAD');
  const store = new RemoteLeaseStore({ loc: discoverRepo(clone)!, remote: 'origin', timeoutMs: 30_000 });

  // Halves of each cycle (first push / second push), to show where a gap comes from.
  const halves: Record<string, number[]> = {
    'floor create': [],
    'floor delete': [],
    'jitp acquire': [],
    'jitp release': [],
  };
  let timing = false;
  const half = async <T>(name: string, f: () => Promise<T>): Promise<T> => {
    const t = process.hrtime.bigint();
    const r = await f();
    if (timing) halves[name]!.push(Number(process.hrtime.bigint() - t) / 1e6);
    return r;
  };
  const floorCycle = async () => {
    // The same push flags jitp uses, minus everything jitp adds (objects, atomic multi-ref, mirror).
    const opts = { cwd: clone, timeoutMs: 30_000, what: 'bench push', remote: 'origin', env };
    const a = await half('floor create', () =>
      runGit(
        [
          'push',
          '--porcelain',
          '--no-verify',
          '--force-with-lease=refs/bench/floor:',
          'origin',
          `${commit}:refs/bench/floor`,
        ],
        opts,
      ),
    );
    const b = await half('floor delete', () =>
      runGit(
        [
          'push',
          '--porcelain',
          '--no-verify',
          `--force-with-lease=refs/bench/floor:${commit}`,
          'origin',
          ':refs/bench/floor',
        ],
        opts,
      ),
    );
    if (a.code || b.code) throw new Error(`floor push failed: ${a.stderr}${b.stderr}`);
  };
  // A lease has to carry data, so a push that also sends one fresh object (a commit on the empty
  // tree with a small message, the least a record on git refs can be) is shown too: the gap
  // between it and the floor is the price of carrying data at all.
  const writer = new ObjectWriter(join(clone, '.git'));
  let seq = 0;
  const fresh = () =>
    writer.commit({
      tree: writer.tree({}),
      parents: [],
      message: `{"n":${seq++},"r":${Math.random()}}\n`,
      who: 'b <b@b>',
      when: new Date(),
    });
  const dataFloorCycle = async () => {
    const opts = { cwd: clone, timeoutMs: 30_000, what: 'bench push', remote: 'origin', env };
    const c1 = fresh();
    const a = await runGit(
      ['push', '--porcelain', '--no-verify', '--force-with-lease=refs/bench/data:', 'origin', `${c1}:refs/bench/data`],
      opts,
    );
    const c2 = fresh();
    const b = await runGit(
      [
        'push',
        '--porcelain',
        '--no-verify',
        `--force-with-lease=refs/bench/data:${c1}`,
        'origin',
        `${c2}:refs/bench/data`,
      ],
      opts,
    );
    // Not timed in a real release (jitp deletes the lease ref in the same push); reset for the next cycle.
    if (a.code || b.code) throw new Error(`data floor push failed: ${a.stderr}${b.stderr}`);
    return c2;
  };
  let fetches = 0;
  const oursCycle = async () => {
    const l = await half('jitp acquire', () =>
      store.acquire({ issueId: 'bench-1', agentId: 'agent:bench', paths: ['src/**'] }),
    );
    fetches += store.engine.lastStats.fetches;
    await half('jitp release', () => store.release({ issueId: 'bench-1', agentId: 'agent:bench', token: l.token }));
    fetches += store.engine.lastStats.fetches;
  };
  const resetData = (last: string) =>
    runGit(
      [
        'push',
        '--porcelain',
        '--no-verify',
        `--force-with-lease=refs/bench/data:${last}`,
        'origin',
        ':refs/bench/data',
      ],
      { cwd: clone, timeoutMs: 30_000, what: 'reset', remote: 'origin', env },
    );
  for (let i = 0; i < 5; i++) {
    await floorCycle();
    await oursCycle();
    await resetData(await dataFloorCycle());
  }
  fetches = 0;
  timing = true;
  const floor: number[] = [];
  const data: number[] = [];
  const ours: number[] = [];
  for (let i = 0; i < N; i++) {
    // Rotate the order so a burst of load on the shared machine hits each series alike.
    const order = [0, 1, 2].map((k) => (k + i) % 3);
    for (const k of order) {
      const t = process.hrtime.bigint();
      let last: string | undefined;
      if (k === 0) await floorCycle();
      else if (k === 1) last = await dataFloorCycle();
      else await oursCycle();
      [floor, data, ours][k]!.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (last) await resetData(last);
    }
  }
  const stat = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return {
      median: s[Math.floor(s.length / 2)]!,
      p90: s[Math.floor(s.length * 0.9)]!,
      mean: xs.reduce((a, b) => a + b, 0) / xs.length,
    };
  };
  const f = stat(floor);
  const d = stat(data);
  const o = stat(ours);
  const fmt = (x: { median: number; p90: number; mean: number }) =>
    `median ${x.median.toFixed(1)} ms  p90 ${x.p90.toFixed(1)} ms  mean ${x.mean.toFixed(1)} ms`;
  console.log(
    `remote leases, ${N} acquire+release cycles against a local bare remote (git ` +
      `${sh(base, 'version').replace('git version ', '')}, ${process.platform}, node ${process.versions.node})`,
  );
  console.log(`  floor (2 x git push --force-with-lease of one ref): ${fmt(f)}`);
  console.log(`  data floor (2 pushes, each sending 1 fresh object): ${fmt(d)}`);
  console.log(`  jitp acquire+release (--remote):                    ${fmt(o)}`);
  console.log(
    `  ratio to floor (median): ${(o.median / f.median).toFixed(2)}x (goal: within 1.5x)   to data floor: ` +
      `${(o.median / d.median).toFixed(2)}x`,
  );
  console.log(
    `  halves (median): ${Object.entries(halves)
      .map(([k, v]) => `${k} ${stat(v).median.toFixed(1)} ms`)
      .join(', ')}`,
  );
  console.log(`  fetches during the timed run: ${fetches} (0 = every write was one push, no re-read)`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
