// A real process racing for leases. Modes:
//   store   - the real LocalLeaseStore
//   nolock  - the same transaction without the writer lock (control: must be caught)
//   lock    - bare writer lock only, records enter/exit inside it (dead-holder recovery test)
//   naive   - control for `lock`: "check, delete, recreate" recovery of a dead holder's lock
// Each holder appends `enter`/`exit` records with a system-wide monotonic timestamp to its own
// side file; the test merges them and checks that no two holds of one issue overlap.
import { appendFileSync, existsSync } from 'node:fs';
import { LocalLeaseStore } from '../../../src/store/local/local-store.js';
import { acquireLock } from '../../../src/store/local/lock.js';
import { pidAlive } from '../../../src/platform/pid.js';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sleepMs } from '../../../src/platform/sleep.js';

const [mode, storeDir, agentId, itersS, issuesS, side, goFile] = process.argv.slice(2) as [
  string,
  string,
  string,
  string,
  string,
  string,
  string | undefined,
];
const iters = Number(itersS);
const issues = issuesS.split(',');
const t = () => process.hrtime.bigint().toString();
const rec = (line: string) => appendFileSync(side, `${line}\n`);

if (goFile) {
  writeFileSync(`${goFile}.${process.pid}.ready`, '');
  while (!existsSync(goFile)) sleepMs(1);
}

const stagger = Number(/(\d+)$/.exec(agentId)?.[1] ?? 0);
const out = { grants: 0, releases: 0, held: 0, lost: 0, errors: [] as string[] };
// The recovery the npm lock libraries do: see a dead holder, delete its lock, try again.
function naiveAcquire(dir: string): { release(): void } {
  const lock = join(dir, 'lock');
  const tmp = join(dir, `.naive.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify({ pid: process.pid }));
  for (;;) {
    try {
      linkSync(tmp, lock);
      unlinkSync(tmp);
      return { release: () => unlinkSync(lock) };
    } catch {
      try {
        if (!pidAlive((JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid)) {
          // A busy machine can pause a process here; the bug does not need it, the control's speed
          // does. Contender i pauses 3 + i ms, so the later ones delete while an earlier one holds
          // (a shared fixed pause made most of them delete at once, and rounds rarely caught it).
          sleepMs(3 + stagger);
          unlinkSync(lock);
        }
      } catch {
        /* gone meanwhile */
      }
      sleepMs(0.2);
    }
  }
}

if (mode === 'lock' || mode === 'naive') {
  for (let i = 0; i < iters; i++) {
    const l = mode === 'naive' ? naiveAcquire(storeDir) : acquireLock(storeDir, { timeoutMs: 20_000 });
    rec(`enter lock ${agentId} ${t()}`);
    sleepMs(2); // hold long enough that a second holder would be seen overlapping
    rec(`exit lock ${agentId} ${t()}`);
    l.release();
    out.grants++;
  }
} else {
  const store = new LocalLeaseStore({
    storeDir,
    lockTimeoutMs: 60_000,
    ...(mode === 'nolock' ? { unsafeNoLockForTests: true } : {}),
  });
  for (let i = 0; i < iters; i++) {
    const issue = issues[Math.floor(Math.random() * issues.length)]!;
    let token: number;
    try {
      token = store.acquireSync({ issueId: issue, agentId, paths: [`files/${issue}/**`], ttlSecs: 600 }).token;
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'E_HELD') out.held++;
      else out.errors.push(String((e as Error).message));
      continue;
    }
    out.grants++;
    rec(`enter ${issue} ${agentId} ${t()} ${token}`);
    if (Math.random() < 0.5) sleepMs(1);
    rec(`exit ${issue} ${agentId} ${t()} ${token}`);
    try {
      store.releaseSync({ issueId: issue, agentId, token });
      out.releases++;
    } catch (e) {
      if ((e as { code?: string }).code === 'E_LEASE_LOST') out.lost++;
      else out.errors.push(String((e as Error).message));
    }
  }
}
process.stdout.write(JSON.stringify(out));
