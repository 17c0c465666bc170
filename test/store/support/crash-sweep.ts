// SIGKILL at one step of a state change, through the shipped bundle, for `rounds` changes
// (acquire and release alternating): the next operation succeeds and the state is exactly the
// state before or after the killed change. `npm test` runs every step for one acquire and one
// release (test/store/crash.test.ts); `npm run test:stress` runs every step 20 times.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { makeRepo, type TempRepo } from '../../support/git.js';
import { DIST_JITP } from '../../support/paths.js';
import type { CrashStep } from '../../../src/store/local/crash.js';
import { readSnapshotSync } from '../../../src/store/local/snapshot-read.js';
import { readLog } from '../../../src/store/local/event-log.js';
import { replay } from '../../../src/core/lease-rules.js';
import type { StoreSnapshot } from '../../../src/core/model.js';

function jitp(cwd: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [DIST_JITP, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, JIT_AGENT_ID: 'agent:crash', ...env },
  });
}

const shape = (s: StoreSnapshot) => ({
  version: s.version,
  leases: s.leases.map((l) => `${l.issueId}/${l.agentId}/${l.token}`).sort(),
});

// Steps before the rename leave the old state; the rename is the commit point.
export const COMMITTED: Record<CrashStep, boolean> = {
  locked: false,
  'log-torn': false,
  'log-appended': false,
  'temp-written': false,
  renamed: true,
  'before-unlock': true,
  'recover-locked': false,
};

/**
 * `crashEnv`: for the killed process only; `{ JITP_STORE_FULL_WRITES: '1' }` kills it while it writes
 * a new snapshot with a delta in use (the delta's fold), the default while it writes a delta.
 */
export function crashSweep(
  step: CrashStep,
  rounds: number,
  repos: TempRepo[],
  crashEnv: Record<string, string> = {},
): void {
  const repo = makeRepo();
  repos.push(repo);
  const dir = join(repo.root, '.git', 'jit-parallel');
  expect(jitp(repo.root, ['claim', 'acquire', 'base', '--paths', 'base/**']).status).toBe(0);
  // A second lease goes to the delta (state-delta.ts): the killed changes find one in use.
  expect(jitp(repo.root, ['claim', 'acquire', 'base2', '--paths', 'base2/a.ts']).status).toBe(0);
  expect(existsSync(join(dir, 'state.delta.json'))).toBe(true);
  for (let k = 0; k < rounds; k++) {
    const issue = `iss-${k >> 1}`;
    const args = k % 2 === 0 ? ['claim', 'acquire', issue, '--paths', `dir${k >> 1}/**`] : ['claim', 'release', issue];
    const before = readSnapshotSync(dir);
    const crashed = jitp(repo.root, args, { ...crashEnv, JITP_CRASH_AT: step });
    expect(crashed.signal).toBe('SIGKILL');
    const after = readSnapshotSync(dir);
    const expectedAfter = {
      version: before.version + 1,
      leases: (k % 2 === 0
        ? [
            ...before.leases.map((l) => `${l.issueId}/${l.agentId}/${l.token}`),
            `${issue}/agent:crash/${before.version + 1}`,
          ]
        : before.leases.filter((l) => l.issueId !== issue).map((l) => `${l.issueId}/${l.agentId}/${l.token}`)
      ).sort(),
    };
    expect(shape(after)).toEqual(COMMITTED[step] ? expectedAfter : shape(before));
    if (!COMMITTED[step]) expect(after).toEqual(before);
    // The next operation (the same change, retried) succeeds past the dead process's lock.
    const retry = jitp(repo.root, args);
    if (COMMITTED[step] && k % 2 === 1) {
      expect(retry.status).toBe(6); // already released by the killed process
    } else {
      expect(retry.stderr).toBe('');
      expect(retry.status).toBe(0);
    }
    const final = readSnapshotSync(dir);
    const want =
      COMMITTED[step] && k % 2 === 0 ? { ...expectedAfter, version: expectedAfter.version + 1 } : expectedAfter;
    expect(shape(final)).toEqual(want);
  }
  // The log, read back and replayed up to the commit, gives the state; doctor agrees.
  const st = readSnapshotSync(dir);
  const log = readLog(join(dir, 'events.jsonl'));
  expect(log.bad).toEqual([]);
  expect(shape(replay(log.events))).toEqual(shape(st));
  const doc = jitp(repo.root, ['doctor', '--json']);
  expect(doc.status).toBe(0);
  expect(JSON.parse(doc.stdout).ok).toBe(true);
}
