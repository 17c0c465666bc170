// Typed errors carry what a person needs to act: a stable code, the exit status that code
// always maps to (one table, below), and a hint with the exact command that fixes it.
// Platform layer: imports nothing of ours, safe for the hooks' hot path.

/** Documented exit codes of `jitp` (README, "Exit codes"). Never renumber. */
export const EXIT = {
  OK: 0,
  /** The command ran but found something that needs a human (verify, merge stop, doctor). */
  FAILURE: 1,
  /** Bad arguments or bad input (unknown flag, invalid id, malformed file). */
  USAGE: 2,
  /** The issue or a path is held by another live lease. */
  HELD: 3,
  /** Unknown or ambiguous issue id, unknown lease. */
  NOT_FOUND: 4,
  /** The lease store is unreadable, corrupt, locked too long, or not writable. */
  STORE: 5,
  /** Compare-and-set lost: the lease was renewed, released or evicted by someone else. */
  LEASE_LOST: 6,
  /** Not inside a git repository, or a git command failed. */
  GIT: 7,
  /** The configuration file is invalid. */
  CONFIG: 8,
  /** A required identity (agent id) is missing. */
  IDENTITY: 9,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/**
 * Every error code jitp uses, and the exit status it always gives. A code is added here, never
 * chosen at a throw site, so the same problem exits the same way everywhere (docs/errors.md).
 */
export const ERROR_EXITS = {
  // 1: the command ran and found something that needs a human
  E_INTERNAL: EXIT.FAILURE,
  E_DIRTY_MAIN: EXIT.FAILURE,
  E_HOOK_INSTALL: EXIT.FAILURE,
  E_MERGE_GONE: EXIT.FAILURE,
  E_MERGE_IN_PROGRESS: EXIT.FAILURE,
  E_MERGE_STOPPED: EXIT.FAILURE,
  E_POSTCREATE: EXIT.FAILURE,
  E_REFUSED: EXIT.FAILURE,
  E_RUNNING: EXIT.FAILURE,
  E_SKIP_REFUSED: EXIT.FAILURE,
  E_STILL_CONFLICTED: EXIT.FAILURE,
  E_TEMPLATE: EXIT.FAILURE,
  E_BATCH_VANISHED: EXIT.FAILURE,
  E_DEADLOCK: EXIT.FAILURE,
  // 2: bad arguments or bad input
  E_USAGE: EXIT.USAGE,
  E_BAD_ID: EXIT.USAGE,
  E_BASE_MISMATCH: EXIT.USAGE,
  E_BATCH_CORRUPT: EXIT.USAGE,
  E_BATCH_FILE: EXIT.USAGE,
  E_BIND_SECRET: EXIT.USAGE,
  E_BRANCH_EXISTS: EXIT.USAGE,
  E_DEP_CYCLE: EXIT.USAGE,
  E_DETACHED: EXIT.USAGE,
  E_ISSUE_FILE: EXIT.USAGE,
  E_NOTHING_TO_SKIP: EXIT.USAGE,
  E_NOT_ON_INTEGRATION: EXIT.USAGE,
  E_PATH_ESCAPE: EXIT.USAGE,
  E_PATH_EXISTS: EXIT.USAGE,
  E_TASKS_EMPTY: EXIT.USAGE,
  E_TASKS_READ: EXIT.USAGE,
  // 3: held by another live lease
  E_HELD: EXIT.HELD,
  E_WAIT_TIMEOUT: EXIT.HELD,
  // 4: unknown or ambiguous id, unknown lease, nothing to act on
  E_NOT_FOUND: EXIT.NOT_FOUND,
  E_AMBIGUOUS_ID: EXIT.NOT_FOUND,
  E_UNKNOWN_ISSUE: EXIT.NOT_FOUND,
  E_NO_BATCH: EXIT.NOT_FOUND,
  // 5: the lease store
  E_STORE: EXIT.STORE,
  E_STORE_CORRUPT: EXIT.STORE,
  E_STORE_SCHEMA: EXIT.STORE,
  E_STORE_WRITE: EXIT.STORE,
  E_LOCKED: EXIT.STORE,
  E_REMOTE_BUSY: EXIT.STORE,
  E_REMOTE_CORRUPT: EXIT.STORE,
  E_REMOTE_DRIFT: EXIT.STORE,
  // 6: compare-and-set lost
  E_LEASE_LOST: EXIT.LEASE_LOST,
  // 7: git
  E_GIT: EXIT.GIT,
  E_GIT_SPAWN: EXIT.GIT,
  E_NOT_A_REPO: EXIT.GIT,
  E_NO_BASE: EXIT.GIT,
  E_BASE_VERIFY: EXIT.GIT,
  E_REMOTE_NO_ATOMIC: EXIT.GIT,
  E_REMOTE_REJECTED: EXIT.GIT,
  E_REMOTE_TIMEOUT: EXIT.GIT,
  E_REMOTE_UNREACHABLE: EXIT.GIT,
  E_GH_FAILED: EXIT.GIT,
  // 8: configuration
  E_CONFIG: EXIT.CONFIG,
  E_NO_SOURCE: EXIT.CONFIG,
  E_GH_MISSING: EXIT.CONFIG,
  E_GH_AUTH: EXIT.CONFIG,
  // 9: identity
  E_IDENTITY: EXIT.IDENTITY,
  E_AGENT_MISMATCH: EXIT.IDENTITY,
} as const satisfies Record<`E_${string}`, ExitCode>;

export type ErrorCode = keyof typeof ERROR_EXITS;

export const exitCodeOf = (code: ErrorCode): ExitCode => ERROR_EXITS[code];

export const isErrorCode = (s: unknown): s is ErrorCode =>
  typeof s === 'string' && Object.prototype.hasOwnProperty.call(ERROR_EXITS, s);

export interface JitpErrorOptions {
  hint?: string | undefined;
  /** Extra machine-readable context, printed under `error.details` with --json. */
  details?: Record<string, unknown> | undefined;
  cause?: unknown;
}

export interface JitpErrorJson {
  code: ErrorCode;
  message: string;
  hint?: string;
  exitCode: number;
  details?: Record<string, unknown>;
}

// A global symbol, so a JitpError made by one bundle (dist/hook-pre.cjs, a lazy chunk) is an
// instance for `instanceof` in every other bundle loaded into the same process.
const BRAND: unique symbol = Symbol.for('jit-parallel.JitpError') as never;

export class JitpError extends Error {
  readonly [BRAND] = true;
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, opts: JitpErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'JitpError';
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details;
  }

  /** Always the table's exit status for this code. */
  get exitCode(): ExitCode {
    return ERROR_EXITS[this.code] ?? EXIT.FAILURE;
  }

  static override [Symbol.hasInstance](x: unknown): boolean {
    return typeof x === 'object' && x !== null && (x as Record<PropertyKey, unknown>)[BRAND] === true;
  }

  toJSON(): JitpErrorJson {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      exitCode: this.exitCode,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

export const usageError = (message: string, hint?: string, details?: Record<string, unknown>): JitpError =>
  new JitpError('E_USAGE', message, { hint, details });

export const isJitpError = (e: unknown): e is JitpError => e instanceof JitpError;
