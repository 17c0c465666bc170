import type { CommandSpec } from '../command.js';
import { str } from '../command.js';
import { AGENT_OPTION, LEASE_JSON_DOC, agentOf, claimsEnv, issueOf, leaseJson, leaseLine, parseDuration, parseToken, REMOTE_OPTION } from '../claims-shared.js';

export const command: CommandSpec = {
  name: 'claim renew',
  summary: 'Push back the expiry of your lease on an issue (compare-and-set)',
  usage: 'jitp claim renew <issue> [--ttl <dur>] [--token <n>] [--agent <id>] [--remote <name>]',
  help: [
    'Renews the acting agent\'s live lease on <issue> for its TTL (or --ttl). The fencing token stays.',
    'With --token, fails unless the lease still has that token (it was not granted again since).',
    'An expired lease cannot be renewed (its paths may be someone else\'s by now): acquire it again.',
    '',
    'JSON: {"lease": Lease}',
    LEASE_JSON_DOC,
    'Exit codes: 0 renewed, 2 bad arguments, 4 unknown issue, 5 store problem, 6 lease lost (not yours,',
    '            expired, or token stale), 9 no agent identity.',
    'With --remote (or config `remote`): 7 also = the remote is unreachable, timed out or refuses',
    '            refs/jit-parallel/*; 5 also = it stayed busy past the retry budget or its index is unreadable.',
  ].join('\n'),
  options: {
    ttl: { type: 'string', arg: '<dur>', description: 'New duration from now (default: the lease\'s TTL)' },
    token: { type: 'string', arg: '<n>', description: 'Expected fencing token (compare-and-set)' },
    ...AGENT_OPTION,
    ...REMOTE_OPTION,
  },
  positionals: { min: 1, max: 1, names: '<issue>' },
  async run(ctx) {
    const env = claimsEnv(ctx);
    const agentId = agentOf(ctx);
    const issueId = issueOf(env, ctx.args.positionals[0]!);
    const token = parseToken(ctx.args.values.token);
    const ttl = str(ctx.args.values.ttl);
    const lease = await env.store.renew({ issueId, agentId, ...(token !== undefined ? { token } : {}) }, ttl ? { ttlSecs: parseDuration(ttl) } : {});
    const now = Date.now();
    return { json: { lease: leaseJson(lease, now) }, text: `renewed ${leaseLine(lease, now)}` };
  },
};
