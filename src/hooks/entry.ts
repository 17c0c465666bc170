// Entry of dist/hook.mjs: `node dist/hook.mjs <event>` with the hook JSON on stdin.
// Keep this file's static imports minimal: it runs on every edit. Handlers load lazily.
import type { HookHandler, HookOutcome } from './contract.js';
import { readFileSync } from 'node:fs';
import { fastCheck, scanConfigValue, type FastAnswer } from './fast-path.js';
import { HANDOFF_KEY, NEEDS_LIVE } from './front-shared.js';

// event argument -> lazy handler module (each exports `handler`).
const handlers: Record<string, () => Promise<{ handler: HookHandler }>> = {
  'pre-tool-use': () => import('./pre-tool-use.js'),
  'session-start': () => import('./session-start.js'),
  'subagent-start': () => import('./subagent-start.js'),
  'subagent-stop': () => import('./subagent-stop.js'),
  'worktree-create': () => import('./worktree-create.js'),
  'worktree-remove': () => import('./worktree-remove.js'),
};

// The client's event name for each argument (failure messages, block decisions).
const EVENT_NAMES: Record<string, string> = {
  'pre-tool-use': 'PreToolUse',
  'session-start': 'SessionStart',
  'subagent-start': 'SubagentStart',
  'subagent-stop': 'SubagentStop',
  'worktree-create': 'WorktreeCreate',
  'worktree-remove': 'WorktreeRemove',
};

async function readStdin(): Promise<string> {
  // Already read by the CommonJS front door (dist/hook.cjs)?
  const handed = (globalThis as Record<string, unknown>)[HANDOFF_KEY];
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

function emit(out: HookOutcome): void {
  if (out.json) process.stdout.write(JSON.stringify(out.json));
  else if (out.stdout) process.stdout.write(out.stdout);
  if (out.stderr) process.stderr.write(out.stderr);
  process.exitCode = out.exitCode === 2 ? 2 : 0;
}

/**
 * Stale remote mirrors (and, at session start, every remote in use) are refreshed by a detached
 * `jitp claim sync`; the hook never waits for the network. Costs nothing when no mirror exists.
 */
async function refreshDue(event: string, cwd: string, fast: FastAnswer): Promise<void> {
  if (!fast.loc || !fast.storeDir) return;
  let remotes = fast.stale;
  if (event === 'session-start') {
    const configured = scanConfigValue(fast.loc, 'remote', process.env);
    remotes = [...fast.mirrors, ...(configured && configured !== 'null' && configured !== '~' ? [configured] : [])];
  }
  if (!remotes.length) return;
  try {
    const { refreshMirrors } = await import('./remote-refresh.js');
    const jitpScript = exposeJitp();
    refreshMirrors({ storeDir: fast.storeDir, cwd, jitpScript, remotes, ...(fast.fetchedAtMs ? { fetchedAtMs: fast.fetchedAtMs } : {}), maxAgeSecs: fast.maxAgeSecs ?? 60, force: event === 'session-start' });
  } catch {
    /* a refresh that cannot start leaves the view as old as it was; the deny text says how old */
  }
}

/** The CLI next to this bundle, for the detached refreshes and renewals the handlers start. */
function exposeJitp(): string {
  return (process.env.JITP_HOOK_JITP ??= decodeURIComponent(new URL('./jitp.mjs', import.meta.url).pathname));
}

const event = process.argv[2] ?? '';
const load = handlers[event];
if (!load) {
  emit({}); // unknown event: say nothing, allow (never exit 1)
} else {
  let input: Record<string, unknown> | undefined;
  try {
    const raw = await readStdin();
    try {
      const v: unknown = JSON.parse(raw);
      input = v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : { __malformed: raw };
    } catch {
      input = { __malformed: raw };
    }
    const valid = input.__malformed === undefined;
    const cwd = typeof input.cwd === 'string' && input.cwd ? input.cwd : process.env.CLAUDE_PROJECT_DIR ?? process.cwd();
    const fast = valid && NEEDS_LIVE.has(event) ? fastCheck(cwd) : undefined;
    if (fast) await refreshDue(event, cwd, fast);
    if (fast && !fast.live) {
      emit({}); // no parallel work active: the path every ordinary edit takes
    } else {
      exposeJitp();
      const { handler } = await load();
      emit(await handler(input, process.env));
    }
  } catch (e) {
    // Any bug or I/O error: the explicit failure policy, never a stray exit 1.
    try {
      const { failureModeOf, failureOutcome } = await import('./failure.js');
      const { discoverRepo } = await import('../git/discover.js');
      const cwd = typeof input?.cwd === 'string' ? input.cwd : process.env.CLAUDE_PROJECT_DIR ?? process.cwd();
      const msg = (e as Error)?.message?.split('\n')[0] ?? String(e);
      emit(failureOutcome(EVENT_NAMES[event] ?? event, `hook error: ${msg}`, failureModeOf(discoverRepo(cwd)?.worktreeRoot, process.env)));
    } catch {
      emit({ json: { systemMessage: `jit-parallel: hook error: ${String(e)}; not checked, allowed.` } });
    }
  }
}
