// SubagentStart / SubagentStop: record when each sub-agent starts and finishes, against its
// lease when it is bound (a sub-agent binds at its first edit, so a start is usually recorded
// without a lease and the stop with one). Never blocks, never prints.
import { boundAgents } from '../core/hook-decision.js';
import type { HookInput, HookOutcome } from './contract.js';
import { hookCwd, liveContext } from './context.js';
import { openStore } from './store-access.js';

export async function recordSubagent(input: HookInput, env: NodeJS.ProcessEnv, type: 'subagent-start' | 'subagent-stop'): Promise<HookOutcome> {
  const agentId = typeof input.agent_id === 'string' ? input.agent_id : undefined;
  if (!agentId) return {};
  const ctx = liveContext(hookCwd(input, env));
  if (!ctx) return {};
  const lease = ctx.snap.leases.find((l) => Date.parse(l.expiresAt) > ctx.nowMs && boundAgents(l).includes(agentId));
  const store = await openStore(ctx.storeDir);
  await store.note({
    type,
    by: `claude:${agentId}`,
    ...(lease ? { leaseId: lease.id, issueId: lease.issueId } : {}),
    agentType: typeof input.agent_type === 'string' ? input.agent_type : undefined,
    sessionId: typeof input.session_id === 'string' ? input.session_id : undefined,
  });
  return {};
}
