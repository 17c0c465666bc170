// One benchmark process: `store` runs acquire+release pairs through the real local store;
// `floor` runs the same number of lock cycles doing only the bare lock + temp write + rename.
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { LocalLeaseStore } from '../src/store/local/local-store.js';
import { acquireLock } from '../src/store/local/lock.js';
import { sleepMs } from '../src/platform/sleep.js';

const [mode, storeDir, idS, itersS, goFile] = process.argv.slice(2) as [string, string, string, string, string];
const iters = Number(itersS);
while (!existsSync(goFile)) sleepMs(1);
const t0 = performance.now();
if (mode === 'store') {
  const store = new LocalLeaseStore({ storeDir, lockTimeoutMs: 120_000 });
  const agentId = `agent:bench${idS}`;
  for (let i = 0; i < iters; i++) {
    const issueId = `bench-${idS}`;
    const l = store.acquireSync({ issueId, agentId, paths: [`bench/${idS}/**`], ttlSecs: 600 });
    store.releaseSync({ issueId, agentId, token: l.token });
  }
} else {
  // Same payload size as a small state file, same durability (data fsync) as the store's write.
  const payload = JSON.stringify({
    schemaVersion: 1,
    version: 0,
    logSize: 0,
    leases: [{ id: 'L-000000000000', pad: 'x'.repeat(300) }],
  });
  for (let i = 0; i < iters * 2; i++) {
    const lock = acquireLock(storeDir, { timeoutMs: 120_000 });
    const tmp = join(storeDir, `.floor.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    writeFileSync(tmp, payload, { flag: 'wx', flush: true });
    renameSync(tmp, join(storeDir, 'floor.json'));
    lock.release();
  }
}
process.stdout.write(JSON.stringify({ ms: performance.now() - t0 }));
