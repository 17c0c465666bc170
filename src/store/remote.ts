// LeaseStore backend on the shared git remote. The rules are the same pure functions the local
// store runs (core/lease-rules); this file only supplies the transaction: RemoteEngine's
// optimistic CAS push against refs/jit-parallel/*.
import { hostname } from 'node:os';
import { JitpError, isJitpError } from '../platform/errors.js';
import * as rules from '../core/lease-rules.js';
import * as waits from '../core/wait-rules.js';
import type { RepoLocation } from '../git/discover.js';
import { storeDirOf } from '../git/discover.js';
import { RemoteEngine } from '../remote/engine.js';
import {
  appendEvents,
  dropSecrets,
  eventsPath,
  loadSecrets,
  pruneSecrets,
  saveSecret,
  withSecrets,
} from '../remote/local-files.js';
import type { RemoteMirror } from '../remote/mirror.js';
import type { AcquireRequest, Lease, LeaseRef, LeaseStore, LeaseWait, StoreSnapshot } from '../core/model.js';
import { shellQuote } from '../core/shell-quote.js';

export const DEFAULT_REMOTE_TIMEOUT_MS = 20_000;

export interface RemoteStoreOptions {
  loc: RepoLocation;
  remote: string;
  timeoutMs?: number;
  /** Mirror age (s) after which read() refetches. */
  maxAgeSecs?: number;
  defaultTtlSecs?: number;
  /** Give up retrying lost races after this long (default max(30 s, 3 x timeout)); hooks use a short one. */
  contentionBudgetMs?: number;
  env?: NodeJS.ProcessEnv;
  progress?: (line: string) => void;
  /** Test clock. */
  nowMs?: () => number;
}

export class RemoteLeaseStore implements LeaseStore {
  readonly engine: RemoteEngine;
  readonly remote: string;
  private readonly storeDir: string;
  private readonly ttl: number;
  private readonly host = hostname();
  private readonly nowMs: () => number;

  constructor(opts: RemoteStoreOptions) {
    // git would read `-…` as an option (e.g. --upload-pack=<cmd>): a remote name must not start with one.
    if (!opts.remote || opts.remote.startsWith('-') || /[\s\u0000-\u001f]/.test(opts.remote)) {
      throw new JitpError(
        'E_USAGE',
        `invalid remote ${JSON.stringify(opts.remote)}: expected a git remote name such as origin`,
        {
          hint: 'list remotes with `git remote -v`; set `remote: origin` in .jit-parallel.yaml or pass --remote origin',
        },
      );
    }
    this.remote = opts.remote;
    this.storeDir = storeDirOf(opts.loc);
    this.ttl = opts.defaultTtlSecs ?? rules.DEFAULT_TTL_SECS;
    this.nowMs = opts.nowMs ?? Date.now;
    const env = opts.env ?? process.env;
    const fromEnv = Number(env.JITP_REMOTE_TIMEOUT_MS);
    this.engine = new RemoteEngine({
      cwd: opts.loc.worktreeRoot,
      commonDir: opts.loc.commonDir,
      storeDir: this.storeDir,
      remote: opts.remote,
      timeoutMs: Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : (opts.timeoutMs ?? DEFAULT_REMOTE_TIMEOUT_MS),
      maxAgeSecs: opts.maxAgeSecs ?? 60,
      ...(opts.contentionBudgetMs !== undefined ? { contentionBudgetMs: opts.contentionBudgetMs } : {}),
      env,
      progress: opts.progress,
      now: () => new Date(this.nowMs()),
      decorate: (leases) => withSecrets(leases, loadSecrets(this.storeDir, this.remote, leases)),
    });
  }

  private snap(m: RemoteMirror): StoreSnapshot {
    return { schemaVersion: rules.SCHEMA_VERSION, version: m.version, leases: m.leases };
  }

  /** Mirror if younger than remoteMirrorMaxAge, else fetched. Leases carry `host`. */
  async read(): Promise<StoreSnapshot> {
    return this.snap(await this.engine.read());
  }

  /** Fetches now and rewrites the mirror (`jitp claim sync`, session start). */
  async sync(): Promise<RemoteMirror> {
    const m = await this.engine.sync();
    pruneSecrets(this.storeDir, this.remote, m.leases);
    return m;
  }

  private async change(summary: string, fn: (s: StoreSnapshot, c: rules.Clock) => rules.Change): Promise<Lease> {
    let out;
    try {
      out = await this.engine.commit((snap, now) => {
        // The rules see this clone's binding secrets (bind checks them); the engine strips them again.
        const s = { ...snap, leases: withSecrets(snap.leases, loadSecrets(this.storeDir, this.remote, snap.leases)) };
        const ch = fn(s, { nowMs: now.getTime() });
        return { next: ch.snapshot, result: ch.lease, summary, changed: ch.changed, events: ch.events };
      });
    } catch (e) {
      throw this.located(e);
    }
    if (out.pushed) {
      // A lease our own accepted push removed is gone for good: its binding secret too.
      dropSecrets(
        this.storeDir,
        this.remote,
        out.events
          .filter((e) => e.type === 'release' || e.type === 'evict' || e.type === 'expire')
          .map((e) => e.leaseId ?? ''),
      );
      try {
        // The committed version: a release or eviction leaves the remote's version where it was.
        appendEvents(
          eventsPath(this.storeDir, this.remote),
          out.events.map((e) => ({ ...e, version: out.next.version, remote: this.remote, host: this.host })),
        );
      } catch {
        // The remote has the change; a local log we cannot append to must not turn it into a failure.
      }
    }
    return out.result;
  }

  /** Says where a refusal was decided: on the remote, by a view fetched just now, and the holder's host. */
  private located(e: unknown): unknown {
    if (!isJitpError(e) || (e.code !== 'E_HELD' && e.code !== 'E_LEASE_LOST')) return e;
    const holderId =
      (e.details?.holder as { leaseId?: string } | undefined)?.leaseId ??
      (e.details?.current as { leaseId?: string } | null | undefined)?.leaseId;
    const host = holderId ? this.engine.mirror()?.leases.find((l) => l.id === holderId)?.host : undefined;
    return new JitpError(e.code, `${e.message} [remote '${this.remote}'${host ? `, holder on host ${host}` : ''}]`, {
      ...(e.hint
        ? {
            hint: e.hint.replace(
              /`jitp claim (status|evict) /g,
              `\`jitp claim $1 --remote ${shellQuote(this.remote).replace(/\$/g, '$$$$')} `,
            ),
          }
        : {}),
      details: { ...(e.details ?? {}), remote: this.remote, ...(host ? { holderHost: host } : {}) },
    });
  }

  acquire(req: AcquireRequest): Promise<Lease> {
    return this.change(`acquire ${req.issueId} by ${req.agentId}`, (s, c) => {
      const ch = rules.acquire(s, { ...req, ttlSecs: req.ttlSecs ?? this.ttl, host: this.host }, c);
      if (ch.lease.bindSecret && ch.changed) saveSecret(this.storeDir, this.remote, ch.lease.id, ch.lease.bindSecret);
      return ch;
    });
  }

  renew(ref: LeaseRef, opts: { ttlSecs?: number } = {}): Promise<Lease> {
    return this.change(`renew ${ref.issueId} by ${ref.agentId}`, (s, c) => rules.renew(s, ref, c, opts.ttlSecs));
  }

  extend(ref: LeaseRef, paths: string[], reason?: string): Promise<Lease> {
    return this.change(`extend ${ref.issueId} by ${ref.agentId}`, (s, c) => rules.extend(s, ref, paths, c, reason));
  }

  release(ref: LeaseRef, reason?: string): Promise<Lease> {
    return this.change(`release ${ref.issueId} by ${ref.agentId}`, (s, c) => rules.release(s, ref, c, reason));
  }

  evict(leaseId: string, by: string, reason: string): Promise<Lease> {
    return this.change(`evict ${leaseId} by ${by}`, (s, c) => rules.evict(s, leaseId, by, reason, c));
  }

  bind(leaseId: string, secret: string, claudeAgentId: string): Promise<Lease> {
    return this.change(`bind ${claudeAgentId} to ${leaseId}`, (s, c) =>
      rules.bind(s, leaseId, secret, claudeAgentId, c),
    );
  }

  finish(leaseId: string, by: string): Promise<Lease> {
    return this.change(`finish ${leaseId} by ${by}`, (s, c) => waits.finish(s, leaseId, by, c));
  }

  setWaiting(ref: LeaseRef, wait: LeaseWait | null): Promise<Lease> {
    return this.change(`wait ${ref.issueId} by ${ref.agentId}`, (s, c) => waits.setWaiting(s, ref, wait, c));
  }

  take(ref: LeaseRef, paths: string[], reason?: string): Promise<Lease> {
    return this.change(`take ${ref.issueId} by ${ref.agentId}`, (s, c) => waits.take(s, ref, paths, c, reason));
  }

  /** Notes stay local: a sub-agent starting is this machine's business and must not cost a push. */
  async note(event: {
    type: string;
    by: string;
    issueId?: string;
    leaseId?: string;
    [k: string]: unknown;
  }): Promise<void> {
    const m = this.engine.mirror();
    appendEvents(eventsPath(this.storeDir, this.remote), [
      {
        version: m?.version ?? 0,
        at: new Date(this.nowMs()).toISOString(),
        ...event,
        remote: this.remote,
        host: this.host,
      },
    ]);
  }
}
