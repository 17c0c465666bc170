// N machines (clones) x M processes race for the same issues and overlapping paths through a
// local bare remote. Checked against the remote's own transaction log (txlog.ts), not the
// racers' word; a control without compare-and-set shows the check can fail.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, test } from 'vitest';
import { ROOT } from '../support/paths.js';
import { raceViolations, type RaceLine } from './race-check.js';
import { installTxLog, readTxLog, stateReader } from './txlog.js';
import { makeWorld, type World } from './world.js';

const run = promisify(execFile);
const [CLONES, PROCS, ROUNDS] = (process.env.JITP_REMOTE_RACE ?? '3,4,12').split(',').map(Number) as [
  number,
  number,
  number,
];

let w: World | undefined;
let log = '';
afterEach(() => w?.cleanup());
const violations = (lines: RaceLine[]) => raceViolations(lines, readTxLog(log), stateReader(w!.bare));

async function race(mode: 'cas' | 'nocas', rounds = ROUNDS): Promise<RaceLine[]> {
  w = makeWorld(CLONES);
  log = installTxLog(w.bare);
  const jobs: Promise<{ stdout: string }>[] = [];
  for (let c = 0; c < CLONES; c++)
    for (let p = 0; p < PROCS; p++)
      jobs.push(
        run(
          process.execPath,
          [
            '--import',
            'tsx',
            join(ROOT, 'test/remote/race-worker.ts'),
            w.clones[c]!,
            `agent:m${c}-p${p}`,
            String(rounds),
            mode,
          ],
          {
            cwd: ROOT,
            timeout: 240_000,
          },
        ),
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
  const lines = await race('nocas', 6);
  // Overwritten leases show up as racers losing their own lease, or as gaps in the history.
  const lost = lines.filter((l) => (l.error as { code?: string } | undefined)?.code === 'E_LEASE_LOST').length;
  expect(lines.filter((l) => l.error && (l.error as { code?: string }).code !== 'E_LEASE_LOST')).toEqual([]);
  expect(lost + violations(lines).length).toBeGreaterThan(0);
}, 300_000);
