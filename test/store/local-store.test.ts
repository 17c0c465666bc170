import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, unlinkSync, readFileSync, readdirSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { makeRepo, type TempRepo } from '../support/git.js';
import { discoverRepo, storeDirOf } from '../../src/git/discover.js';
import { openLocalStore } from '../../src/store/open.js';
import { LocalLeaseStore } from '../../src/store/local/local-store.js';
import { readSnapshotSync } from '../../src/store/local/snapshot-read.js';
import { readLog } from '../../src/store/local/event-log.js';

let repos: TempRepo[] = [];
afterEach(() => {
  for (const r of repos) r.cleanup();
  repos = [];
});
function repo() {
  const r = makeRepo();
  repos.push(r);
  return r;
}

describe('local store', () => {
  it('lives in the git common dir and is shared by linked worktrees', async () => {
    const r = repo();
    const wt1 = r.addWorktree('wt1');
    const wt2 = r.addWorktree('wt2');
    const s1 = openLocalStore(discoverRepo(wt1)!);
    const s2 = openLocalStore(discoverRepo(wt2)!);
    expect(s1.storeDir).toBe(join(r.root, '.git', 'jit-parallel'));
    expect(s2.storeDir).toBe(s1.storeDir);
    const l = await s1.acquire({
      issueId: 'i1',
      agentId: 'agent:a',
      paths: ['src/**'],
      worktree: wt1,
      branch: 'wt-wt1',
    });
    await expect(s2.acquire({ issueId: 'i2', agentId: 'agent:b', paths: ['src/x.ts'] })).rejects.toMatchObject({
      code: 'E_HELD',
      exitCode: 3,
    });
    await expect(s2.acquire({ issueId: 'i1', agentId: 'agent:b', paths: [] })).rejects.toThrow(/held by agent:a/);
    expect((await s2.read()).leases.map((x) => x.id)).toEqual([l.id]);
    await s1.release({ issueId: 'i1', agentId: 'agent:a', token: l.token });
    const l2 = await s2.acquire({ issueId: 'i1', agentId: 'agent:b', paths: ['src/x.ts'] });
    expect(l2.token).toBe(3);
    // Never committed: the store is inside .git, invisible to `git status`.
    expect(r.git('status', '--porcelain')).toBe('');
  });

  it('records every change in the event log with version, who, what, when, why', async () => {
    const r = repo();
    const s = openLocalStore(discoverRepo(r.root)!);
    const l = await s.acquire({ issueId: 'i1', agentId: 'agent:a', paths: ['a'], reason: 'start' });
    await s.renew({ issueId: 'i1', agentId: 'agent:a' });
    await s.extend({ issueId: 'i1', agentId: 'agent:a' }, ['b'], 'needed b');
    await s.bind(l.id, l.bindSecret!, 'sub-1');
    await s.note({ type: 'subagent-start', by: 'agent:a', leaseId: l.id });
    await s.evict(l.id, 'agent:admin', 'stuck');
    const log = readLog(join(s.storeDir, 'events.jsonl'));
    expect(log.bad).toEqual([]);
    expect(log.events.map((e) => [e.type, e.version, e.by])).toEqual([
      ['acquire', 1, 'agent:a'],
      ['renew', 2, 'agent:a'],
      ['extend', 3, 'agent:a'],
      ['bind', 4, 'agent:a'],
      ['note', 4, 'agent:a'],
      ['evict', 5, 'agent:admin'],
    ]);
    expect(log.events[0]!.reason).toBe('start');
    expect(log.events[5]!.reason).toBe('stuck');
    expect(readSnapshotSync(s.storeDir)).toEqual({ schemaVersion: 1, version: 5, leases: [] });
  });

  it('missing store reads as no leases without creating anything', () => {
    const r = repo();
    const dir = storeDirOf(discoverRepo(r.root)!);
    expect(readSnapshotSync(dir)).toEqual({ schemaVersion: 1, version: 0, leases: [] });
    expect(existsSync(dir)).toBe(false);
  });

  it('corrupt or hand-edited state: clear error naming the file and the fix, nothing written', async () => {
    const r = repo();
    const s = openLocalStore(discoverRepo(r.root)!);
    await s.acquire({ issueId: 'i1', agentId: 'agent:a', paths: [] });
    const file = join(s.storeDir, 'state.json');
    for (const bad of [
      '{"schemaVersion":1,"version":1,',
      '[]',
      '{"schemaVersion":1,"version":"x","logSize":0,"leases":[]}',
      '{"schemaVersion":1,"version":1,"logSize":0,"leases":[{"id":"L-1"}]}',
    ]) {
      writeFileSync(file, bad);
      await expect(s.acquire({ issueId: 'i2', agentId: 'agent:a', paths: [] })).rejects.toMatchObject({
        code: 'E_STORE_CORRUPT',
        exitCode: 5,
        message: expect.stringContaining(file),
        hint: expect.stringContaining('jitp doctor --repair'),
      });
      expect(() => readSnapshotSync(s.storeDir)).toThrow(/corrupt/);
      expect(readFileSync(file, 'utf8')).toBe(bad);
    }
    writeFileSync(file, '{"schemaVersion":3,"version":1,"logSize":0,"leases":[]}');
    await expect(s.read()).rejects.toMatchObject({ code: 'E_STORE_SCHEMA', hint: expect.stringContaining('update') });
  });

  it('a torn last log line is cut off by the next writer and never glued to the next record', async () => {
    const r = repo();
    const s = openLocalStore(discoverRepo(r.root)!);
    await s.acquire({ issueId: 'i1', agentId: 'agent:a', paths: [] });
    appendFileSync(join(s.storeDir, 'events.jsonl'), '{"version":2,"at":"x","type":"acq');
    expect(readLog(join(s.storeDir, 'events.jsonl')).tornTail).toContain('acq');
    await s.release({ issueId: 'i1', agentId: 'agent:a' });
    const log = readLog(join(s.storeDir, 'events.jsonl'));
    expect(log.tornTail).toBeNull();
    expect(log.bad).toEqual([]);
    expect(log.events.map((e) => e.type)).toEqual(['acquire', 'release']);
  });

  it('lock wait is bounded and names the lock file and the repair command', async () => {
    const r = repo();
    const dir = storeDirOf(discoverRepo(r.root)!);
    const s = new LocalLeaseStore({ storeDir: dir, lockTimeoutMs: 300 });
    await s.acquire({ issueId: 'i1', agentId: 'agent:a', paths: [] });
    // A live holder (this very process) that never lets go.
    writeFileSync(
      join(dir, 'lock'),
      JSON.stringify({ pid: process.pid, host: hostname(), nonce: 'n1', acquiredAt: new Date().toISOString() }),
    );
    await expect(s.release({ issueId: 'i1', agentId: 'agent:a' })).rejects.toMatchObject({
      code: 'E_STORE',
      message: expect.stringContaining(join(dir, 'lock')),
      hint: expect.stringContaining('jitp doctor --repair'),
    });
  });

  it('a lock left by a dead process is recovered', async () => {
    const r = repo();
    const dir = storeDirOf(discoverRepo(r.root)!);
    const s = new LocalLeaseStore({ storeDir: dir, lockTimeoutMs: 2000 });
    await s.acquire({ issueId: 'i1', agentId: 'agent:a', paths: [] });
    writeFileSync(
      join(dir, 'lock'),
      JSON.stringify({ pid: 999_999_999, host: hostname(), nonce: 'dead', acquiredAt: new Date().toISOString() }),
    );
    await s.release({ issueId: 'i1', agentId: 'agent:a' });
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });
});

describe('local store: file-system failures', () => {
  it('an unwritable event log is a clear E_STORE naming the folder, and the state is unchanged', async () => {
    const r = makeRepo();
    try {
      const s = openLocalStore(discoverRepo(r.root)!);
      await s.acquire({ issueId: 'i1', agentId: 'agent:a', paths: [] });
      const before = readSnapshotSync(s.storeDir);
      // A folder where the log should be: open() fails with EISDIR even for root.
      const { renameSync, mkdirSync } = await import('node:fs');
      renameSync(join(s.storeDir, 'events.jsonl'), join(s.storeDir, 'events.moved'));
      mkdirSync(join(s.storeDir, 'events.jsonl'));
      await expect(s.acquire({ issueId: 'i2', agentId: 'agent:a', paths: [] })).rejects.toMatchObject({
        code: 'E_STORE',
        exitCode: 5,
        message: expect.stringContaining(s.storeDir),
      });
      expect(readSnapshotSync(s.storeDir)).toEqual(before);
      expect(existsSync(join(s.storeDir, 'lock'))).toBe(false);
    } finally {
      r.cleanup();
    }
  });
});

describe('local store: lock ownership', () => {
  it('a writer whose lock was taken over while it held it commits nothing', () => {
    const r = makeRepo();
    try {
      const s = openLocalStore(discoverRepo(r.root)!);
      s.acquireSync({ issueId: 'i1', agentId: 'agent:a', paths: [] });
      const before = readSnapshotSync(s.storeDir);
      const lockFile = join(s.storeDir, 'lock');
      expect(() =>
        s.transact('test', (snap) => {
          // As if a recoverer judged us ancient and someone else now holds the lock.
          unlinkSync(lockFile);
          writeFileSync(
            lockFile,
            JSON.stringify({
              pid: process.pid,
              host: hostname(),
              nonce: 'someone-else',
              acquiredAt: new Date().toISOString(),
            }),
          );
          return {
            snapshot: { ...snap, version: snap.version + 1, leases: [] },
            events: [],
            changed: true,
            value: null,
          };
        }),
      ).toThrow(/lost the lease store lock/);
      expect(readSnapshotSync(s.storeDir)).toEqual(before);
      // ...and leaves the other holder's lock alone.
      expect(JSON.parse(readFileSync(lockFile, 'utf8')).nonce).toBe('someone-else');
    } finally {
      r.cleanup();
    }
  });
});

describe('lock staleness', () => {
  it(
    'is judged from when the lock was taken (inode ctime), not from the record written before a long ' + 'wait',
    async () => {
      const { staleReason, readHolder } = await import('../../src/store/local/lock.js');
      const r = makeRepo();
      try {
        const dir = join(r.root, '.git');
        const f = join(dir, 'lock-probe');
        writeFileSync(
          f,
          JSON.stringify({
            pid: process.pid,
            host: hostname(),
            nonce: 'n',
            acquiredAt: new Date(Date.now() - 3_600_000).toISOString(),
          }),
        );
        const h = readHolder(f);
        expect(staleReason(h, Date.now())).toBeUndefined();
        expect(staleReason(h, Date.now() + 31_000)).toMatch(/held for 3\ds/);
        const dead = { ...h, holder: { ...h.holder!, pid: 999_999_999 } };
        expect(staleReason(dead, Date.now())).toMatch(/pid 999999999 is dead/);
      } finally {
        r.cleanup();
      }
    },
  );
});
