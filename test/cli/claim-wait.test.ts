// `jitp claim wait` as real processes against a real repository's store: the hand-off when the
// holder's sub-agent stops (lease marked finished) or its issue is done (released), the timeout,
// and a real deadlock between two concurrent waits, where exactly the youngest gives up.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { LocalLeaseStore } from '../../src/store/local/local-store.js';
import type { Lease } from '../../src/core/model.js';
import { makeRepo, type TempRepo } from '../support/git.js';
import { DIST_JITP } from '../support/paths.js';

let repo: TempRepo;
let store: LocalLeaseStore;
const AG = 'agent:orch';

interface Run {
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  exited: () => boolean;
  pid: number;
}
function wait(args: string[], env: Record<string, string> = {}): Run {
  const p = spawn(process.execPath, [DIST_JITP, 'claim', 'wait', ...args], {
    cwd: repo.root,
    env: { PATH: process.env.PATH, HOME: repo.root, JIT_AGENT_ID: AG, ...env },
  });
  let stdout = '';
  let stderr = '';
  let exited = false;
  p.stdout.on('data', (d) => (stdout += d));
  p.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((res) =>
    p.on('close', (code) => {
      exited = true;
      res({ code, stdout, stderr });
    }),
  );
  return { done, exited: () => exited, pid: p.pid! };
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const leaseOf = async (id: string): Promise<Lease | undefined> => (await store.read()).leases.find((l) => l.id === id);
/** Until `f` holds (the waiting process's record is written), or fail after a few seconds. */
async function until(f: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 100; i++) {
    if (await f()) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

let A: Lease;
let B: Lease;
beforeEach(async () => {
  repo = makeRepo({ 'a.ts': 'a\n', 'b.ts': 'b\n' });
  store = new LocalLeaseStore({ storeDir: join(repo.root, '.git', 'jit-parallel') });
  A = await store.acquire({ issueId: 'ia', agentId: AG, paths: ['a.ts'] });
  B = await store.acquire({ issueId: 'ib', agentId: AG, paths: ['b.ts'] });
});
afterEach(() => repo.cleanup());

describe('hand-off', () => {
  test('waits while the holder works; gets the file the moment its sub-agent stops', async () => {
    const w = wait(['b.ts', '--issue', 'ia', '--timeout', '60s', '--json']);
    await until(async () => (await leaseOf(A.id))?.waiting?.path === 'b.ts', 'the wait record');
    await sleep(500);
    expect(w.exited()).toBe(false);
    expect((await leaseOf(A.id))!.paths).toEqual(['a.ts']);
    const t0 = Date.now();
    await store.finish(B.id, 'claude:agentB'); // what SubagentStop does
    const r = await w.done;
    const tookMs = Date.now() - t0;
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ path: 'b.ts', handedOffFrom: [{ leaseId: B.id, issueId: 'ib' }] });
    expect(j.lease.paths).toEqual(['a.ts', 'b.ts']);
    expect(tookMs).toBeLessThan(4000); // backoff tops out at 2 s
    const a = (await leaseOf(A.id))!;
    expect(a.waiting).toBeUndefined();
    const b = (await leaseOf(B.id))!;
    expect(b.paths).toEqual([]);
    expect(b.handedOff).toMatchObject([{ path: 'b.ts', toLeaseId: A.id, toIssueId: 'ia' }]);
    const log = readFileSync(join(repo.root, '.git', 'jit-parallel', 'events.jsonl'), 'utf8');
    expect(log).toMatch(/"type":"handoff"/);
  });

  test("the holder's issue done (its lease released) hands the file over too", async () => {
    const w = wait(['b.ts', '--issue', 'ia', '--timeout', '60s']);
    await until(async () => (await leaseOf(A.id))?.waiting?.path === 'b.ts', 'the wait record');
    await store.release({ issueId: 'ib', agentId: AG }, 'issue done');
    const r = await w.done;
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^b\.ts is now in lease L-\w+ \(issue ia\) after \d+s\n$/);
  });

  test('a file already free or already finished is taken at once, without a wait record', async () => {
    await store.finish(B.id, 'claude:agentB');
    const r = await wait(['b.ts', '--issue', 'ia', '--timeout', '0']).done;
    expect(r.code).toBe(0);
    const log = readFileSync(join(repo.root, '.git', 'jit-parallel', 'events.jsonl'), 'utf8');
    expect(log).not.toMatch(/"type":"wait"/);
  });
});

describe('giving up', () => {
  test('timeout: exit 3, E_WAIT_TIMEOUT naming the holder, and the wait record is gone', async () => {
    const r = await wait(['b.ts', '--issue', 'ia', '--timeout', '1s', '--json']).done;
    expect(r.code).toBe(3);
    const e = JSON.parse(r.stdout).error;
    expect(e).toMatchObject({ code: 'E_WAIT_TIMEOUT', exitCode: 3 });
    expect(e.message).toContain(`b.ts is still held by lease ${B.id} (issue ib`);
    expect(e.hint).toContain('jitp claim wait b.ts --issue ia --timeout 10m');
    expect((await leaseOf(A.id))!.waiting).toBeUndefined();
    expect((await leaseOf(A.id))!.paths).toEqual(['a.ts']);
  });

  test('deadlock between two concurrent waits: the younger gives up (exit 1), the elder gets the file', async () => {
    const first = wait(['b.ts', '--issue', 'ia', '--timeout', '60s', '--json']);
    await until(async () => (await leaseOf(A.id))?.waiting?.path === 'b.ts', 'the first wait record');
    await sleep(50);
    const second = wait(['a.ts', '--issue', 'ib', '--timeout', '60s', '--json']);
    const r2 = await second.done;
    expect(r2.code).toBe(1);
    const e = JSON.parse(r2.stdout).error;
    expect(e.code).toBe('E_DEADLOCK');
    expect(e.message).toContain(`waiting for a.ts (held by lease ${A.id} (issue ia`);
    expect(e.message).toContain(`lease ${B.id} (issue ib) waits for a.ts, held by lease ${A.id} (issue ia)`);
    expect(e.message).toContain(`lease ${A.id} (issue ia) waits for b.ts, held by lease ${B.id} (issue ib)`);
    expect(e.message).toMatch(/youngest waiter, so it gives up/);
    expect(e.hint).toMatch(/finish your issue without it/);
    expect(first.exited()).toBe(false); // the elder keeps waiting
    // The yielder finishes without a.ts; its sub-agent stops: the elder gets b.ts.
    await store.finish(B.id, 'claude:agentB');
    const r1 = await first.done;
    expect(r1.code).toBe(0);
    expect(JSON.parse(r1.stdout).lease.paths).toEqual(['a.ts', 'b.ts']);
  });

  test('both waits started together: exactly one gives up', async () => {
    const x = wait(['b.ts', '--issue', 'ia', '--timeout', '20s', '--json']);
    const y = wait(['a.ts', '--issue', 'ib', '--timeout', '20s', '--json']);
    // Whoever loses exits; then its lease finishes, as its sub-agent would, and the other proceeds.
    const loser = await Promise.race([x.done.then(() => 'x'), y.done.then(() => 'y')]);
    const [lost, won, wonLease] = loser === 'x' ? [x, y, B] : [y, x, A];
    expect((await lost.done).code).toBe(1);
    expect(won.exited()).toBe(false);
    await store.finish(loser === 'x' ? A.id : B.id, 'claude:stopped');
    expect((await won.done).code).toBe(0);
    expect((await leaseOf(wonLease.id))!.paths).toHaveLength(2);
  });

  test('a killed waiter leaves no deadlock behind (its record names a dead process)', async () => {
    const w = wait(['b.ts', '--issue', 'ia', '--timeout', '60s']);
    await until(async () => (await leaseOf(A.id))?.waiting?.path === 'b.ts', 'the wait record');
    process.kill(w.pid, 'SIGKILL');
    await w.done;
    expect((await leaseOf(A.id))!.waiting?.path).toBe('b.ts'); // left behind
    const r = await wait(['a.ts', '--issue', 'ib', '--timeout', '1s', '--json']).done;
    expect(JSON.parse(r.stdout).error.code).toBe('E_WAIT_TIMEOUT'); // not E_DEADLOCK
  });
});

describe('bad input', () => {
  test('several leases and no --issue: exit 2 naming them', async () => {
    const r = await wait(['b.ts']).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/holds 2 live leases \(issues ia, ib\): say which one waits/);
  });
  test('no lease of mine on the issue: exit 4', async () => {
    const r = await wait(['b.ts', '--issue', 'ia'], { JIT_AGENT_ID: 'agent:stranger' }).done;
    expect(r.code).toBe(4);
  });
  test('a lease kept in a linked worktree: exit 2, a hand-off only works in the shared checkout', async () => {
    await store.release({ issueId: 'ia', agentId: AG });
    await store.acquire({ issueId: 'iw', agentId: AG, paths: ['c.ts'], worktree: '/tmp/wt-iw' });
    const r = await wait(['b.ts', '--issue', 'iw', '--timeout', '5s']).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/only in the shared checkout/);
  });
  test('a path outside the repository: exit 2', async () => {
    const r = await wait(['/etc/passwd', '--issue', 'ia']).done;
    expect(r.code).toBe(2);
  });
  test('a bad timeout: exit 2', async () => {
    const r = await wait(['b.ts', '--issue', 'ia', '--timeout', 'soon']).done;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/invalid --timeout/);
  });
});
