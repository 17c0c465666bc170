// A sub-agent's first binding (issue 13, item 2, the gap bind-once left): a lease binds only a
// sub-agent started AFTER the lease was acquired. The orchestrator acquires, renders the prompt
// (`jitp prompt`), then dispatches; a sub-agent that was already running when a lease was taken
// can only have learned that lease's secret by reading what it must not (the store, a sibling's
// transcript). Bind-once alone could not stop it when all its earlier calls came while nothing
// was live (none was recorded), so its first binding is checked against when it started.
//
// When it started: SubagentStart writes `<store>/agents/<id>.start.json` (exclusive create,
// creating the store folder if need be), so the time is known even where nothing was live. The
// start is the earliest of that record's `at`, the record file's own birth time (ctime where the
// file system keeps none) and the sub-agent transcript's birth time (the client creates it when
// the sub-agent starts): a record rewritten in place keeps its birth time, and a replaced one must
// be replaced together with the transcript to move the start later. Without either (no
// SubagentStart ran, a file system without birth times) the start is unknown and nothing is
// refused for it: the earlier guards (bind once, protected reads) still apply.
//
// Loaded lazily by the live edit path (dist/lazy/first-binding.cjs): it runs once per sub-agent.
import { closeSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseBindingLine } from '../../core/binding.js';
import type { Actor } from '../../core/hook-decision.js';
import type { Lease } from '../../core/model.js';
import { jitpCommand } from '../../core/shell-quote.js';
import type { ResolveOpts, Resolved } from './binding-resolve.js';
import { firstLine, initialPromptOf, subagentTranscriptPath } from './transcript-read.js';

/**
 * File times come from the kernel's coarse clock (a tick, 4 to 10 ms, behind `Date.now()`, which
 * stamps `acquiredAt`): a lease acquired within this much of the start still binds.
 */
export const START_SLACK_MS = 20;

export const startRecordPath = (storeDir: string, agentId: string): string =>
  join(storeDir, 'agents', `${agentId}.start.json`);

export interface StartRecord {
  /** When SubagentStart ran (RFC 3339). */
  at: string;
  /** The linked worktree (realpath) it started in: the client's `isolation: "worktree"`. */
  worktree?: string;
}

/**
 * SubagentStart: the start record, made once (a second start of the same id, a resumed
 * sub-agent, keeps the first). Creates `<store>/agents/` when needed: the store folder then exists
 * without a state file, which the fast path still answers as "nothing live". Never throws.
 */
export function writeStartRecord(storeDir: string, agentId: string, rec: StartRecord): void {
  const file = startRecordPath(storeDir, agentId);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      try {
        writeSync(fd, `${JSON.stringify(rec)}\n`);
      } finally {
        closeSync(fd);
      }
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt > 0) return;
      try {
        mkdirSync(join(storeDir, 'agents'), { recursive: true, mode: 0o700 });
      } catch {
        return; // a read-only repository: the start stays unknown (see the header)
      }
    }
  }
}

export interface SubagentStart {
  ms: number;
  /** What said so, for the refusal: `start record` or `transcript`. */
  from: string;
  worktree?: string;
}

/** File creation time: birth time where the file system keeps one, else the inode change time. */
const bornMs = (file: string): number | undefined => {
  try {
    const st = statSync(file);
    return st.birthtimeMs > 0 ? st.birthtimeMs : st.ctimeMs;
  } catch {
    return undefined;
  }
};

/** When the sub-agent started, as far as can be told (see the header); undefined: not known. */
export function subagentStart(
  storeDir: string | undefined,
  agentId: string,
  transcript: string | undefined,
): SubagentStart | undefined {
  let out: SubagentStart | undefined;
  const earlier = (ms: number | undefined, from: string) => {
    if (ms !== undefined && Number.isFinite(ms) && (!out || ms < out.ms)) out = { ...out, ms, from };
  };
  if (storeDir) {
    const file = startRecordPath(storeDir, agentId);
    earlier(bornMs(file), 'start record');
    if (out) {
      try {
        const r = JSON.parse(readFileSync(file, 'utf8')) as Partial<StartRecord>;
        if (typeof r.at === 'string') earlier(Date.parse(r.at), 'start record');
        if (typeof r.worktree === 'string') out = { ...out, worktree: r.worktree };
      } catch {
        /* damaged: its file time still counts */
      }
    }
  }
  // The transcript's birth time only: its ctime moves with every record the client appends.
  if (transcript) {
    try {
      const b = statSync(transcript).birthtimeMs;
      if (b > 0) earlier(b, 'its transcript');
    } catch {
      /* no transcript yet */
    }
  }
  return out;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** The refusal when `lease` was acquired after the sub-agent started; undefined: it may bind. */
export function lateBinding(lease: Lease, start: SubagentStart | undefined, agentId: string): string | undefined {
  const acquired = Date.parse(lease.acquiredAt);
  if (!start || !(acquired > start.ms + START_SLACK_MS)) return undefined;
  return (
    `jit-parallel: sub-agent ${agentId} was not bound to lease ${lease.id} (issue ${lease.issueId}): the lease ` +
    `was acquired at ${iso(acquired)}, after this sub-agent started (${iso(start.ms)}, from ${start.from}). ` +
    `A lease binds only sub-agents dispatched after it was acquired, so a secret learned later binds nothing; ` +
    `this sub-agent works unbound and may not change that lease's files. To have a sub-agent work on ` +
    `${lease.issueId}, the orchestrator acquires the lease first, renders the prompt ` +
    `(\`${jitpCommand('prompt', lease.issueId)}\`) and dispatches a NEW sub-agent with it.`
  );
}

/** The worktree step of the lookup: a lease on the worktree the sub-agent runs in. */
export function lateByWorktree(opts: ResolveOpts, agentId: string, lease: Lease, root: string): string | undefined {
  const start = subagentStart(opts.bindRecords?.storeDir, agentId, subagentTranscriptPath(opts.input, agentId));
  // Started in that very worktree (isolation: "worktree"): the worktree was made for its work,
  // and a lease taken on it afterwards binds it by place (never by a prompt line).
  if (start?.worktree === root) return undefined;
  return lateBinding(lease, start, agentId);
}

/** The prompt step of the lookup: the binding line on the first line of its own initial prompt. */
export async function bindByPrompt(opts: ResolveOpts, agentId: string, bound: (l: Lease) => Actor): Promise<Resolved> {
  const { input, live } = opts;
  const isRemote = opts.isRemote ?? (() => false);
  const file = subagentTranscriptPath(input, agentId);
  const prompt = file ? initialPromptOf(firstLine(file), agentId) : undefined;
  const b = prompt ? parseBindingLine(prompt) : undefined;
  if (!b) return { actor: { subagentId: agentId } };
  const target = live.find((l) => l.id === b.leaseId);
  if (!target) {
    return {
      actor: { subagentId: agentId },
      warning:
        `jit-parallel: sub-agent ${agentId} carries a binding for lease ${b.leaseId}, which is not live ` +
        `(released or expired); it works unbound.`,
    };
  }
  // Checked before the store is asked: a late binding is refused whatever its secret.
  const late = lateBinding(target, subagentStart(opts.bindRecords?.storeDir, agentId, file), agentId);
  if (late) return { actor: { subagentId: agentId }, warning: late, late: true };
  try {
    const store = await opts.store(b.leaseId);
    const lease = await store.bind(b.leaseId, b.secret, agentId);
    return { actor: bound(lease), via: 'prompt' };
  } catch (e) {
    // The remote could not record the binding (unreachable, timed out…), but the secret is
    // checked here against the one this clone kept when it acquired the lease: the binding is
    // proven, only not yet recorded; the next call tries to record it again.
    const code = (e as { code?: unknown }).code;
    if (
      isRemote(target.id) &&
      typeof code === 'string' &&
      code.startsWith('E_REMOTE_') &&
      target.bindSecret !== undefined &&
      target.bindSecret === b.secret
    ) {
      return {
        actor: bound(target),
        via: 'prompt',
        warning:
          `jit-parallel: sub-agent ${agentId} is bound to lease ${target.id} (secret checked locally), but ` +
          `the binding could not be recorded on the remote: ${(e as Error).message}`,
      };
    }
    // A wrong secret or a lease gone is an answer; a busy or broken store is not (the next call retries).
    const decided = code === 'E_BIND_SECRET' || code === 'E_NOT_FOUND';
    return {
      actor: { subagentId: agentId },
      warning: `jit-parallel: could not bind sub-agent ${agentId} to lease ${b.leaseId}: ${(e as Error).message}`,
      ...(decided ? {} : { undecided: true }),
    };
  }
}
