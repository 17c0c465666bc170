import type { CommandSpec } from '../command.js';
import { str } from '../command.js';
import {
  ACTING_AGENT_OPTION,
  LEASE_JSON_DOC,
  claimsEnv,
  leaseJson,
  leaseLine,
  durationOption,
  REMOTE_OPTION,
  REMOTE_EXIT_DOC,
  leaseRefOf,
  TOKEN_OPTION,
} from '../claims-shared.js';

export const command: CommandSpec = {
  name: 'claim renew',
  summary: 'Push back the expiry of your lease on an issue (compare-and-set)',
  usage: 'jitp claim renew <issue> [--ttl <dur>] [--token <n>] [--agent <id>] [--remote <name>]',
  help: [
    "Renews the acting agent's live lease on <issue> for its TTL (or --ttl). The fencing token stays.",
    'With --token, fails unless the lease still has that token (it was not granted again since).',
    "An expired lease cannot be renewed (its paths may be someone else's by now): acquire it again.",
    '',
    'JSON: {"lease": Lease}',
    LEASE_JSON_DOC,
    'Exit codes: 0 renewed, 2 bad arguments, 4 unknown issue, 5 store problem, 6 lease lost (not yours,',
    '            expired, or token stale), 9 malformed agent identity or',
    '            --agent naming another agent than JIT_AGENT_ID / this Claude Code session (without --impersonate).',
    ...REMOTE_EXIT_DOC,
  ].join('\n'),
  options: {
    ttl: { type: 'string', arg: '<dur>', description: "New duration from now (default: the lease's TTL)" },
    ...TOKEN_OPTION,
    ...ACTING_AGENT_OPTION,
    ...REMOTE_OPTION,
  },
  positionals: { min: 1, max: 1, names: '<issue>' },
  async run(ctx) {
    const env = await claimsEnv(ctx);
    const ref = leaseRefOf(ctx, env);
    const ttl = str(ctx.args.values.ttl);
    const lease = await env.store.renew(ref, ttl ? { ttlSecs: durationOption(ttl) } : {});
    const now = Date.now();
    return { json: { lease: leaseJson(lease, now) }, text: `renewed ${leaseLine(lease, now)}` };
  },
};
