import type { CommandSpec } from '../command.js';
import { str } from '../command.js';
import { AGENT_OPTION, LEASE_JSON_DOC, agentOf, claimsEnv, issueOf, leaseJson, parseToken, REMOTE_OPTION } from '../claims-shared.js';

export const command: CommandSpec = {
  name: 'claim release',
  summary: 'Give back your lease on an issue (compare-and-set)',
  usage: 'jitp claim release <issue> [--token <n>] [--reason <text>] [--agent <id>] [--remote <name>]',
  help: [
    'Releases the acting agent\'s live lease on <issue>; its paths are free at once.',
    'With --token, fails unless the lease still has that token.',
    '',
    'JSON: {"released": Lease}',
    LEASE_JSON_DOC,
    'Exit codes: 0 released, 2 bad arguments, 4 unknown issue, 5 store problem, 6 lease lost (not yours,',
    '            expired, or token stale), 9 no agent identity.',
    'With --remote (or config `remote`): 7 also = the remote is unreachable, timed out or refuses',
    '            refs/jit-parallel/*; 5 also = it stayed busy past the retry budget or its index is unreadable.',
  ].join('\n'),
  options: {
    token: { type: 'string', arg: '<n>', description: 'Expected fencing token (compare-and-set)' },
    reason: { type: 'string', arg: '<text>', description: 'Why (recorded in the event log)' },
    ...AGENT_OPTION,
    ...REMOTE_OPTION,
  },
  positionals: { min: 1, max: 1, names: '<issue>' },
  async run(ctx) {
    const env = claimsEnv(ctx);
    const agentId = agentOf(ctx);
    const issueId = issueOf(env, ctx.args.positionals[0]!);
    const token = parseToken(ctx.args.values.token);
    const lease = await env.store.release({ issueId, agentId, ...(token !== undefined ? { token } : {}) }, str(ctx.args.values.reason));
    return { json: { released: leaseJson(lease, Date.now()) }, text: `released ${lease.id} (issue ${lease.issueId}, ${lease.agentId}, token ${lease.token})` };
  },
};
