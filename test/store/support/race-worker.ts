// A real process racing for leases. Modes:
//   store   - the real LocalLeaseStore
//   nolock  - the same transaction without the writer lock (control: must be caught)
//   lock    - bare writer lock only, records enter/exit inside it (dead-holder recovery test)
// Each holder appends `enter`/`exit` records with a system-wide monotonic timestamp to its own
// side file; the test merges them and checks that no two holds of one issue overlap.
import { appendFileSync, existsSync } from 'node:fs';
import { LocalLeaseStore } from '../../../src/store/local/local-store.js';
import { acquireLock } from '../../../src/store/local/lock.js';
import { sleepMs } from '../../../src/store/local/sleep.js';

const [mode, storeDir, agentId, itersS, issuesS, side, goFile] = process.argv.slice(2) as [string, string, string, string, string, string, string | undefined];
const iters = Number(itersS);
const issues = issuesS.split(',');
const t = () => process.hrtime.bigint().toString();
const rec = (line: string) => appendFileSync(side, `${line}\n`);

if (goFile) while (!existsSync(goFile)) sleepMs(1);

const out = { grants: 0, releases: 0, held: 0, lost: 0, errors: [] as string[] };
if (mode === 'lock') {
  for (let i = 0; i < iters; i++) {
    const l = acquireLock(storeDir, { timeoutMs: 20_000 });
    rec(`enter lock ${agentId} ${t()}`);
    sleepMs(Math.random() < 0.3 ? 1 : 0);
    rec(`exit lock ${agentId} ${t()}`);
    l.release();
    out.grants++;
  }
} else {
  const store = new LocalLeaseStore({ storeDir, lockTimeoutMs: 60_000, ...(mode === 'nolock' ? { unsafeNoLockForTests: true } : {}) });
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
