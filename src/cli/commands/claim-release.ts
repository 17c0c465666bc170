import type { CommandSpec } from '../command.js';
import { str } from '../command.js';
import {
  ACTING_AGENT_OPTION,
  LEASE_JSON_DOC,
  claimsEnv,
  leaseJson,
  REMOTE_OPTION,
  REMOTE_EXIT_DOC,
  leaseRefOf,
  TOKEN_OPTION,
  REASON_OPTION,
} from '../claims-shared.js';

export const command: CommandSpec = {
  name: 'claim release',
  summary: 'Give back your lease on an issue (compare-and-set)',
  usage: 'jitp claim release <issue> [--token <n>] [--reason <text>] [--agent <id>] [--remote <name>]',
  help: [
    "Releases the acting agent's live lease on <issue>; its paths are free at once.",
    'With --token, fails unless the lease still has that token.',
    '',
    'JSON: {"released": Lease}',
    LEASE_JSON_DOC,
    'Exit codes: 0 released, 2 bad arguments, 4 unknown issue, 5 store problem, 6 lease lost (not yours,',
    '            expired, or token stale), 9 malformed agent identity or',
    '            --agent naming another agent than JIT_AGENT_ID / this Claude Code session (without --impersonate).',
    ...REMOTE_EXIT_DOC,
  ].join('\n'),
  options: {
    ...TOKEN_OPTION,
    ...REASON_OPTION,
    ...ACTING_AGENT_OPTION,
    ...REMOTE_OPTION,
  },
  positionals: { min: 1, max: 1, names: '<issue>' },
  async run(ctx) {
    const env = await claimsEnv(ctx);
    const ref = leaseRefOf(ctx, env);
    const lease = await env.store.release(ref, str(ctx.args.values.reason));
    return {
      json: { released: leaseJson(lease, Date.now()) },
      text: `released ${lease.id} (issue ${lease.issueId}, ${lease.agentId}, token ${lease.token})`,
    };
  },
};
