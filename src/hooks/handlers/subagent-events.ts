// SubagentStart / SubagentStop: record when each sub-agent starts and finishes, against its
// lease when it is bound (a sub-agent binds at its first edit, so a start is usually recorded
// without a lease and the stop with one). Never blocks, never prints.
import { parseBindingLine } from '../../core/binding.js';
import { boundAgents } from '../../core/hook-decision.js';
import type { Lease } from '../../core/model.js';
import { firstLine, initialPromptOf, subagentTranscriptPath } from '../runtime/transcript-read.js';
import type { HookInput, HookOutcome } from '../runtime/contract.js';
import { hookCwd, liveContext } from '../runtime/context.js';
import { openStoreFor } from '../runtime/store-access.js';
import { AGENT_ID_RE, readBindRecord, recordFirstBinding, recordStop } from '../runtime/bind-record.js';
import { existsSync, realpathSync } from 'node:fs';
import { findRepo, storeDirOf } from '../../workspace/repo.js';
import { writeStartRecord } from '../runtime/first-binding.js';

const realOr = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

export async function recordSubagent(
  input: HookInput,
  env: NodeJS.ProcessEnv,
  type: 'subagent-start' | 'subagent-stop',
): Promise<HookOutcome> {
  const agentId = typeof input.agent_id === 'string' ? input.agent_id : undefined;
  if (!agentId) return {};
  const cwd = hookCwd(input, env);
  const valid = AGENT_ID_RE.test(agentId);
  const loc = type === 'subagent-start' ? findRepo(cwd) : undefined;
  const storeDir = loc ? storeDirOf(loc) : undefined;
  // One started in its own linked worktree (isolation: "worktree") may be bound by a lease on it.
  const worktree = loc?.linked ? realOr(loc.worktreeRoot) : undefined;
  // When it started, always, even where parallel work never ran (the store folder is made): a
  // lease acquired after this moment cannot bind it (first-binding.ts).
  if (storeDir && valid)
    writeStartRecord(storeDir, agentId, { at: new Date().toISOString(), ...(worktree ? { worktree } : {}) });
  const ctx = liveContext(cwd);
  if (!ctx) {
    // Started while no lease is live: its prompt cannot carry a valid binding (rendering one needs
    // a live lease), so it is unbound for good, and a secret it learns later cannot bind it.
    if (storeDir && existsSync(storeDir) && valid)
      recordFirstBinding(storeDir, agentId, {
        lease: null,
        at: new Date().toISOString(),
        via: 'start',
        ...(worktree ? { worktree } : {}),
      });
    return {};
  }
  const live = ctx.snap.leases.filter((l) => Date.parse(l.expiresAt) > ctx.nowMs);
  // The binding its first call recorded decides (a transcript rewritten since cannot move it).
  const rec = AGENT_ID_RE.test(agentId) ? readBindRecord(ctx.storeDir, agentId) : undefined;
  let lease: Lease | undefined = rec
    ? live.find((l) => l.id === rec.lease)
    : live.find((l) => boundAgents(l).includes(agentId));
  if (type === 'subagent-stop' && AGENT_ID_RE.test(agentId)) {
    try {
      recordStop(ctx.storeDir, agentId, new Date().toISOString());
    } catch {
      /* a read-only store: the orchestrator's refusals then do not know it finished */
    }
  }
  if (!lease && !rec && type === 'subagent-stop') {
    // A sub-agent that never edited never bound; its binding line still says whose work it was.
    const file =
      typeof input.agent_transcript_path === 'string'
        ? input.agent_transcript_path
        : subagentTranscriptPath(input, agentId);
    const prompt = file ? initialPromptOf(firstLine(file), agentId) : undefined;
    const b = prompt ? parseBindingLine(prompt) : undefined;
    lease = b ? live.find((l) => l.id === b.leaseId && l.bindSecret === b.secret) : undefined;
  }
  // A remote lease's notes stay on this machine too (RemoteLeaseStore.note appends to the
  // clone's event log of that remote; no push), but next to that remote's other events.
  const remote = lease ? ctx.remoteOf.get(lease.id)?.remote : undefined;
  const store = await openStoreFor(
    ctx.storeDir,
    remote ? { loc: ctx.loc, name: remote, timeoutSecs: 20, ttl: lease!.ttlSecs } : undefined,
    env,
  );
  await store.note({
    type,
    by: `claude:${agentId}`,
    ...(lease ? { leaseId: lease.id, issueId: lease.issueId } : {}),
    agentType: typeof input.agent_type === 'string' ? input.agent_type : undefined,
    sessionId: typeof input.session_id === 'string' ? input.session_id : undefined,
  });
  // Its sub-agent stopped: the lease's files may pass to a `jitp claim wait` waiter (core/wait-rules.ts,
  // docs/wait.md). A follow-up sub-agent for the same lease clears the mark when it binds.
  if (type === 'subagent-stop' && lease) await store.finish(lease.id, `claude:${agentId}`);
  return {};
}
