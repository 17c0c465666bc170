// Which lease does the agent behind this hook call work for? See docs/hooks.md, "Binding".
// Order: a binding the store already knows (lease.meta.claudeAgentIds), the worktree the
// sub-agent runs in, then the binding line on the FIRST line of the sub-agent's own initial
// prompt, read from its transcript (verified with the real client: the file exists and holds
// the prompt by the sub-agent's first PreToolUse) and checked by the store against the
// lease's secret. That order runs once per sub-agent, at its first call while a lease is live;
// its answer is recorded (bind-record.ts) and every later call takes the record (bind once).
import { realpathSync } from 'node:fs';
import { parseBindingLine } from '../../core/binding.js';
import { boundAgents, type Actor } from '../../core/hook-decision.js';
import type { RepoLocation } from '../../git/discover.js';
import type { Lease, LeaseStore } from '../../core/model.js';
import type { HookInput } from './contract.js';
import { firstLine, initialPromptOf, subagentTranscriptPath } from './transcript-read.js';
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
  /** Refused: the lease was acquired after the sub-agent started (`warning` says so; first-binding.ts). */
  late?: boolean;
}

export type ResolveOpts = Parameters<typeof resolveActor>[0];

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

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
  const { loc, live } = opts;
  const known = live.find((l) => boundAgents(l).includes(agentId));
  if (known) return { actor: bound(known), via: 'store' };

  if (loc.linked) {
    const root = real(loc.worktreeRoot);
    const byTree = live.find((l) => l.worktree && ours(l) && real(l.worktree) === root);
    if (byTree) {
      // A first binding, by place or by prompt, is checked against when the sub-agent started (lazy:
      // once per sub-agent).
      const late = (await import('./first-binding.js')).lateByWorktree(opts, agentId, byTree, root);
      return late
        ? { actor: { subagentId: agentId }, warning: late, late: true }
        : { actor: bound(byTree), via: 'worktree' };
    }
  }
  return (await import('./first-binding.js')).bindByPrompt(opts, agentId, bound);
}
