import type { CommandSpec } from '../command.js';
import { str } from '../command.js';
import { usageError } from '../../platform/errors.js';
import {
  ACTING_AGENT_OPTION,
  LEASE_JSON_DOC,
  actingAgentOf,
  claimsEnv,
  leaseJson,
  REMOTE_OPTION,
  REMOTE_EXIT_DOC,
} from '../claims-shared.js';

export const command: CommandSpec = {
  name: 'claim evict',
  summary: 'Admin: remove any lease, recording who and why',
  usage: 'jitp claim evict <lease-id> --reason <text> [--agent <id>] [--remote <name>]',
  help: [
    "Removes lease <lease-id> (live or expired) whoever holds it. The holder's next renew/release fails",
    'with exit 6. The acting agent and the reason are recorded in the event log.',
    '',
    'JSON: {"evicted": Lease, "by": "<agent>", "reason": "<text>"}',
    LEASE_JSON_DOC,
    'Exit codes: 0 evicted, 2 missing reason, 4 no such lease, 5 store problem, 9 malformed agent identity or',
    '            --agent naming another agent than JIT_AGENT_ID / this Claude Code session (without --impersonate).',
    ...REMOTE_EXIT_DOC,
  ].join('\n'),
  options: {
    reason: { type: 'string', arg: '<text>', description: 'Why (required; recorded)' },
    ...ACTING_AGENT_OPTION,
    ...REMOTE_OPTION,
  },
  positionals: { min: 1, max: 1, names: '<lease-id>' },
  async run(ctx) {
    const reason = str(ctx.args.values.reason);
    if (!reason || !reason.trim())
      throw usageError('evict needs --reason (it is recorded in the event log)', `usage: ${command.usage}`);
    const env = await claimsEnv(ctx);
    const by = actingAgentOf(ctx);
    const lease = await env.store.evict(ctx.args.positionals[0]!, by, reason);
    return {
      json: { evicted: leaseJson(lease, Date.now()), by, reason },
      text: `evicted ${lease.id} (issue ${lease.issueId}, held by ${lease.agentId}) by ${by}: ${reason}`,
    };
  },
};
