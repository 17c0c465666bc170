// npm run bench:merge: conflict preview of 10 branches (45 pairs + 10 against the tip = 55
// `git merge-tree --write-tree` calls) on a generated repository of 5,000 files. Prints the
// time of jitp's preview (library call, and the whole `jitp merge --dry-run` through the
// bundle) next to the floor: the same 55 git calls from a plain shell loop, same run.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, availableParallelism, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pairsToCheck } from '../src/merge/matrix.js';
import { preview } from '../src/merge/preview.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const FILES = Number(process.env.BENCH_FILES ?? 5000);
const BRANCHES = 10;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@b',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@b',
  GIT_CONFIG_NOSYSTEM: '1',
};
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 }).trim();

const base = realpathSync(mkdtempSync(join(tmpdir(), 'jitp-bench-merge-')));
const repo = join(base, 'repo');
try {
  process.stderr.write(`generating ${FILES} files…\n`);
  mkdirSync(repo);
  git(repo, 'init', '-q', '-b', 'main');
  for (let i = 0; i < FILES; i++) {
    const dir = join(repo, 'src', `d${i % 50}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, `f${i}.ts`),
      Array.from({ length: 20 }, (_, l) => `export const v${i}_${l} = ${l};`).join('\n') + '\n',
    );
  }
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'generated');
  // 10 tasks; branch k edits 5 files of its own and one of 3 shared hot files, so some pairs conflict.
  writeFileSync(
    join(base, 'tasks.json'),
    JSON.stringify(Array.from({ length: BRANCHES }, (_, k) => ({ id: `b${k}`, title: `bench branch ${k}` }))),
  );
  process.stderr.write('creating 10 worktrees with jitp batch load…\n');
  const load = spawnSync(
    process.execPath,
    [join(ROOT, 'dist/jitp.mjs'), 'batch', 'load', join(base, 'tasks.json'), '--json'],
    { cwd: repo, env: { ...env, JITP_NO_LEASES: '1' }, encoding: 'utf8' },
  );
  if (load.status !== 0) throw new Error(load.stdout + load.stderr);
  const worktrees: Array<{ issue: string; branch: string; worktree: string }> = JSON.parse(load.stdout).worktrees;
  for (const [k, w] of worktrees.entries()) {
    for (let j = 0; j < 5; j++) {
      const i = k * 97 + j * 13;
      writeFileSync(join(w.worktree, 'src', `d${i % 50}`, `f${i}.ts`), `// edited by ${k}\n`);
    }
    const hot = k % 3;
    writeFileSync(join(w.worktree, 'src', `d${hot}`, `f${hot}.ts`), `// hot file edited by ${k}\n`);
    git(w.worktree, 'commit', '-qam', `work ${k}`);
  }
  const tip = git(repo, 'rev-parse', 'main');
  const revs = worktrees.map((w) => `refs/heads/${w.branch}`);
  const pairs = pairsToCheck(revs.map((_, i) => String(i))).map(([a, b]) => [
    a === 'tip' ? tip : revs[Number(a)]!,
    revs[Number(b)]!,
  ]);
  if (pairs.length !== 55) throw new Error(`expected 55 merges, got ${pairs.length}`);

  // Floor: the same calls from a shell loop.
  const script = pairs
    .map(([a, b]) => `git merge-tree --write-tree --name-only --no-messages -z ${a} ${b} >/dev/null`)
    .join('\n');
  const floorOnce = () => {
    const t = process.hrtime.bigint();
    const r = spawnSync('sh', ['-c', `set +e\n${script}\nexit 0`], { cwd: repo, env });
    if (r.status !== 0) throw new Error(String(r.stderr));
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const nodes = revs.map((rev, i) => ({ label: `b${i}`, rev }));
  const oursOnce = async (concurrency?: number) => {
    const t = process.hrtime.bigint();
    const res = await preview(repo, tip, nodes, { concurrency });
    if (res.length !== 55) throw new Error('bad preview');
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const cliOnce = () => {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [join(ROOT, 'dist/jitp.mjs'), 'merge', '--dry-run', '--json'], {
      cwd: repo,
      env: { ...env, JITP_NO_LEASES: '1' },
      encoding: 'utf8',
    });
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    const j = JSON.parse(r.stdout);
    if (j.preview.results.length !== 55) throw new Error('bad cli preview');
    return { ms, conflicts: j.preview.results.filter((x: { clean: boolean }) => !x.clean).length };
  };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const floor: number[] = [];
  const ours: number[] = [];
  const ours1: number[] = [];
  const cli: number[] = [];
  let conflicts = 0;
  floorOnce();
  await oursOnce(); // warm caches
  for (let i = 0; i < RUNS; i++) {
    // Alternate the order so neither side always runs on the warmer cache.
    if (i % 2) floor.push(floorOnce());
    ours.push(await oursOnce());
    ours1.push(await oursOnce(1));
    if (!(i % 2)) floor.push(floorOnce());
    const c = cliOnce();
    cli.push(c.ms);
    conflicts = c.conflicts;
  }
  const f = median(floor);
  const min = (xs: number[]) => Math.min(...xs);
  const row = (name: string, ms: number) =>
    `${name.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms   ${(ms / f).toFixed(2)}x floor`;
  console.log(
    `merge preview: ${BRANCHES} branches, 55 merge-tree calls, ${FILES} files, ${conflicts} conflicting merges; ` +
      `median of ${RUNS} runs`,
  );
  console.log(`machine: ${availableParallelism()} cores, load average ${loadavg()[0]!.toFixed(2)}`);
  console.log(row('floor: shell loop of the 55 git calls', f));
  console.log(row('jitp preview (library, parallel)', median(ours)));
  console.log(row('jitp preview (library, one at a time)', median(ours1)));
  console.log(row('jitp merge --dry-run --json (whole CLI)', median(cli)));
  console.log(
    `(fastest runs: floor ${min(floor).toFixed(0)} ms, preview ${min(ours).toFixed(0)} ms, one at a time ` +
      `${min(ours1).toFixed(0)} ms, CLI ${min(cli).toFixed(0)} ms)`,
  );
  console.log(`goal: jitp preview within 1.3x of the floor -> ${median(ours) / f <= 1.3 ? 'met' : 'NOT met'}`);
} finally {
  rmSync(base, { recursive: true, force: true });
}
