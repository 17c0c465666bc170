// Typed errors carry what a person needs to act: a stable code, the exit status the
// CLI maps it to, and a hint with the exact command that fixes it.

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

export interface JitpErrorOptions {
  hint?: string;
  /** Extra machine-readable context, printed under `error.details` with --json. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

export class JitpError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, exitCode: ExitCode, message: string, opts: JitpErrorOptions = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'JitpError';
    this.code = code;
    this.exitCode = exitCode;
    this.hint = opts.hint;
    this.details = opts.details;
  }

  toJSON(): { code: string; message: string; hint?: string; exitCode: number; details?: Record<string, unknown> } {
    return {
      code: this.code,
      message: this.message,
      ...(this.hint ? { hint: this.hint } : {}),
      exitCode: this.exitCode,
      ...(this.details ? { details: this.details } : {}),
    };
  }
}

export const usageError = (message: string, hint?: string, details?: Record<string, unknown>) =>
  new JitpError('E_USAGE', EXIT.USAGE, message, { hint, details });

export const isJitpError = (e: unknown): e is JitpError => e instanceof JitpError;
