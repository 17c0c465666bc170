// The domain's data: leases and the lease store's contract. Plain types (and one pure
// predicate), so every layer can speak of leases without importing a backend. The local backend
// (files under <git common dir>/jit-parallel/, src/store/local/) and the remote backend (refs on
// the shared git remote, src/store/remote.ts) both implement LeaseStore, and everything else
// (CLI, hooks, worktrees, merge) talks only to this interface.

export interface Lease {
  /** Stable id, e.g. `L-<12 hex>`. */
  id: string;
  /** Full issue id (full uuid when the repo has a jit store). */
  issueId: string;
  /** `type:name`, e.g. `agent:claude-main`, `claude:session-<id>`. */
  agentId: string;
  /** Worktree this lease works in: its absolute top folder, or null for the main checkout. */
  worktree: string | null;
  branch: string | null;
  /** Repo-relative POSIX paths or globs this issue may change (normalised). */
  paths: string[];
  ttlSecs: number;
  acquiredAt: string; // RFC 3339
  renewedAt: string;
  expiresAt: string;
  /** Fencing token: the store version at which this lease was granted or last changed hands. */
  token: number;
  /** Secret nonce a rendered sub-agent prompt carries to bind the sub-agent to this lease. */
  bindSecret?: string;
  /** Host that holds it (remote backend; informative locally). */
  host?: string;
  /** Free-form notes, e.g. `{ "claudeAgentIds": [...] }` recorded by hooks. */
  meta?: Record<string, unknown>;
  /**
   * Set when the lease's sub-agent stopped (SubagentStop) and no sub-agent works for it now: its
   * files then pass to a `jitp claim wait` waiter at once (docs/wait.md). A new bind clears it.
   */
  finishedAt?: string;
  /** What a `jitp claim wait` on this lease waits for (one wait per lease at a time). */
  waiting?: LeaseWait;
  /** Paths this lease handed to a waiter after it finished (so verify attributes them to both). */
  handedOff?: Array<{ path: string; toLeaseId: string; toIssueId: string; at: string }>;
}

export interface LeaseWait {
  /** The repo-relative path waited for. */
  path: string;
  since: string;
  /** The wait's deadline: after it the record is stale whoever left it. */
  until: string;
  /** The waiting process, so a killed wait is seen as gone before its deadline (same host). */
  pid: number;
  host: string;
}

export interface StoreSnapshot {
  schemaVersion: number;
  /** Monotonic store version; every committed change increments it. */
  version: number;
  /** Live and not-yet-swept leases; callers filter by `isLive(lease, now)`. */
  leases: Lease[];
}

export interface AcquireRequest {
  issueId: string;
  agentId: string;
  paths: string[];
  ttlSecs?: number;
  worktree?: string | null;
  branch?: string | null;
  reason?: string;
  meta?: Record<string, unknown>;
}

/** Compare-and-set key: only the holder with the current token may change a lease. */
export interface LeaseRef {
  issueId: string;
  agentId: string;
  /** When given, must equal the lease's token; omitted = the agent's current lease on the issue. */
  token?: number;
}

export interface LeaseStore {
  /** Never blocks on writers; returns the last committed state. */
  read(): Promise<StoreSnapshot>;
  acquire(req: AcquireRequest): Promise<Lease>;
  renew(ref: LeaseRef, opts?: { ttlSecs?: number }): Promise<Lease>;
  extend(ref: LeaseRef, paths: string[], reason?: string): Promise<Lease>;
  release(ref: LeaseRef, reason?: string): Promise<Lease>;
  /** Admin: removes any lease, recorded with who and why. */
  evict(leaseId: string, by: string, reason: string): Promise<Lease>;
  /**
   * Binds a Claude Code sub-agent (`agent_id` from hook input) to a lease, after checking the
   * secret from its prompt's binding line. Idempotent. Recorded in lease.meta.claudeAgentIds.
   */
  bind(leaseId: string, secret: string, claudeAgentId: string): Promise<Lease>;
  /** Marks a lease finished (its sub-agent stopped); idempotent. */
  finish(leaseId: string, by: string): Promise<Lease>;
  /** Records (or, with null, clears) what the caller's lease waits for. */
  setWaiting(ref: LeaseRef, wait: LeaseWait | null): Promise<Lease>;
  /** Extends the caller's lease by `paths`, taking them from finished leases (the hand-off). */
  take(ref: LeaseRef, paths: string[], reason?: string): Promise<Lease>;
  /** Appends an event to the log without changing leases (sub-agent start/stop, warnings). */
  note(event: { type: string; by: string; issueId?: string; leaseId?: string; [k: string]: unknown }): Promise<void>;
}

export const isLive = (lease: Lease, nowMs: number = Date.now()): boolean => Date.parse(lease.expiresAt) > nowMs;
