#!/usr/bin/env node
// `npm run bench:tests`: the whole `npm test` (type check, format check, vitest) timed as a user
// runs it, side by side with the machine's floor at that moment (the fastest bare `node -e 0`,
// before and after) and its load, plus the CPU the run used and its slowest test files.
//   --hog        also keep one core busy with a spinning process for the whole run
//   --no-client  hide .cache/claude-client for the run (what a plain `npm ci && npm test` gets)
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const floor = () => {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    spawnSync(process.execPath, ['-e', '0']);
    best = Math.min(best, performance.now() - t);
  }
  return Math.round(best);
};

const cache = join(root, '.cache', 'claude-client');
const aside = join(root, '.cache', 'claude-client.bench-aside');
const hideClient = args.includes('--no-client') && existsSync(cache);
if (hideClient) renameSync(cache, aside);
const hog = args.includes('--hog') ? spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }) : null;
const report = join(tmpdir(), `jitp-bench-tests-${process.pid}.json`);
const floorBefore = floor();
const loadBefore = loadavg()[0];
const t0 = performance.now();
// bash's `time` adds the CPU of every process the run started (user + sys), printed at its end.
const r = spawnSync(
  'bash',
  [
    '-c',
    "TIMEFORMAT='npm test CPU: %U s user + %S s sys'; " +
      `time npm test -- --reporter=dot --reporter=json --outputFile=${report}`,
  ],
  { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] },
);
const wall = (performance.now() - t0) / 1000;
hog?.kill('SIGKILL');
if (hideClient) renameSync(aside, cache);
const floorAfter = floor();
let files = [];
try {
  files = JSON.parse(readFileSync(report, 'utf8'))
    .testResults.map((f) => ({ s: (f.endTime - f.startTime) / 1000, name: f.name.replace(`${root}/`, '') }))
    .sort((a, b) => b.s - a.s);
} catch {
  /* the run died before writing it */
}
rmSync(report, { force: true });
console.log(`\nnpm test: exit ${r.status}, ${Math.floor(wall / 60)} min ${Math.round(wall % 60)} s wall`);
console.log(`floor (fastest node -e 0): ${floorBefore} ms before, ${floorAfter} ms after; reference 100 ms`);
console.log(
  `load average (1 min): ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after; ` +
    `${hog ? 'with' : 'no'} CPU hog`,
);
console.log(`client: ${hideClient ? 'hidden (real-client tests skip)' : existsSync(cache) ? 'present' : 'absent'}`);
console.log('slowest files:');
for (const f of files.slice(0, 10)) console.log(`  ${f.s.toFixed(1).padStart(6)} s  ${f.name}`);
process.exit(r.status ?? 1);
