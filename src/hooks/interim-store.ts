// STOPGAP until the lease store's local backend (h/store) lands: the few LeaseStore operations
// the hooks write through (bind, extend, renew, note) plus acquire/release for tests, over the
// same files store-access.ts reads. git's protocol: exclusive lock file, write a temp file with
// a unique name, rename over the state. Replace `openStore` in store-access.ts with the real
// backend and delete this file.
import { randomBytes } from 'node:crypto';
import { appendFileSync, linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, JitpError } from '../core/errors.js';
import type { AcquireRequest, Lease, LeaseRef, LeaseStore, StoreSnapshot } from '../store/types.js';
import { STATE_FILE, readSnapshotSync } from './store-access.js';

const sleep = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

function withLock<T>(dir: string, fn: (s: StoreSnapshot) => { next?: StoreSnapshot; result: T }): T {
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, 'state.lock');
  const tmp = join(dir, `.lock-${process.pid}-${randomBytes(4).toString('hex')}`);
  writeFileSync(tmp, String(process.pid));
  const deadline = Date.now() + 5000;
  try {
    for (;;) {
      try {
        linkSync(tmp, lock);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        try {
          if (Date.now() - statSync(lock).mtimeMs > 10_000) unlinkSync(lock);
        } catch {
          /* gone meanwhile */
        }
        if (Date.now() > deadline) throw new JitpError('E_STORE', EXIT.STORE, `store locked too long: ${lock}`);
        sleep(2 + Math.random() * 5);
      }
    }
  } finally {
    unlinkSync(tmp);
  }
  try {
    const cur = readSnapshotSync(dir) ?? { schemaVersion: 1, version: 0, leases: [] };
    const { next, result } = fn(cur);
    if (next) {
      const out = join(dir, `.${STATE_FILE}.${process.pid}-${randomBytes(4).toString('hex')}`);
      writeFileSync(out, JSON.stringify(next));
      renameSync(out, join(dir, STATE_FILE));
    }
    return result;
  } finally {
    unlinkSync(lock);
  }
}

const nowIso = () => new Date().toISOString();

export function openLocalStore(dir: string): LeaseStore {
  const log = (ev: Record<string, unknown>) => {
    mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, 'events.jsonl'), `${JSON.stringify({ at: nowIso(), ...ev })}\n`);
  };
  const change = (ref: LeaseRef, how: string, f: (l: Lease, v: number) => Lease | null): Lease =>
    withLock(dir, (s) => {
      const now = Date.now();
      const i = s.leases.findIndex(
        (l) => l.issueId === ref.issueId && l.agentId === ref.agentId && Date.parse(l.expiresAt) > now && (ref.token === undefined || l.token === ref.token),
      );
      if (i < 0) throw new JitpError('E_LEASE_LOST', EXIT.LEASE_LOST, `no live lease of ${ref.agentId} on ${ref.issueId} (${how})`);
      const version = s.version + 1;
      const next = f(s.leases[i]!, version);
      const leases = [...s.leases];
      if (next) leases[i] = next;
      else leases.splice(i, 1);
      log({ type: how, by: ref.agentId, issueId: ref.issueId, leaseId: s.leases[i]!.id });
      return { next: { ...s, version, leases }, result: next ?? s.leases[i]! };
    });
  return {
    async read() {
      return readSnapshotSync(dir) ?? { schemaVersion: 1, version: 0, leases: [] };
    },
    async acquire(req: AcquireRequest) {
      return withLock(dir, (s) => {
        const now = Date.now();
        const ttl = req.ttlSecs ?? 1800;
        const version = s.version + 1;
        const lease: Lease = {
          id: `L-${randomBytes(6).toString('hex')}`,
          issueId: req.issueId,
          agentId: req.agentId,
          worktree: req.worktree ?? null,
          branch: req.branch ?? null,
          paths: req.paths,
          ttlSecs: ttl,
          acquiredAt: new Date(now).toISOString(),
          renewedAt: new Date(now).toISOString(),
          expiresAt: new Date(now + ttl * 1000).toISOString(),
          token: version,
          bindSecret: randomBytes(16).toString('hex'),
          ...(req.meta ? { meta: req.meta } : {}),
        };
        log({ type: 'acquire', by: req.agentId, issueId: req.issueId, leaseId: lease.id });
        return { next: { ...s, version, leases: [...s.leases.filter((l) => Date.parse(l.expiresAt) > now), lease] }, result: lease };
      });
    },
    async renew(ref, opts) {
      return change(ref, 'renew', (l) => {
        const ttl = opts?.ttlSecs ?? l.ttlSecs;
        return { ...l, renewedAt: nowIso(), expiresAt: new Date(Date.now() + ttl * 1000).toISOString() };
      });
    },
    async extend(ref, paths) {
      return withLock(dir, (s) => {
        const now = Date.now();
        for (const other of s.leases) {
          if (Date.parse(other.expiresAt) <= now || (other.issueId === ref.issueId && other.agentId === ref.agentId)) continue;
          const clash = paths.find((p) => other.paths.includes(p));
          if (clash) throw new JitpError('E_HELD', EXIT.HELD, `${clash} is held by lease ${other.id} (issue ${other.issueId})`);
        }
        return { result: undefined };
      }) ?? change(ref, 'extend', (l) => ({ ...l, paths: [...new Set([...l.paths, ...paths])] }));
    },
    async release(ref) {
      return change(ref, 'release', () => null);
    },
    async evict() {
      throw new JitpError('E_INTERNAL', EXIT.FAILURE, 'evict is not part of the interim store');
    },
    async bind(leaseId, secret, claudeAgentId) {
      return withLock(dir, (s) => {
        const i = s.leases.findIndex((l) => l.id === leaseId && Date.parse(l.expiresAt) > Date.now());
        const l = s.leases[i];
        if (!l) throw new JitpError('E_NOT_FOUND', EXIT.NOT_FOUND, `no live lease ${leaseId}`);
        if (!l.bindSecret || l.bindSecret !== secret) throw new JitpError('E_BIND', EXIT.USAGE, `wrong binding secret for lease ${leaseId}`);
        const ids = Array.isArray(l.meta?.claudeAgentIds) ? (l.meta!.claudeAgentIds as string[]) : [];
        if (ids.includes(claudeAgentId)) return { result: l };
        const next = { ...l, meta: { ...l.meta, claudeAgentIds: [...ids, claudeAgentId] } };
        const leases = [...s.leases];
        leases[i] = next;
        log({ type: 'bind', by: claudeAgentId, leaseId, issueId: l.issueId });
        return { next: { ...s, version: s.version + 1, leases }, result: next };
      });
    },
    async note(event) {
      log(event);
    },
  };
}
