// Which lease does the agent behind this hook call work for? See docs/hooks.md, "Binding".
// Order: a binding the store already knows (lease.meta.claudeAgentIds), the worktree the
// sub-agent runs in, then the binding line on the FIRST line of the sub-agent's own initial
// prompt, read from its transcript (verified with the real client: the file exists and holds
// the prompt by the sub-agent's first PreToolUse) and checked by the store against the
// lease's secret. That order runs once per sub-agent, at its first call while a lease is live;
// its answer is recorded (bind-record.ts) and every later call takes the record (bind once).
import { closeSync, openSync, readSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseBindingLine } from '../../core/binding.js';
import { boundAgents, type Actor } from '../../core/hook-decision.js';
import type { RepoLocation } from '../../git/discover.js';
import type { Lease, LeaseStore } from '../../core/model.js';
import type { HookInput } from './contract.js';
import { DEFAULT_AGENT_ID } from '../../core/default-agent.js';
import {
  AGENT_ID_RE,
  clearStop,
  readBindRecord,
  recordFirstBinding,
  settleStartRecord,
  type BindRecord,
} from './bind-record.js';

export interface Resolved {
  actor: Actor;
  /** How a sub-agent was bound, for notes and tests. */
  via?: 'store' | 'worktree' | 'prompt';
  /** A problem worth telling the user (e.g. a binding line with a wrong secret). */
  warning?: string;
  /** The binding could not be decided now (the store was busy or unwritable): ask again next call. */
  undecided?: boolean;
}

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/** The sub-agent's transcript: `<dir of session transcript>/<session>/subagents/agent-<id>.jsonl`. */
export function subagentTranscriptPath(input: HookInput, agentId: string): string | undefined {
  const tp = input.transcript_path;
  if (typeof tp !== 'string' || !tp) return undefined;
  const session = typeof input.session_id === 'string' && input.session_id ? input.session_id : basename(tp, '.jsonl');
  return join(dirname(tp), session, 'subagents', `agent-${agentId}.jsonl`);
}

/** First line of a file, reading at most 1 MiB (the first record is the initial prompt). */
export function firstLine(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(64 * 1024);
    for (let total = 0; total < 1024 * 1024;) {
      const n = readSync(fd, buf, 0, buf.length, total);
      if (n <= 0) break;
      const nl = buf.subarray(0, n).indexOf(10);
      if (nl >= 0) {
        chunks.push(Buffer.from(buf.subarray(0, nl)));
        return Buffer.concat(chunks).toString('utf8');
      }
      chunks.push(Buffer.from(buf.subarray(0, n)));
      total += n;
    }
    return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
  } finally {
    closeSync(fd);
  }
}

/** The initial prompt text from a transcript's first record, if it is the sub-agent's user message. */
export function initialPromptOf(transcriptFirstLine: string | undefined, agentId: string): string | undefined {
  if (!transcriptFirstLine) return undefined;
  let rec: { type?: unknown; agentId?: unknown; message?: { role?: unknown; content?: unknown } };
  try {
    rec = JSON.parse(transcriptFirstLine);
  } catch {
    return undefined;
  }
  if (rec?.type !== 'user' || rec.message?.role !== 'user') return undefined;
  if (rec.agentId !== undefined && rec.agentId !== agentId) return undefined;
  const c = rec.message.content;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) {
    const t = c.find((b) => b && typeof b === 'object' && (b as { type?: unknown }).type === 'text');
    return typeof (t as { text?: unknown })?.text === 'string' ? (t as { text: string }).text : undefined;
  }
  return undefined;
}

export async function resolveActor(opts: {
  input: HookInput;
  env: NodeJS.ProcessEnv;
  loc: RepoLocation;
  live: readonly Lease[];
  /** The store that holds this lease (local, or the remote it came from). */
  store: (leaseId: string) => Promise<LeaseStore>;
  /** True for leases that live on a git remote (seen through its mirror). */
  isRemote?: (leaseId: string) => boolean;
  /**
   * The local store folder, where each sub-agent's first binding is kept (bind-record.ts).
   * `record: false` reads the records but writes none (`jitp hook check`).
   */
  bindRecords?: { storeDir: string; record: boolean };
}): Promise<Resolved> {
  const { input, env, loc, live } = opts;
  const isRemote = opts.isRemote ?? (() => false);
  // A remote lease is this clone's only when it was acquired here: its binding secret is kept
  // only by the clone that acquired it. Another machine's lease is never "mine", even under the
  // same agent name (every machine defaults to agent:claude), nor bound by a worktree path.
  const ours = (l: Lease) => !isRemote(l.id) || l.bindSecret !== undefined;
  const agentId = typeof input.agent_id === 'string' && input.agent_id ? input.agent_id : undefined;
  if (!agentId) {
    // The main agent: its own leases are those acquired under its identity that no sub-agent
    // has bound to (once a sub-agent binds, the lease is the sub-agent's work).
    const ids = new Set<string>();
    // The skills pass no --agent: jitp acts as JIT_AGENT_ID, else the default; the same here.
    ids.add(env.JIT_AGENT_ID || DEFAULT_AGENT_ID);
    if (typeof input.session_id === 'string') ids.add(`claude:session-${input.session_id}`);
    const own = live.filter((l) => ids.has(l.agentId) && boundAgents(l).length === 0 && ours(l)).map((l) => l.id);
    return { actor: { ownLeaseIds: new Set(own) } };
  }
  // A bound sub-agent running in a linked worktree (the client's isolation: "worktree") stays
  // in it even when its lease names no worktree.
  const confine = (lease: Lease) => {
    const wt = lease.worktree ?? (loc.linked ? loc.worktreeRoot : undefined);
    return wt ? real(wt) : undefined; // compared with realpath-resolved targets
  };
  const bound = (lease: Lease): Actor => {
    const wt = confine(lease);
    return { subagentId: agentId, lease, ...(wt ? { worktree: wt } : {}) };
  };
  const records = opts.bindRecords;
  if (!records) return firstResolution(opts, agentId, bound, ours);
  // An id that cannot name a record file cannot be held to one binding: it binds to nothing.
  if (!AGENT_ID_RE.test(agentId)) return { actor: { subagentId: agentId } };
  const rec = readBindRecord(records.storeDir, agentId);
  if (rec?.stoppedAt !== undefined && records.record) clearStop(records.storeDir, agentId, rec);
  if (rec) return fromRecord(rec, opts, agentId, bound, ours);
  const first = await firstResolution(opts, agentId, bound, ours);
  if (!records.record || first.undecided) return first;
  const mine: BindRecord = {
    lease: first.actor.lease?.id ?? null,
    at: new Date().toISOString(),
    ...(first.via ? { via: first.via } : {}),
  };
  const kept = recordFirstBinding(records.storeDir, agentId, mine);
  // Another call of this sub-agent recorded first (parallel tool calls): its answer stands.
  return kept.lease === mine.lease ? first : fromRecord(kept, opts, agentId, bound, ours);
}

/** A later call: the recorded binding, whatever the transcript or the working folder says now. */
async function fromRecord(
  rec: BindRecord,
  opts: Parameters<typeof resolveActor>[0],
  agentId: string,
  bound: (l: Lease) => Actor,
  ours: (l: Lease) => boolean,
): Promise<Resolved> {
  if (rec.lease === null) {
    // Started in its own linked worktree while nothing was live: a lease taken on that worktree
    // since binds it by place (never by a prompt line), and the record then keeps that lease.
    const { loc, live } = opts;
    if (rec.via === 'start' && rec.worktree && loc.linked && real(loc.worktreeRoot) === rec.worktree) {
      const byTree = live.find((l) => l.worktree && ours(l) && real(l.worktree) === rec.worktree);
      if (byTree) {
        if (opts.bindRecords?.record) settleStartRecord(opts.bindRecords.storeDir, agentId, rec, byTree.id);
        return { actor: bound(byTree), via: 'worktree' };
      }
    }
    return { actor: { subagentId: agentId } };
  }
  const lease = opts.live.find((l) => l.id === rec.lease);
  // Its lease ended (released, expired): it stays bound to nothing rather than to anything new.
  if (!lease) return { actor: { subagentId: agentId } };
  if (!boundAgents(lease).includes(agentId) && (opts.isRemote ?? (() => false))(lease.id)) {
    // A remote binding proven locally but not yet recorded there: record it now, with the secret
    // of the same lease only (the transcript cannot move the binding elsewhere).
    const file = subagentTranscriptPath(opts.input, agentId);
    const b = parseBindingLine(initialPromptOf(file ? firstLine(file) : undefined, agentId) ?? '');
    if (b?.leaseId === lease.id)
      await opts
        .store(lease.id)
        .then((s) => s.bind(lease.id, b.secret, agentId))
        .catch(() => undefined);
  }
  return { actor: bound(lease), via: 'store' };
}

/** The first call's answer (and, without bind records, every call's): the order in the file header. */
async function firstResolution(
  opts: Parameters<typeof resolveActor>[0],
  agentId: string,
  bound: (l: Lease) => Actor,
  ours: (l: Lease) => boolean,
): Promise<Resolved> {
  const { input, loc, live } = opts;
  const isRemote = opts.isRemote ?? (() => false);
  const known = live.find((l) => boundAgents(l).includes(agentId));
  if (known) return { actor: bound(known), via: 'store' };

  if (loc.linked) {
    const root = real(loc.worktreeRoot);
    const byTree = live.find((l) => l.worktree && ours(l) && real(l.worktree) === root);
    if (byTree) return { actor: bound(byTree), via: 'worktree' };
  }

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
