// The local lease store: files in `<git common dir>/jit-parallel/`, shared by every linked
// worktree of the clone and never committed. Layout, protocol and crash consistency are in
// docs/store.md. Everything runs synchronously under the writer lock; the async LeaseStore
// methods are thin wrappers so the remote backend can share the interface.
import { mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import * as rules from '../../core/lease-rules.js';
import * as waits from '../../core/wait-rules.js';
import { JitpError } from '../../platform/errors.js';
import type { AcquireRequest, Lease, LeaseRef, LeaseStore, LeaseWait, StoreSnapshot } from '../../core/model.js';
import { LOCK_FILE, MAX_HOLD_MS, acquireLock } from './lock.js';
import { crashPoint } from './crash.js';
import { EVENTS_FILE, appendEvents, closeSync, openLog } from './event-log.js';
import {
  STATE_FILE,
  STATE_SCHEMA_VERSION,
  applyDelta,
  corrupt,
  readSnapshotSync,
  stateForWriteOf,
  type StateFile,
  type StateForWrite,
} from './snapshot-read.js';
import { planSplice, readStateForWriter, type Need } from './state-splice.js';
import { planDelta } from './delta-write.js';
import { DELTA_FILE, DELTA_MAX_BYTES, parseDelta, readDeltaBytes } from './state-delta.js';
import { SUM2_END, readHeader } from './state-format.js';
import { readBloom } from './state-bloom.js';
import { syncDirIfEnabled, writeDeltaBytes, writeStateBytes, writeStateFile } from './state-write.js';

export interface LocalStoreOptions {
  storeDir: string;
  /** Default lease TTL (config `ttl`). */
  defaultTtlSecs?: number;
  lockTimeoutMs?: number;
  /** Injectable clock for tests. */
  now?: () => number;
  /**
   * false: every change reads, checks and rewrites the whole state file, as before the incremental
   * path (state-splice.ts). For the benchmark's same-run comparison, and a switch should the
   * incremental path ever need one (`JITP_STORE_FULL_WRITES=1`).
   */
  incremental?: boolean;
  /**
   * true: a change that can take the incremental path commits a small delta beside the snapshot
   * (state-delta.ts) instead of a new state.json; false: the snapshot is spliced (state-splice.ts).
   * Default on; `JITP_STORE_DELTA=0` turns it off. Off, a store that has a delta is still read whole
   * (its delta applied) and its next change writes a new snapshot.
   */
  delta?: boolean;
  /** Past this size (bytes) the delta is folded into a new snapshot by the next change (state-delta.ts). */
  deltaMaxBytes?: number;
  /** Test-only control for the race tests: runs transactions WITHOUT the lock (must lose updates). */
  unsafeNoLockForTests?: boolean;
}

interface TxResult<T> {
  snapshot: StoreSnapshot;
  events: rules.LeaseEvent[];
  changed: boolean;
  value: T;
}

export function ensureStoreDir(storeDir: string): void {
  try {
    mkdirSync(storeDir, { recursive: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new JitpError('E_STORE', `cannot create the lease store folder ${storeDir}: ${err.code ?? err.message}`, {
      hint: `make the repository's .git folder writable (chmod u+w ${join(storeDir, '..')})`,
      cause: e,
    });
  }
}

/** File-system failures (ENOSPC, EACCES, EIO…) become E_STORE naming the folder; rule errors pass through. */
function asStoreError(e: unknown, storeDir: string): unknown {
  if (e instanceof JitpError) return e;
  const err = e as NodeJS.ErrnoException;
  if (!err || typeof err.code !== 'string') return e;
  return new JitpError('E_STORE', `cannot update the lease store in ${storeDir}: ${err.code} ${err.message}`, {
    hint:
      `check free space and permissions of ${storeDir}; nothing was committed unless \`jitp claim list\` shows ` +
      `it; \`jitp doctor\` checks the store`,
    cause: e,
  });
}

export class LocalLeaseStore implements LeaseStore {
  readonly storeDir: string;
  private readonly ttl: number;
  private readonly lockTimeoutMs: number | undefined;
  private readonly now: () => number;
  private readonly noLock: boolean;
  private readonly incremental: boolean;
  private readonly useDelta: boolean;
  private readonly deltaMax: number;
  private dirReady = false;
  /** How the last transaction read and wrote the state (tests and the benchmark look). */
  lastPath: 'splice' | 'delta' | { full: string } | undefined;

  constructor(opts: LocalStoreOptions) {
    this.storeDir = opts.storeDir;
    this.ttl = opts.defaultTtlSecs ?? rules.DEFAULT_TTL_SECS;
    this.lockTimeoutMs = opts.lockTimeoutMs;
    this.now = opts.now ?? Date.now;
    this.noLock = opts.unsafeNoLockForTests === true;
    this.incremental = opts.incremental ?? process.env.JITP_STORE_FULL_WRITES !== '1';
    this.useDelta = this.incremental && (opts.delta ?? process.env.JITP_STORE_DELTA !== '0');
    // JITP_STORE_DELTA_MAX: a test knob (0: every change after a delta write folds it in).
    const max = process.env.JITP_STORE_DELTA_MAX;
    this.deltaMax = opts.deltaMaxBytes ?? (max && /^\d+$/.test(max) ? Number(max) : DELTA_MAX_BYTES);
  }

  /**
   * One write transaction: lock, read the committed state, run `fn` (pure rules), append its
   * events to the log (cutting off any uncommitted tail first), commit the new state by
   * rename, unlock. `fn` throwing leaves the store untouched. `need`: what `fn` can need to see
   * (state-splice.ts); given, `fn` may be shown only those leases, which is exact for the pure
   * rules (they only look at the issue's lease, the lease by id and the leases overlapping paths).
   */
  transact<T>(op: string, fn: (st: StoreSnapshot, nowMs: number) => TxResult<T>, need?: Need): TxResult<T> {
    if (!this.dirReady) {
      ensureStoreDir(this.storeDir);
      this.dirReady = true;
    }
    let committed = false;
    const lock = this.noLock
      ? { release() {}, isHeld: () => true }
      : acquireLock(this.storeDir, { op, ...(this.lockTimeoutMs ? { timeoutMs: this.lockTimeoutMs } : {}) });
    try {
      crashPoint('locked');
      const nowMs = this.now();
      const file = join(this.storeDir, STATE_FILE);
      const dfile = join(this.storeDir, DELTA_FILE);
      const buf = readStateForWriter(this.storeDir);
      const dbuf = readDeltaBytes(this.storeDir);
      // A damaged delta is E_STORE_CORRUPT (nothing written), stale or not: its generation is unknown.
      let delta = dbuf && parseDelta(dbuf, dfile);
      const h = buf && readHeader(buf);
      let read: StateForWrite | undefined;
      let gen: number;
      if (!buf) gen = delta ? delta.gen : 0;
      else if (h && h.kind === 'ok') gen = h.header.gen;
      else gen = (read = stateForWriteOf(buf, file)).st.gen ?? 0;
      // The delta of this snapshot's generation applies; an older one is stale (the snapshot has it
      // all). Under the lock no new snapshot can appear, so a newer one is damage.
      if (delta && buf && delta.gen > gen)
        throw corrupt(dfile, `it belongs to snapshot generation ${delta.gen}, state.json is generation ${gen}`);
      if (delta && (!buf || delta.gen < gen)) delta = undefined;
      const marked = this.useDelta || (h?.kind === 'ok' ? h.marked : !!read?.st.marked);
      // The delta path when the change says what it needs, the snapshot is marked (readers that do
      // not know the delta refuse it) and the delta is small; else the splice (no delta to apply);
      // else the whole file, read and checked, with the delta applied, into a new snapshot.
      let why: string | undefined;
      if (!buf) why = 'new store';
      else if (!need || !this.incremental) why = !this.incremental ? 'off' : 'no need';
      else if (this.useDelta && h?.kind === 'ok' && !h.marked) why = 'first marked snapshot';
      else if (this.useDelta && delta && dbuf!.length > this.deltaMax) why = 'delta full: a new snapshot';
      else if (!this.useDelta && delta) why = 'a delta to fold in';
      const bloom =
        !why && this.useDelta
          ? readBloom(this.storeDir, gen, buf!.toString('latin1', SUM2_END - 9, SUM2_END - 1))
          : undefined;
      const dplan = !why && this.useDelta ? planDelta(buf!, file, dfile, need!, nowMs, delta, gen, bloom) : undefined;
      const plan = !why && !this.useDelta ? planSplice(buf!, file, need!, nowMs, gen + 1) : undefined;
      const splice = plan?.ok ? plan : undefined;
      const dsplice = dplan?.ok ? dplan : undefined;
      if (dplan && !dplan.ok) why = dplan.why;
      if (plan && !plan.ok) why = plan.why;
      this.lastPath = dsplice ? 'delta' : splice ? 'splice' : { full: why! };
      if (!dsplice && !splice && buf) read ??= stateForWriteOf(buf, file);
      let st = dsplice ? dsplice.st : splice ? splice.st : read && applyDelta(read.st, delta);
      if (!st) {
        // A new store: the state file exists before the first log line (so a log without a state
        // file can only mean the state was deleted; see snapshot-read.ts).
        st = { schemaVersion: STATE_SCHEMA_VERSION, version: 0, logSize: 0, leases: [] };
        writeStateFile(this.storeDir, st, { gen: ++gen, marked });
      }
      const res = fn({ schemaVersion: st.schemaVersion, version: st.version, leases: st.leases }, nowMs);
      if (!res.changed) return res;
      // Checked before the log is touched: a splice that cannot express the change throws here.
      const spliced = splice?.prepare(res.snapshot);
      const delted = dsplice?.prepare(res.snapshot);
      const fd = openLog(join(this.storeDir, EVENTS_FILE));
      let logSize: number;
      try {
        logSize = appendEvents(fd, st.logSize, st.version, res.events);
      } finally {
        closeSync(fd);
      }
      const next: StateFile = { ...res.snapshot, logSize };
      // A writer paused past the longest legal hold may have had its lock recovered; it must
      // not commit over whoever wrote since. (A check, not a guarantee: see docs/store.md.)
      if (!lock.isHeld()) {
        throw new JitpError(
          'E_STORE',
          `lost the lease store lock ${join(this.storeDir, LOCK_FILE)} while holding it (paused for longer than ` +
            `${MAX_HOLD_MS / 1000}s?); nothing was committed`,
          {
            hint: 'run the command again',
          },
        );
      }
      if (delted) writeDeltaBytes(this.storeDir, delted(logSize));
      else if (spliced) writeStateBytes(this.storeDir, spliced(logSize));
      else
        writeStateFile(this.storeDir, next, {
          dirFsync: false,
          gen: gen + 1,
          marked,
          ...(read?.lines ? { lines: read.lines } : {}),
        });
      committed = true;
      return res;
    } catch (e) {
      throw asStoreError(e, this.storeDir);
    } finally {
      lock.release();
      // Strict durability (JITP_STRICT_DURABILITY=1) syncs the folder outside the lock: other
      // processes already see the new state; the caller still gets its answer only after it.
      if (committed) syncDirIfEnabled(this.storeDir);
    }
  }

  readSync(): StoreSnapshot {
    return readSnapshotSync(this.storeDir);
  }

  async read(): Promise<StoreSnapshot> {
    return this.readSync();
  }

  private change(op: string, need: Need, f: (s: StoreSnapshot, c: rules.Clock) => rules.Change): Lease {
    return this.transact(
      op,
      (s, nowMs) => {
        const c = f(s, { nowMs });
        return { snapshot: c.snapshot, events: c.events, changed: c.changed, value: c.lease };
      },
      need,
    ).value;
  }

  acquireSync(req: AcquireRequest): Lease {
    return this.change('acquire', { issueIds: [req.issueId], paths: req.paths }, (s, c) =>
      rules.acquire(s, { ...req, ttlSecs: req.ttlSecs ?? this.ttl, host: hostname() }, c),
    );
  }
  renewSync(ref: LeaseRef, opts: { ttlSecs?: number } = {}): Lease {
    return this.change('renew', { issueIds: [ref.issueId] }, (s, c) => rules.renew(s, ref, c, opts.ttlSecs));
  }
  extendSync(ref: LeaseRef, paths: string[], reason?: string): Lease {
    return this.change('extend', { issueIds: [ref.issueId], paths }, (s, c) => rules.extend(s, ref, paths, c, reason));
  }
  releaseSync(ref: LeaseRef, reason?: string): Lease {
    return this.change('release', { issueIds: [ref.issueId] }, (s, c) => rules.release(s, ref, c, reason));
  }
  evictSync(leaseId: string, by: string, reason: string): Lease {
    return this.change('evict', { leaseIds: [leaseId] }, (s, c) => rules.evict(s, leaseId, by, reason, c));
  }
  bindSync(leaseId: string, secret: string, claudeAgentId: string): Lease {
    return this.change('bind', { leaseIds: [leaseId] }, (s, c) => rules.bind(s, leaseId, secret, claudeAgentId, c));
  }
  finishSync(leaseId: string, by: string): Lease {
    return this.change('finish', { leaseIds: [leaseId] }, (s, c) => waits.finish(s, leaseId, by, c));
  }
  setWaitingSync(ref: LeaseRef, wait: LeaseWait | null): Lease {
    return this.change('wait', { issueIds: [ref.issueId] }, (s, c) => waits.setWaiting(s, ref, wait, c));
  }
  takeSync(ref: LeaseRef, paths: string[], reason?: string): Lease {
    return this.change('take', { issueIds: [ref.issueId], paths }, (s, c) => waits.take(s, ref, paths, c, reason));
  }
  /** Sweeps expired leases; returns how many were removed. */
  sweepSync(): number {
    // Needs no lease: while none has expired the splice path shows the rule none, and there is
    // nothing to sweep; once one has, the full path shows it all of them.
    return this.transact(
      'sweep',
      (s, nowMs) => {
        const r = rules.sweep(s, { nowMs });
        return { ...r, value: r.events.length };
      },
      {},
    ).value;
  }
  noteSync(event: { type: string; by: string; [k: string]: unknown }): void {
    // A note changes no lease and keeps the version; it still commits (the state records the
    // log length), so the next writer does not cut it off as an uncommitted tail.
    this.transact(
      'note',
      (s, nowMs) => ({
        snapshot: s,
        events: [
          {
            ...event,
            type: 'note',
            note: event.type,
            version: s.version,
            at: new Date(nowMs).toISOString(),
          } as rules.LeaseEvent,
        ],
        changed: true,
        value: undefined,
      }),
      {},
    );
  }

  async acquire(req: AcquireRequest): Promise<Lease> {
    return this.acquireSync(req);
  }
  async renew(ref: LeaseRef, opts?: { ttlSecs?: number }): Promise<Lease> {
    return this.renewSync(ref, opts);
  }
  async extend(ref: LeaseRef, paths: string[], reason?: string): Promise<Lease> {
    return this.extendSync(ref, paths, reason);
  }
  async release(ref: LeaseRef, reason?: string): Promise<Lease> {
    return this.releaseSync(ref, reason);
  }
  async evict(leaseId: string, by: string, reason: string): Promise<Lease> {
    return this.evictSync(leaseId, by, reason);
  }
  async bind(leaseId: string, secret: string, claudeAgentId: string): Promise<Lease> {
    return this.bindSync(leaseId, secret, claudeAgentId);
  }
  async finish(leaseId: string, by: string): Promise<Lease> {
    return this.finishSync(leaseId, by);
  }
  async setWaiting(ref: LeaseRef, wait: LeaseWait | null): Promise<Lease> {
    return this.setWaitingSync(ref, wait);
  }
  async take(ref: LeaseRef, paths: string[], reason?: string): Promise<Lease> {
    return this.takeSync(ref, paths, reason);
  }
  async note(event: {
    type: string;
    by: string;
    issueId?: string;
    leaseId?: string;
    [k: string]: unknown;
  }): Promise<void> {
    this.noteSync(event);
  }
}
