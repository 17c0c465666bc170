// The lease rules as pure functions: (snapshot, request, now) -> new snapshot + events, or a
// typed error. Both backends (local files, git remote) run exactly these rules inside their
// own transaction, so "who wins" never depends on the backend.
//
// Invariants:
// - A lease counts only while now < expiresAt; expired leases are swept by the next change.
// - Every committed change increments `version` by exactly one.
// - The fencing token is the version at which the lease was granted; renew/extend keep it, a
//   takeover after expiry gets a new one. Renew/extend/release are compare-and-set on (agent,
//   token): a holder that slept past its TTL cannot touch a lease since granted to someone else.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { formatTimeLeft, secondsUntil } from '../platform/duration.js';
import { JitpError } from '../platform/errors.js';
import { globsOverlap } from './globs.js';
import { isLive, type AcquireRequest, type Lease, type LeaseRef, type StoreSnapshot } from './model.js';
import { jitpCommand } from './shell-quote.js';

export const SCHEMA_VERSION = 1;
export const DEFAULT_TTL_SECS = 1800;
export const MAX_TTL_SECS = 7 * 24 * 3600;

export type LeaseEventType =
  | 'acquire'
  | 'renew'
  | 'extend'
  | 'release'
  | 'evict'
  | 'bind'
  | 'expire'
  | 'note'
  // core/wait-rules.ts: a sub-agent stopped, a wait began or ended, a finished lease gave a path away
  | 'finish'
  | 'wait'
  | 'handoff';

/** One line of the event log. Lease-changing events carry the full lease after the change. */
export interface LeaseEvent {
  /** Store version after the change this event belongs to (notes: the version they saw). */
  version: number;
  at: string;
  type: LeaseEventType;
  /** Agent (or `jitp` for sweeps) that made the change. */
  by: string;
  issueId?: string;
  leaseId?: string;
  reason?: string;
  /** acquire/renew/extend/bind: the lease as it is after the change. */
  lease?: Lease;
  /** acquire: id of an expired lease on the same issue that this one replaced. */
  takeoverOf?: string;
  [k: string]: unknown;
}

export interface Change {
  snapshot: StoreSnapshot;
  events: LeaseEvent[];
  /** The lease the caller asked about (after the change; for release/evict: as it was). */
  lease: Lease;
  /** False when nothing changed (idempotent bind): no write needed. */
  changed: boolean;
}

export interface Clock {
  nowMs: number;
  /** Random hex source (tests pass a deterministic one). */
  randomHex?: (bytes: number) => string;
}

const hex = (c: Clock, n: number) => (c.randomHex ?? ((b: number) => randomBytes(b).toString('hex')))(n);
const iso = (ms: number) => new Date(ms).toISOString();
/** One definition of liveness for every backend and reader: the store's `isLive`. */
export const isLiveAt: (l: Lease, nowMs: number) => boolean = isLive;

export const emptySnapshot = (): StoreSnapshot => ({ schemaVersion: SCHEMA_VERSION, version: 0, leases: [] });

export function heldError(holder: Lease, nowMs: number, what: string, paths?: Array<[string, string]>): JitpError {
  return new JitpError(
    'E_HELD',
    `${what} held by ${holder.agentId} (issue ${holder.issueId}, lease ${holder.id}, token ${holder.token}) until ` +
      `${holder.expiresAt} (${formatTimeLeft(secondsUntil(holder.expiresAt, nowMs))})`,
    {
      hint:
        `wait for it to expire or be released (\`${jitpCommand('claim status --issue', holder.issueId)}\`); an ` +
        `admin can run \`${jitpCommand('claim evict', holder.id)} --reason "<why>"\``,
      details: {
        holder: {
          leaseId: holder.id,
          agentId: holder.agentId,
          issueId: holder.issueId,
          token: holder.token,
          expiresAt: holder.expiresAt,
          paths: holder.paths,
        },
        ...(paths ? { overlaps: paths.map(([mine, theirs]) => ({ requested: mine, held: theirs })) } : {}),
      },
    },
  );
}

function lostError(ref: LeaseRef, why: string, current?: Lease): JitpError {
  return new JitpError('E_LEASE_LOST', `lease lost on issue ${ref.issueId} for ${ref.agentId}: ${why}`, {
    hint:
      `acquire it again with \`${jitpCommand('claim acquire', ref.issueId)}\` (and check ` +
      `\`${jitpCommand('claim status --issue', ref.issueId)}\`)`,
    details: {
      issueId: ref.issueId,
      agentId: ref.agentId,
      token: ref.token ?? null,
      current: current ? { leaseId: current.id, agentId: current.agentId, token: current.token } : null,
    },
  });
}

// Someone else's lease (or the caller's, under another identity): not "lost", and acquiring
// again would only fail on the same holder. Same code as a lost lease (the compare-and-set failed).
function heldByOtherError(ref: LeaseRef, cur: Lease): JitpError {
  return new JitpError(
    'E_LEASE_LOST',
    `issue ${ref.issueId} is held by ${cur.agentId} (lease ${cur.id}, token ${cur.token}), not by ${ref.agentId}`,
    {
      hint:
        `if that lease is yours under another identity, act as it: --agent ${cur.agentId} (or export ` +
        `JIT_AGENT_ID=${cur.agentId}); otherwise it is not yours to change: see \`jitp claim status --issue ` +
        `${ref.issueId}\`, wait for it to be released or expire, or evict it: \`jitp claim evict ${cur.id} ` +
        `--reason "<why>"\``,
      details: {
        issueId: ref.issueId,
        agentId: ref.agentId,
        token: ref.token ?? null,
        current: { leaseId: cur.id, agentId: cur.agentId, token: cur.token },
        holder: { leaseId: cur.id, agentId: cur.agentId, issueId: cur.issueId, token: cur.token },
      },
    },
  );
}

function checkTtl(ttl: number): number {
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_TTL_SECS) {
    throw new JitpError('E_USAGE', `invalid TTL ${ttl}s: must be 1s to ${MAX_TTL_SECS / 86400} days`, {
      hint: 'e.g. --ttl 30m',
    });
  }
  return ttl;
}

/** Removes expired leases; returns the survivors and one `expire` event each. */
export function sweepInto(leases: Lease[], nowMs: number, version: number): { live: Lease[]; events: LeaseEvent[] } {
  const live: Lease[] = [];
  const events: LeaseEvent[] = [];
  for (const l of leases) {
    if (isLiveAt(l, nowMs)) live.push(l);
    else
      events.push({
        version,
        at: iso(nowMs),
        type: 'expire',
        by: 'jitp',
        issueId: l.issueId,
        leaseId: l.id,
        reason: `expired at ${l.expiresAt}`,
      });
  }
  return { live, events };
}

/** Paths of `wanted` overlapping live leases other than `self`; throws E_HELD on the first holder. */
export function checkPaths(live: Lease[], wanted: string[], selfId: string | undefined, nowMs: number): void {
  const first = firstOverlapping(live, wanted, selfId);
  if (first === undefined) return;
  const other = live[first]!;
  const pairs: Array<[string, string]> = [];
  for (const w of wanted) for (const h of other.paths) if (globsOverlap(w, h)) pairs.push([w, h]);
  throw heldError(other, nowMs, `path ${pairs[0]![0]} overlaps ${pairs[0]![1]},`, pairs);
}

// Glob syntax or escapes, or an empty, `.` or `..` segment.
const NOT_PLAIN = /[*?[\]{}\\]|(?:^|\/)\.{0,2}(?:\/|$)/;
/**
 * A path the glob engine reads as one literal name: two such paths overlap exactly when they are
 * equal, so a Map finds them.
 */
export const isPlainPath = (p: string): boolean => !NOT_PLAIN.test(p);

/**
 * Position (in `live`) of the first lease other than `selfId` holding a path that overlaps one of
 * `wanted`, or undefined. Literal paths are matched through a Map and only globs are compared
 * pairwise, so an acquire against 1,000 leases costs about what it costs against 10 (comparing
 * every pair made building a 1,000-lease store quadratic: docs/benchmarks.md).
 */
export function firstOverlapping(
  live: readonly Lease[],
  wanted: readonly string[],
  selfId?: string,
): number | undefined {
  if (!wanted.length) return undefined;
  const plain = new Map<string, number>();
  const other: Array<{ at: number; path: string }> = [];
  live.forEach((l, at) => {
    if (l.id === selfId) return;
    for (const p of l.paths) {
      if (!isPlainPath(p)) other.push({ at, path: p });
      else if (!plain.has(p)) plain.set(p, at);
    }
  });
  let best: number | undefined;
  const see = (at: number | undefined) => {
    if (at !== undefined && (best === undefined || at < best)) best = at;
  };
  for (const w of wanted) {
    if (isPlainPath(w)) see(plain.get(w));
    else for (const [p, at] of plain) if ((best === undefined || at < best) && globsOverlap(w, p)) see(at);
    for (const o of other) if ((best === undefined || o.at < best) && globsOverlap(w, o.path)) see(o.at);
  }
  return best;
}

const dedupe = (xs: string[]) => [...new Set(xs)];

export interface LeaseOverlap {
  a: Lease;
  b: Lease;
  /** The overlapping path entries: [a's, b's]. */
  paths: Array<[string, string]>;
}

/**
 * Pairs of live leases that hold one path at once. The store's own writes never make one (each
 * acquire and extend checks), so a pair means a hand-edited state, a merge of two stores, or a
 * bug: `jitp doctor` reports it, since the hooks would refuse both holders' edits.
 */
export function liveOverlaps(leases: readonly Lease[], nowMs: number): LeaseOverlap[] {
  const live = leases.filter((l) => isLiveAt(l, nowMs));
  const out: LeaseOverlap[] = [];
  for (let i = 0; i < live.length; i++)
    for (let j = i + 1; j < live.length; j++) {
      const paths: Array<[string, string]> = [];
      for (const x of live[i]!.paths) for (const y of live[j]!.paths) if (globsOverlap(x, y)) paths.push([x, y]);
      if (paths.length) out.push({ a: live[i]!, b: live[j]!, paths });
    }
  return out;
}

export function findRef(live: Lease[], ref: LeaseRef): Lease {
  const cur = live.find((l) => l.issueId === ref.issueId);
  if (!cur) throw lostError(ref, 'no live lease on this issue (expired, released or evicted)');
  if (cur.agentId !== ref.agentId) throw heldByOtherError(ref, cur);
  if (ref.token !== undefined && cur.token !== ref.token)
    throw lostError(ref, `token ${ref.token} is stale (current ${cur.token}: granted again since)`, cur);
  return cur;
}

export function commit(base: StoreSnapshot, leases: Lease[], events: LeaseEvent[], lease: Lease): Change {
  return {
    snapshot: { schemaVersion: SCHEMA_VERSION, version: base.version + 1, leases },
    events,
    lease,
    changed: true,
  };
}

export function acquire(s: StoreSnapshot, req: AcquireRequest & { ttlSecs: number; host?: string }, c: Clock): Change {
  const now = c.nowMs;
  const version = s.version + 1;
  const { live, events } = sweepInto(s.leases, now, version);
  const ttl = checkTtl(req.ttlSecs);
  const paths = dedupe(req.paths);
  const mine = live.find((l) => l.issueId === req.issueId);
  if (mine && mine.agentId !== req.agentId) throw heldError(mine, now, `issue ${req.issueId}`);
  checkPaths(live, paths, mine?.id, now);
  if (mine) {
    // Re-acquire by the holder: a renew that may add paths; the token stays (nothing changed hands).
    const lease: Lease = {
      ...mine,
      paths: dedupe([...mine.paths, ...paths]),
      // A claim taken in the shared checkout that later gets its worktree (`jitp worktree add`)
      // learns where it is worked; a lease that already names one keeps it.
      worktree: mine.worktree ?? req.worktree ?? null,
      branch: mine.worktree ? mine.branch : (req.branch ?? mine.branch),
      ttlSecs: ttl,
      renewedAt: iso(now),
      expiresAt: iso(now + ttl * 1000),
    };
    events.push({
      version,
      at: iso(now),
      type: 'renew',
      by: req.agentId,
      issueId: req.issueId,
      leaseId: lease.id,
      reason: req.reason ?? 're-acquired by holder',
      lease,
    });
    return commit(
      s,
      live.map((l) => (l.id === mine.id ? lease : l)),
      events,
      lease,
    );
  }
  const expiredSame = s.leases.find((l) => l.issueId === req.issueId && !isLiveAt(l, now));
  const lease: Lease = {
    id: `L-${hex(c, 6)}`,
    issueId: req.issueId,
    agentId: req.agentId,
    worktree: req.worktree ?? null,
    branch: req.branch ?? null,
    paths,
    ttlSecs: ttl,
    acquiredAt: iso(now),
    renewedAt: iso(now),
    expiresAt: iso(now + ttl * 1000),
    token: version,
    bindSecret: hex(c, 16),
    ...(req.host ? { host: req.host } : {}),
    ...(req.meta ? { meta: req.meta } : {}),
  };
  events.push({
    version,
    at: iso(now),
    type: 'acquire',
    by: req.agentId,
    issueId: req.issueId,
    leaseId: lease.id,
    ...(req.reason ? { reason: req.reason } : {}),
    ...(expiredSame ? { takeoverOf: expiredSame.id } : {}),
    lease,
  });
  return commit(s, [...live, lease], events, lease);
}

export function renew(s: StoreSnapshot, ref: LeaseRef, c: Clock, ttlSecs?: number): Change {
  const now = c.nowMs;
  const version = s.version + 1;
  const { live, events } = sweepInto(s.leases, now, version);
  const cur = findRef(live, ref);
  const ttl = checkTtl(ttlSecs ?? cur.ttlSecs);
  const lease: Lease = { ...cur, ttlSecs: ttl, renewedAt: iso(now), expiresAt: iso(now + ttl * 1000) };
  events.push({ version, at: iso(now), type: 'renew', by: ref.agentId, issueId: cur.issueId, leaseId: cur.id, lease });
  return commit(
    s,
    live.map((l) => (l.id === cur.id ? lease : l)),
    events,
    lease,
  );
}

export function extend(s: StoreSnapshot, ref: LeaseRef, paths: string[], c: Clock, reason?: string): Change {
  const now = c.nowMs;
  const version = s.version + 1;
  const { live, events } = sweepInto(s.leases, now, version);
  const cur = findRef(live, ref);
  const added = dedupe(paths).filter((p) => !cur.paths.includes(p));
  checkPaths(live, added, cur.id, now);
  const lease: Lease = { ...cur, paths: [...cur.paths, ...added] };
  events.push({
    version,
    at: iso(now),
    type: 'extend',
    by: ref.agentId,
    issueId: cur.issueId,
    leaseId: cur.id,
    added,
    ...(reason ? { reason } : {}),
    lease,
  });
  return commit(
    s,
    live.map((l) => (l.id === cur.id ? lease : l)),
    events,
    lease,
  );
}

export function release(s: StoreSnapshot, ref: LeaseRef, c: Clock, reason?: string): Change {
  const now = c.nowMs;
  const version = s.version + 1;
  const { live, events } = sweepInto(s.leases, now, version);
  const cur = findRef(live, ref);
  events.push({
    version,
    at: iso(now),
    type: 'release',
    by: ref.agentId,
    issueId: cur.issueId,
    leaseId: cur.id,
    token: cur.token,
    ...(reason ? { reason } : {}),
  });
  return commit(
    s,
    live.filter((l) => l.id !== cur.id),
    events,
    cur,
  );
}

export function evict(s: StoreSnapshot, leaseId: string, by: string, reason: string, c: Clock): Change {
  const now = c.nowMs;
  const version = s.version + 1;
  if (!reason || !reason.trim()) {
    throw new JitpError('E_USAGE', 'evict needs a reason (it is recorded in the event log)', {
      hint: `${jitpCommand('claim evict', leaseId)} --reason "<why>"`,
    });
  }
  const target = s.leases.find((l) => l.id === leaseId);
  if (!target) {
    throw new JitpError('E_NOT_FOUND', `no lease ${leaseId} in the store`, {
      hint: 'list leases with `jitp claim list`',
    });
  }
  const { live, events } = sweepInto(
    s.leases.filter((l) => l.id !== leaseId),
    now,
    version,
  );
  events.push({
    version,
    at: iso(now),
    type: 'evict',
    by,
    issueId: target.issueId,
    leaseId,
    reason,
    evicted: target.agentId,
    token: target.token,
  });
  return commit(s, live, events, target);
}

function secretsEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  // Compare equal-length buffers only, so the time spent does not reveal how much matched.
  if (x.length !== y.length) {
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

export function bind(s: StoreSnapshot, leaseId: string, secret: string, claudeAgentId: string, c: Clock): Change {
  const now = c.nowMs;
  const cur = s.leases.find((l) => l.id === leaseId && isLiveAt(l, now));
  if (!cur) {
    throw new JitpError('E_NOT_FOUND', `no live lease ${leaseId} to bind to`, {
      hint: 'the lease expired or was released; re-render the prompt after `jitp claim acquire`',
    });
  }
  if (!cur.bindSecret || !secretsEqual(cur.bindSecret, secret)) {
    throw new JitpError('E_BIND_SECRET', `binding secret does not match lease ${leaseId}`, {
      hint: 'render the sub-agent prompt with `jitp prompt`; never copy binding lines by hand',
    });
  }
  const ids = Array.isArray(cur.meta?.claudeAgentIds)
    ? (cur.meta!.claudeAgentIds as unknown[]).filter((x): x is string => typeof x === 'string')
    : [];
  if (ids.includes(claudeAgentId)) return { snapshot: s, events: [], lease: cur, changed: false };
  const version = s.version + 1;
  const { live, events } = sweepInto(s.leases, now, version);
  // A new sub-agent works for the lease again: it is no longer finished (core/wait-rules.ts).
  const { finishedAt: _done, ...rest } = cur;
  const lease: Lease = { ...rest, meta: { ...(cur.meta ?? {}), claudeAgentIds: [...ids, claudeAgentId] } };
  events.push({
    version,
    at: iso(now),
    type: 'bind',
    by: cur.agentId,
    issueId: cur.issueId,
    leaseId,
    claudeAgentId,
    lease,
  });
  return commit(
    s,
    live.map((l) => (l.id === cur.id ? lease : l)),
    events,
    lease,
  );
}

/** Sweeps expired leases; `changed` false when none had expired. */
export function sweep(s: StoreSnapshot, c: Clock): { snapshot: StoreSnapshot; events: LeaseEvent[]; changed: boolean } {
  const version = s.version + 1;
  const { live, events } = sweepInto(s.leases, c.nowMs, version);
  if (!events.length) return { snapshot: s, events: [], changed: false };
  return { snapshot: { schemaVersion: SCHEMA_VERSION, version, leases: live }, events, changed: true };
}

const REPLAYED = new Set<LeaseEventType>(['acquire', 'renew', 'extend', 'bind', 'finish', 'wait', 'handoff']);

/**
 * Rebuilds a snapshot from log events (doctor --repair). Events may repeat or arrive out of
 * order (a union merge, a re-appended tail); they are applied by version, last write wins per lease.
 */
export function replay(events: readonly LeaseEvent[]): StoreSnapshot {
  const byVersion = [...events].filter((e) => e.type !== 'note').sort((a, b) => a.version - b.version);
  const leases = new Map<string, Lease>();
  let version = 0;
  for (const e of byVersion) {
    version = Math.max(version, e.version);
    if (e.lease && REPLAYED.has(e.type)) leases.set(e.lease.id, e.lease);
    else if (e.leaseId && (e.type === 'release' || e.type === 'evict' || e.type === 'expire')) leases.delete(e.leaseId);
  }
  return { schemaVersion: SCHEMA_VERSION, version, leases: [...leases.values()] };
}
