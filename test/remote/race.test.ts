// N machines (clones) x M processes race for the same issues and overlapping paths through a
// local bare remote. Checked against the remote's own transaction log (txlog.ts), not the
// racers' word; a control without compare-and-set shows the check can fail.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { rmSync } from 'node:fs';
import { bundleWorker } from '../store/support/race.js';
import { tempDir } from '../support/git.js';
import { raceViolations, type RaceLine } from './race-check.js';
import { installTxLog, readTxLog, stateReader } from './txlog.js';
import { makeWorld, type World } from './world.js';

const run = promisify(execFile);
// Default: one real contended run (2 machines x 3 processes x 4 rounds over 4 issues) and a
// 3-round control; the stress run (test/stress/remote-race.test.ts) sets 4,6,40.
const [CLONES, PROCS, ROUNDS] = (process.env.JITP_REMOTE_RACE ?? '2,3,4').split(',').map(Number) as [
  number,
  number,
  number,
];

let w: World | undefined;
let log = '';
let bundleDir = '';
let worker = '';
beforeAll(async () => {
  bundleDir = tempDir('jitp-remote-worker-');
  worker = await bundleWorker(bundleDir, 'test/remote/race-worker.ts');
});
afterAll(() => rmSync(bundleDir, { recursive: true, force: true }));
afterEach(() => w?.cleanup());
const violations = (lines: RaceLine[]) => raceViolations(lines, readTxLog(log), stateReader(w!.bare));

async function race(mode: 'cas' | 'nocas', rounds = ROUNDS): Promise<RaceLine[]> {
  w = makeWorld(CLONES);
  log = installTxLog(w.bare);
  const jobs: Promise<{ stdout: string }>[] = [];
  for (let c = 0; c < CLONES; c++)
    for (let p = 0; p < PROCS; p++)
      jobs.push(
        run(process.execPath, [worker, w.clones[c]!, `agent:m${c}-p${p}`, String(rounds), mode], { timeout: 240_000 }),
      );
  return (await Promise.all(jobs)).flatMap((r) =>
    r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RaceLine),
  );
}

test(`${CLONES} clones x ${PROCS} processes x ${ROUNDS} rounds: one winner each time, no lost update`, async () => {
  const lines = await race('cas');
  expect(lines).toHaveLength(CLONES * PROCS * ROUNDS);
  expect(lines.filter((l) => l.error)).toEqual([]);
  expect(lines.filter((l) => l.won).length).toBeGreaterThan(0);
  expect(lines.filter((l) => l.won === false).length, 'the race must actually contend').toBeGreaterThan(0);
  expect(violations(lines)).toEqual([]);
}, 300_000);

test('control: the same race with plain force pushes (no compare-and-set) is caught', async () => {
  const lines = await race('nocas', Math.min(ROUNDS, 3));
  // Overwritten leases show up as racers losing their own lease, or as gaps in the history.
  const lost = lines.filter((l) => (l.error as { code?: string } | undefined)?.code === 'E_LEASE_LOST').length;
  expect(lines.filter((l) => l.error && (l.error as { code?: string }).code !== 'E_LEASE_LOST')).toEqual([]);
  expect(lost + violations(lines).length).toBeGreaterThan(0);
}, 300_000);
