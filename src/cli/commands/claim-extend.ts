import type { CommandSpec } from '../command.js';
import { list, str } from '../command.js';
import { usageError } from '../../platform/errors.js';
import {
  ACTING_AGENT_OPTION,
  LEASE_JSON_DOC,
  claimsEnv,
  leaseJson,
  leaseLine,
  REMOTE_OPTION,
  REMOTE_EXIT_DOC,
  scopedPaths,
  leaseRefOf,
  TOKEN_OPTION,
  REASON_OPTION,
} from '../claims-shared.js';

export const command: CommandSpec = {
  name: 'claim extend',
  summary: 'Add paths to your lease on an issue (fails if another lease overlaps)',
  usage: 'jitp claim extend <issue> --paths <p>… [--token <n>] [--reason <text>] [--agent <id>] [--remote <name>]',
  help: [
    "Adds files or globs to the acting agent's live lease on <issue>, after checking that no other live",
    'lease overlaps them. Compare-and-set on (agent, token); the token and expiry stay.',
    '',
    'JSON: {"lease": Lease}',
    LEASE_JSON_DOC,
    'Exit codes: 0 extended, 2 bad arguments/path, 3 a path is held by another lease, 4 unknown issue,',
    '            5 store problem, 6 lease lost, 9 malformed agent identity or',
    '            --agent naming another agent than JIT_AGENT_ID / this Claude Code session (without --impersonate).',
    ...REMOTE_EXIT_DOC,
  ].join('\n'),
  options: {
    paths: {
      type: 'string',
      variadic: true,
      arg: '<p>…',
      description: 'Files, folders or globs to add (several words, or comma separated)',
    },
    ...TOKEN_OPTION,
    worktree: {
      type: 'string',
      arg: '<path>',
      description: 'Resolve paths against this worktree (default: the current one)',
    },
    ...REASON_OPTION,
    ...ACTING_AGENT_OPTION,
    ...REMOTE_OPTION,
  },
  positionals: { min: 1, max: 1, names: '<issue>' },
  async run(ctx) {
    const env = await claimsEnv(ctx);
    const ref = leaseRefOf(ctx, env);
    const raw = list(ctx.args.values.paths);
    if (!raw.length) throw usageError('extend needs --paths', `usage: ${command.usage}`);
    const { paths } = scopedPaths(ctx, env, raw);
    const lease = await env.store.extend(ref, paths, str(ctx.args.values.reason));
    const now = Date.now();
    return { json: { lease: leaseJson(lease, now) }, text: `extended ${leaseLine(lease, now)}` };
  },
};
