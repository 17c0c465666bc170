// Optimistic compare-and-set against the remote. A change is computed by a pure transition
// from the last view we have (the local mirror), written as git objects in the clone, and
// pushed in ONE push. If the push wins, the mirror was current and the change is committed:
// one round trip, no fetch. If it loses, someone changed the remote since our view: fetch
// (one round trip), recompute, retry. A transition that refuses (held, lease lost) on a view
// that was not just fetched is retried on a fresh view before the refusal is reported, so a
// stale mirror can neither grant nor deny.
//
// Two kinds of push (layout.ts): a change that adds or rewrites a lease (acquire, renew,
// extend, bind, takeover) CASes the index and moves the lease refs it touches to one new
// index commit; a change that only removes leases (release, evict) is a CAS'd delete of their
// refs and nothing else, so it sends no objects and leaves the index and version alone.
import { hostname } from 'node:os';
import { JitpError, isJitpError } from '../platform/errors.js';
import type { Lease, StoreSnapshot } from '../core/model.js';
import { ObjectWriter } from './git-objects.js';
import {
  FORMAT_MARKER,
  INDEX_REF,
  LEASE_REF_PREFIX,
  REMOTE_SCHEMA_VERSION,
  indexMessage,
  leaseDiff,
  leaseRef,
  type RefUpdate,
  type RemoteState,
} from './layout.js';
import { withoutSecrets } from './local-files.js';
import { readMirror, writeMirror, mirrorAgeSecs, type RemoteMirror } from './mirror.js';
import { resolveRead, type RawRead } from './resolve.js';
import { RemoteTransport, type FetchedState } from './transport.js';
import { jitpCommand } from '../core/shell-quote.js';

export interface EngineOptions {
  /** Directory inside the clone. */
  cwd: string;
  commonDir: string;
  /** <git common dir>/jit-parallel (mirror files live here). */
  storeDir: string;
  remote: string;
  timeoutMs: number;
  /** Mirror older than this is refetched by read(); writes never trust age, only the CAS. */
  maxAgeSecs: number;
  /** Give up retrying lost races after this long. */
  contentionBudgetMs?: number;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** Progress lines (stderr) for retries. */
  progress?: (line: string) => void;
  /** Adds what only this clone knows (binding secrets) to the leases written to the mirror. */
  decorate?: (leases: Lease[]) => Lease[];
}

export interface TransitionOutput<T> {
  next: StoreSnapshot;
  result: T;
  /** One line for the commit message (the remote's change log), e.g. `acquire 3f2a… by agent:a`. */
  summary: string;
  /** False: nothing to write (an idempotent request); the result stands without a push. */
  changed?: boolean;
}

export interface Committed<T> extends TransitionOutput<T> {
  /** Whether this call pushed (false for a no-op). */
  pushed: boolean;
}

export type Transition<T> = (snap: StoreSnapshot, now: Date) => TransitionOutput<T>;

export interface MutateStats {
  attempts: number;
  fetches: number;
}

export class RemoteEngine {
  readonly transport: RemoteTransport;
  private readonly objects: ObjectWriter;
  readonly host = hostname();
  lastStats: MutateStats = { attempts: 0, fetches: 0 };
  /** The store version and index commit of this engine's last accepted push. */
  lastCommitted: { version: number; indexCommit: string } | undefined;

  constructor(readonly opts: EngineOptions) {
    this.transport = new RemoteTransport({
      cwd: opts.cwd,
      remote: opts.remote,
      timeoutMs: opts.timeoutMs,
      env: opts.env,
    });
    this.objects = new ObjectWriter(opts.commonDir, opts.env);
  }

  private now(): Date {
    return this.opts.now ? this.opts.now() : new Date();
  }

  mirror(): RemoteMirror | undefined {
    return readMirror(this.opts.storeDir, this.opts.remote);
  }

  private save(view: FetchedState, source: 'fetch' | 'push', at: Date): RemoteMirror {
    const m: RemoteMirror = {
      schemaVersion: 1,
      backend: 'remote',
      remote: this.opts.remote,
      fetchedAt: at.toISOString(),
      source,
      indexCommit: view.indexCommit,
      version: view.state.version,
      leases: this.opts.decorate ? this.opts.decorate(view.state.leases) : view.state.leases,
      leaseCommits: view.state.leaseCommits,
      ...(view.released?.length ? { released: view.released } : {}),
    };
    try {
      writeMirror(this.opts.storeDir, m);
    } catch (e) {
      throw new JitpError(
        'E_STORE_WRITE',
        `cannot write the lease mirror in ${this.opts.storeDir}: ${(e as Error).message}`,
        {
          hint:
            `make ${this.opts.storeDir} writable (the remote already has the change; \`jitp claim sync --remote ` +
            `${this.opts.remote}\` rewrites the mirror)`,
        },
      );
    }
    return m;
  }

  /** Fetches the remote's leases and rewrites the mirror. */
  async sync(): Promise<RemoteMirror> {
    const started = this.now();
    this.lastStats = { attempts: 0, fetches: 0 };
    const view = await this.fetchView(this.lastStats);
    return this.save(view, 'fetch', started);
  }

  /** The mirror when younger than maxAge, else a fresh fetch. */
  async read(): Promise<RemoteMirror> {
    const m = this.mirror();
    if (m && mirrorAgeSecs(m, this.now().getTime()) <= this.opts.maxAgeSecs) return m;
    return this.sync();
  }

  private viewOf(m: RemoteMirror): FetchedState {
    return {
      indexCommit: m.indexCommit,
      state: {
        schemaVersion: REMOTE_SCHEMA_VERSION,
        version: m.version,
        leases: withoutSecrets(m.leases),
        leaseCommits: m.leaseCommits,
      },
      ...(m.released ? { released: m.released } : {}),
    };
  }

  /**
   * Lease commits whose refs we know existed on the remote before now: every one in a view we
   * hold (the mirror, `also`). resolve.ts may treat such a listed lease with no ref as released.
   */
  private knownCommits(also?: FetchedState): Set<string> {
    const known = new Set<string>();
    for (const v of [this.mirror(), also]) {
      if (!v) continue;
      if (v.indexCommit) known.add(v.indexCommit);
      for (const c of Object.values('state' in v ? v.state.leaseCommits : v.leaseCommits)) known.add(c);
      for (const c of v.released ?? []) known.add(c);
    }
    return known;
  }

  /**
   * One fetch, resolved into live leases; when the read cannot tell a released lease from one
   * granted while it read (resolve.ts), a second fetch reads the lease refs again. Its refs
   * were read after the first fetch read the index, so the first index with the second refs
   * is a safe view, whatever order the server reads refs in.
   */
  private async fetchView(stats: MutateStats, current?: FetchedState): Promise<FetchedState> {
    const known = this.knownCommits(current);
    const first = await this.transport.fetch();
    stats.fetches++;
    const r = resolveRead(first, first.refs, (c) => known.has(c));
    if (!r.unsure.length) return { indexCommit: first.indexCommit, state: r.state, released: r.released };
    for (const id of first.refs.values()) known.add(id);
    const second = await this.transport.fetch();
    stats.fetches++;
    const again = resolveRead(second, second.refs, (c) => known.has(c));
    if (!again.unsure.length) return { indexCommit: second.indexCommit, state: again.state, released: again.released };
    const ordered = resolveRead(first, second.refs, () => true);
    return { indexCommit: first.indexCommit, state: ordered.state, released: ordered.released };
  }

  /** The raw reads `claim sync --check` compares (no mirror update). */
  fetchRaw(): Promise<RawRead> {
    return this.transport.fetch();
  }

  /**
   * Builds the new index commit of a change that adds or rewrites leases, and the ref updates
   * that commit it: the index, every new or changed lease (pointed at the index commit, which
   * holds its record), every removed lease (deleted). All by CAS, in one atomic push.
   * `actual` (repair only): the lease refs as the remote really has them; every lease is then
   * rewritten with its CAS on the actual value, and lease refs the index does not know are deleted.
   */
  private build(
    view: FetchedState,
    next: StoreSnapshot,
    summary: string,
    at: Date,
    actual?: ReadonlyMap<string, string>,
  ): { updates: RefUpdate[]; state: RemoteState; indexCommit: string } {
    const o = this.objects;
    // Binding secrets stay on this machine (see local-files.ts), whatever the caller passed.
    next = { ...next, leases: withoutSecrets(next.leases) };
    // A remote with receive.fsckObjects rejects malformed ident lines: keep the email plain.
    const who = `jit-parallel <jitp@${this.host.replace(/[^A-Za-z0-9.-]/g, '-') || 'localhost'}>`;
    const diff = leaseDiff(view.state.leases, next.leases);
    const upsert = new Set((actual ? next.leases : diff.upsert).map((l) => l.issueId));
    const remove = actual ? [] : diff.remove;
    const oldOf = (issueId: string) =>
      actual ? (actual.get(leaseRef(issueId)) ?? '') : (view.state.leaseCommits[issueId] ?? '');
    // Leases this commit does not write keep their refs; the state names those commits. The
    // ones it writes point at this very commit, which cannot name itself (commitOf).
    const carried: Record<string, string> = {};
    for (const l of next.leases) {
      const c = view.state.leaseCommits[l.issueId];
      if (!upsert.has(l.issueId) && c) carried[l.issueId] = c;
    }
    const written: RemoteState = {
      schemaVersion: REMOTE_SCHEMA_VERSION,
      version: next.version,
      leases: next.leases,
      leaseCommits: carried,
    };
    // One new object per write: the state rides in the commit message, the tree is the constant
    // format marker the remote already has (a blob and a tree per write would cost the push a
    // few ms on both ends: layout.ts). Parentless,
    // so a new machine fetches one small commit, never the whole change log; the previous id in
    // the message still lets a person walk back while objects survive.
    const indexCommit = o.commit({
      tree: o.tree({ 'state.json': { type: 'blob', id: o.blob(FORMAT_MARKER) } }),
      parents: [],
      who,
      when: at,
      message: indexMessage(`jit-parallel v${next.version}: ${summary}`, view.indexCommit, this.host, written),
    });
    const updates: RefUpdate[] = [{ ref: INDEX_REF, old: view.indexCommit, next: indexCommit }];
    const leaseCommits = { ...carried };
    for (const issueId of upsert) {
      updates.push({ ref: leaseRef(issueId), old: oldOf(issueId), next: indexCommit });
      leaseCommits[issueId] = indexCommit;
    }
    for (const issueId of remove) updates.push({ ref: leaseRef(issueId), old: oldOf(issueId), next: '' });
    if (actual) {
      const live = new Set(next.leases.map((l) => leaseRef(l.issueId)));
      for (const [ref, id] of actual)
        if (ref.startsWith(LEASE_REF_PREFIX) && !live.has(ref)) updates.push({ ref, old: id, next: '' });
    }
    return { updates, state: { ...written, leaseCommits }, indexCommit };
  }

  /**
   * Rewrites every live lease's ref from the index, and deletes lease refs it does not know, in
   * one atomic push (after `claim sync --check` found them out of step). `raw` and `actual`
   * must come from reads that bracket each other (claim-sync.ts): the index, then the refs.
   */
  async repair(raw: Pick<RawRead, 'indexCommit' | 'state'>, actual: ReadonlyMap<string, string>): Promise<void> {
    const at = this.now();
    // A listed lease with no ref was released; one whose ref points elsewhere is restored.
    const view = { indexCommit: raw.indexCommit, state: resolveRead(raw, actual, () => true).state };
    const next = { schemaVersion: REMOTE_SCHEMA_VERSION, version: view.state.version + 1, leases: view.state.leases };
    const built = this.build(view, next, 'repair lease refs', at, actual);
    const pushed = await this.transport.push(built.updates);
    if (!pushed.ok) {
      throw new JitpError(
        'E_REMOTE_BUSY',
        `the leases on '${this.opts.remote}' changed during the repair; nothing was changed`,
        {
          hint: `run \`${jitpCommand('claim sync', this.opts.remote)} --check --repair\` again`,
        },
      );
    }
    this.lastCommitted = { version: next.version, indexCommit: built.indexCommit };
    this.save({ indexCommit: built.indexCommit, state: built.state }, 'push', this.now());
  }

  async mutate<T>(fn: Transition<T>): Promise<T> {
    return (await this.commit(fn)).result;
  }

  /** Like mutate, returning the winning attempt's whole output (snapshot, events…). */
  async commit<T, O extends TransitionOutput<T> = TransitionOutput<T>>(
    fn: (snap: StoreSnapshot, now: Date) => O,
  ): Promise<O & { pushed: boolean }> {
    const budget = this.opts.contentionBudgetMs ?? Math.max(30_000, this.opts.timeoutMs * 3);
    const t0 = Date.now();
    const stats: MutateStats = { attempts: 0, fetches: 0 };
    this.lastStats = stats;
    const cached = this.mirror();
    let view: FetchedState;
    let fresh = false;
    // A removal push that lost once is retried as a full write: only a push that also CASes the
    // index can tell a lost race from a lease ref changed by hand (E_REMOTE_DRIFT below).
    let removalLost = false;
    // Lease refs a push found stale while the index was not (see below): drift if it happens twice.
    let suspect: { index: string; refs: Set<string> } | undefined;
    // When the current view was read (a mirror written from it must not count as newer: mirror.ts).
    let viewAt = this.now();
    if (cached) view = this.viewOf(cached);
    else {
      view = await this.fetchView(stats);
      fresh = true;
    }
    for (;;) {
      stats.attempts++;
      const at = this.now();
      let out: O;
      try {
        out = fn(
          { schemaVersion: view.state.schemaVersion, version: view.state.version, leases: view.state.leases },
          at,
        );
      } catch (e) {
        // Only refusals that depend on the state are re-checked; bad input fails at once.
        if (!fresh && isJitpError(e) && STATE_REFUSALS.has(e.code)) {
          viewAt = this.now();
          view = await this.refetch(stats, view, viewAt);
          fresh = true;
          continue;
        }
        if (fresh && isJitpError(e)) this.save(view, 'fetch', viewAt);
        throw e;
      }
      if (out.changed === false) return { ...out, pushed: false };
      const diff = leaseDiff(view.state.leases, withoutSecrets(out.next.leases));
      let pushed;
      if (!diff.upsert.length && diff.remove.length && !removalLost) {
        // Only removals: a CAS'd delete of each removed lease ref, nothing sent, index untouched.
        // It cannot create a conflict, so it needs no serialising against other writers; a lease
        // changed since our view (renewed, taken over) fails its CAS and we re-read.
        const updates = diff.remove.map((issueId) => ({
          ref: leaseRef(issueId),
          old: view.state.leaseCommits[issueId] ?? '',
          next: '',
        }));
        pushed = await this.transport.push(updates);
        if (pushed.ok) {
          const leaseCommits = { ...view.state.leaseCommits };
          for (const issueId of diff.remove) delete leaseCommits[issueId];
          const { version } = view.state;
          this.lastCommitted = { version, indexCommit: view.indexCommit };
          const released = [
            ...(view.released ?? []),
            ...diff.remove.map((id) => view.state.leaseCommits[id]!).filter(Boolean),
          ];
          this.save(
            {
              indexCommit: view.indexCommit,
              state: { ...view.state, leases: withoutSecrets(out.next.leases), leaseCommits },
              released,
            },
            'push',
            this.now(),
          );
          return { ...out, next: { ...out.next, version }, pushed: true };
        }
        removalLost = true;
      } else {
        const next = { ...out.next, version: Math.max(out.next.version, view.state.version + 1) };
        const built = this.build(view, next, out.summary, at);
        pushed = await this.transport.push(built.updates);
        if (pushed.ok) {
          this.lastCommitted = { version: next.version, indexCommit: built.indexCommit };
          // Known to equal the remote once the push returned (a fetch that began earlier may not
          // have seen it, so it must not count as newer: mirror.ts).
          this.save({ indexCommit: built.indexCommit, state: built.state }, 'push', this.now());
          return { ...out, next, pushed: true };
        }
        // On a fresh view, a lease ref that is stale while the index is not was either deleted
        // since (a release races us; the next read drops it) or changed by hand (every jitp write
        // that moves a lease ref to a new value also moves the index). So when the same index
        // sees it again after a re-read, it is drift: retrying would only spin until the budget ends.
        const staleLease = pushed.conflict
          .filter((c) => c.ref.startsWith(LEASE_REF_PREFIX) && /stale info/.test(c.reason))
          .map((c) => c.ref);
        if (
          fresh &&
          staleLease.length &&
          !pushed.conflict.some((c) => c.ref === INDEX_REF && /stale info/.test(c.reason))
        ) {
          if (suspect?.index === view.indexCommit && staleLease.some((r) => suspect!.refs.has(r))) {
            throw new JitpError(
              'E_REMOTE_DRIFT',
              `lease ref ${staleLease.join(', ')} on '${this.opts.remote}' does not match refs/jit-parallel/index ` +
                `(changed outside jitp)`,
              {
                hint:
                  `\`${jitpCommand('claim sync', this.opts.remote)} --check\` shows the difference; ` +
                  `\`${jitpCommand('claim sync', this.opts.remote)} --check --repair\` rewrites the lease refs ` +
                  `from the index`,
                details: { conflict: pushed.conflict },
              },
            );
          }
          suspect = { index: view.indexCommit, refs: new Set(staleLease) };
        }
      }
      if (Date.now() - t0 > budget) {
        throw new JitpError(
          'E_REMOTE_BUSY',
          `gave up after ${stats.attempts} attempts in ${((Date.now() - t0) / 1000).toFixed(1)} s: the leases on ` +
            `'${this.opts.remote}' kept changing under us`,
          {
            hint:
              `retry the command; if it persists, ` +
              `\`${jitpCommand('claim sync', this.opts.remote)} --check\` looks for refs changed outside jitp`,
            details: { attempts: stats.attempts, conflict: pushed.conflict },
          },
        );
      }
      // Lost the race (or our view was stale): back off a little so N racers do not stay in lockstep.
      if (stats.attempts > 2) await sleep(Math.min(200, 5 * 2 ** Math.min(stats.attempts, 6)) * Math.random());
      if (stats.attempts % 10 === 0)
        this.opts.progress?.(`remote '${this.opts.remote}' is busy; attempt ${stats.attempts + 1}…`);
      viewAt = this.now();
      view = await this.refetch(stats, view, viewAt);
      fresh = true;
    }
  }

  private async refetch(stats: MutateStats, current: FetchedState, started: Date): Promise<FetchedState> {
    const v = await this.fetchView(stats, current);
    this.save(v, 'fetch', started);
    return v;
  }
}

const STATE_REFUSALS = new Set(['E_HELD', 'E_LEASE_LOST', 'E_NOT_FOUND', 'E_BIND_SECRET']);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type { Lease };
