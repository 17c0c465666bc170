// One hook call from raw stdin to stdout and exit code, shared by both packagings of the hooks:
// dist/hook.mjs (ESM, every event; entry.ts) and dist/hook-pre.cjs (CommonJS, PreToolUse only;
// pre-entry.ts). The same code runs in both so their answers cannot drift apart; only how a
// handler and the CLI's path are found differs (RunDeps).
import { readFileSync, writeSync } from 'node:fs';
import type { HookHandler, HookOutcome } from './contract.js';
import { fastCheck, type FastAnswer } from './fast-path.js';
import { hookConfigValue } from './context.js';
import { NEEDS_LIVE } from './front-shared.js';
import { anchorDir } from './anchor.js';
import { failureModeOf, failureOutcome } from './failure.js';
import { findRepo } from '../../workspace/repo.js';

export interface RunDeps {
  /** event argument -> its handler module. */
  handlers: Record<string, () => Promise<{ handler: HookHandler }>>;
  /** The CLI next to this bundle (for the detached refreshes and renewals handlers start). */
  jitpScript: () => string;
}

// The client's event name for each argument (failure messages, block decisions).
export const EVENT_NAMES: Record<string, string> = {
  'pre-tool-use': 'PreToolUse',
  'session-start': 'SessionStart',
  'subagent-start': 'SubagentStart',
  'subagent-stop': 'SubagentStop',
  'worktree-create': 'WorktreeCreate',
  'worktree-remove': 'WorktreeRemove',
};

/** Stdin as text: `handed` when the front door already read it. */
export async function readStdin(handed: unknown): Promise<string> {
  if (typeof handed === 'string') return handed;
  // A blocking read of fd 0 avoids loading Node's net/stream machinery (process.stdin is a
  // socket for pipes), several ms of every edit. A non-blocking stdin (EAGAIN) falls back.
  try {
    return readFileSync(0, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
  }
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Writes text to fd 1 or 2 with writeSync: process.stdout is a stream whose first use loads
 * Node's stream machinery, about 3 ms of every answer that says something (a deny, a warning).
 * A non-blocking pipe that is full (EAGAIN), or any other write error, gets the rest through the
 * stream, as before (which waits, or reports the error its own way).
 */
export function writeOut(fd: 1 | 2, text: string): void {
  const buf = Buffer.from(text, 'utf8');
  let done = 0;
  try {
    while (done < buf.length) done += writeSync(fd, buf, done, buf.length - done);
  } catch {
    (fd === 1 ? process.stdout : process.stderr).write(buf.subarray(done));
  }
}

export function emit(out: HookOutcome): void {
  if (out.json) writeOut(1, JSON.stringify(out.json));
  else if (out.stdout) writeOut(1, out.stdout);
  if (out.stderr) writeOut(2, out.stderr);
  process.exitCode = out.exitCode === 2 ? 2 : 0;
}

/**
 * Stale remote mirrors (and, at session start, every remote in use) are refreshed by a detached
 * `jitp claim sync`; the hook never waits for the network. Costs nothing when no mirror exists.
 */
async function refreshDue(event: string, cwd: string, fast: FastAnswer, deps: RunDeps): Promise<void> {
  if (!fast.loc || !fast.storeDir) return;
  const { loc, storeDir } = fast;
  try {
    // Not known to the fast path (a config its line scan cannot read, not yet cached): the loader's value.
    const maxAgeSecs =
      fast.maxAgeSecs ?? (fast.mirrors.length ? await hookConfigValue(loc, 'remoteMirrorMaxAge', process.env) : 60);
    let remotes =
      fast.maxAgeSecs !== undefined
        ? fast.stale
        : fast.mirrors.filter((r) => !(Date.now() - (fast.fetchedAtMs?.get(r) ?? NaN) <= maxAgeSecs * 1000));
    if (event === 'session-start') {
      const configured = await hookConfigValue(loc, 'remote', process.env);
      remotes = [...fast.mirrors, ...(configured ? [configured] : [])];
    }
    if (!remotes.length) return;
    const { refreshMirrors } = await import('./remote-refresh.js');
    const jitpScript = deps.jitpScript();
    refreshMirrors({
      storeDir,
      cwd,
      jitpScript,
      remotes,
      ...(fast.fetchedAtMs ? { fetchedAtMs: fast.fetchedAtMs } : {}),
      maxAgeSecs,
      force: event === 'session-start',
    });
  } catch {
    /* a refresh that cannot start leaves the view as old as it was; the deny text says how old */
  }
}

/**
 * The outcome of one hook call; never throws (any error goes through the failure policy).
 * `known`: the fast check the front door already made for this very input (same cwd), so it
 * is not made twice.
 */
export async function runHook(event: string, handed: unknown, deps: RunDeps, known?: FastAnswer): Promise<HookOutcome> {
  const load = deps.handlers[event];
  if (!load) return {}; // unknown event: say nothing, allow (never exit 1)
  let input: Record<string, unknown> | undefined;
  try {
    const raw = await readStdin(handed);
    try {
      const v: unknown = JSON.parse(raw);
      input = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { __malformed: raw };
    } catch {
      input = { __malformed: raw };
    }
    const valid = input.__malformed === undefined;
    const cwd =
      typeof input.cwd === 'string' && input.cwd ? input.cwd : (process.env.CLAUDE_PROJECT_DIR ?? process.cwd());
    let fast = valid && NEEDS_LIVE.has(event) ? (known ?? fastCheck(cwd)) : undefined;
    if (fast && !fast.loc) {
      // The session runs outside any repository: the repository of the path the tool targets.
      const at = anchorDir(input, cwd, (d) => findRepo(d) !== undefined);
      if (at !== cwd) fast = fastCheck(at);
    }
    if (fast) await refreshDue(event, cwd, fast, deps);
    if (fast && !fast.live) return {}; // no parallel work active: the path every ordinary edit takes
    deps.jitpScript();
    const { handler } = await load();
    return await handler(input, process.env);
  } catch (e) {
    // Any bug or I/O error: the explicit failure policy, never a stray exit 1.
    try {
      const cwd = typeof input?.cwd === 'string' ? input.cwd : (process.env.CLAUDE_PROJECT_DIR ?? process.cwd());
      const msg = (e as Error)?.message?.split('\n')[0] ?? String(e);
      return failureOutcome(
        EVENT_NAMES[event] ?? event,
        `hook error: ${msg}`,
        failureModeOf(findRepo(cwd)?.worktreeRoot, process.env),
      );
    } catch {
      return { json: { systemMessage: `jit-parallel: hook error: ${String(e)}; not checked, allowed.` } };
    }
  }
}
