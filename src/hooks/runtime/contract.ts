// What every hook handler returns. The entry (entry.ts) turns it into stdout, stderr and
// the exit code, so no handler can exit 1 by accident (the client treats 1 as "allow").

export interface HookOutcome {
  /** JSON object printed on stdout (e.g. a PreToolUse deny, additionalContext). */
  json?: Record<string, unknown>;
  /** Raw stdout (WorktreeCreate prints the created path). Mutually exclusive with json. */
  stdout?: string;
  /** With exitCode 2: the reason the client shows the model. */
  stderr?: string;
  /** 0 (default) or 2 (block). Nothing else is allowed. */
  exitCode?: 0 | 2;
}

/** The raw hook input; fields vary by event (see ../shared/notes/claude-code.md). */
export type HookInput = Record<string, unknown> & { hook_event_name?: string; cwd?: string };

export type HookHandler = (input: HookInput, env: NodeJS.ProcessEnv) => Promise<HookOutcome> | HookOutcome;
