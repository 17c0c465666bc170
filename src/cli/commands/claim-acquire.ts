import type { CommandSpec } from '../command.js';
import { list, str } from '../command.js';
import {
  AGENT_OPTION,
  LEASE_JSON_DOC,
  agentOf,
  claimsEnv,
  issueOf,
  leaseJson,
  leaseLine,
  durationOption,
  REMOTE_OPTION,
  REMOTE_EXIT_DOC,
  scopedPaths,
  REASON_OPTION,
} from '../claims-shared.js';
import { requireKnownIssue } from '../issue-near.js';

export const command: CommandSpec = {
  name: 'claim acquire',
  summary: 'Lease an issue and the paths it may change (fails if held or overlapping)',
  usage:
    'jitp claim acquire <issue> [--paths <p>…] [--ttl <dur>] [--worktree <path>] [--branch <b>] [--agent <id>] ' +
    '[--remote <name>] [--secret]',
  help: [
    'Grants a lease tying <issue> to the acting agent and, in the same transaction, the files or globs',
    'it may change. Fails, naming the holder, lease and expiry, when another live lease holds the issue',
    'or any overlapping path (globs are compared properly: src/** overlaps src/a/*.ts). Acquiring an',
    'issue you already hold renews it and adds the paths. With a jit store (.jit/issues/), <issue> may',
    'be any unique prefix of 4+ characters; the full uuid is stored.',
    'Paths: repo-relative or absolute inside the repo; a folder means everything under it.',
    '',
    'JSON: {"lease": Lease} (with "bindSecret" only under --secret: a secret printed by a Bash call lands in',
    "the session transcript; `jitp prompt` renders a sub-agent's binding from the store itself).",
    LEASE_JSON_DOC,
    'With a task folder, <issue> must be a task, an issue of the batch, or already leased.',
    'Exit codes: 0 granted, 2 bad arguments/path, 3 held by another lease, 4 unknown or ambiguous issue',
    '            (naming the nearest ids),',
    '            5 store problem, 7 not a git repo, 9 malformed agent identity.',
    ...REMOTE_EXIT_DOC,
  ].join('\n'),
  options: {
    paths: {
      type: 'string',
      variadic: true,
      arg: '<p>…',
      description: 'Files, folders or globs the issue may change (several words, or comma separated)',
    },
    ttl: { type: 'string', arg: '<dur>', description: 'Lease duration, e.g. 30m (default: config ttl, 30m)' },
    worktree: {
      type: 'string',
      arg: '<path>',
      description: 'Worktree the issue is worked in (default: the current one)',
    },
    branch: {
      type: 'string',
      arg: '<b>',
      description: "Branch the issue is worked on (default: the worktree's branch)",
    },
    ...REASON_OPTION,
    ...AGENT_OPTION,
    ...REMOTE_OPTION,
    secret: { type: 'boolean', description: "Include the lease's binding secret in --json (tooling, tests)" },
  },
  positionals: { min: 1, max: 1, names: '<issue>' },
  async run(ctx) {
    const env = await claimsEnv(ctx);
    const agentId = agentOf(ctx);
    const issueId = issueOf(env, ctx.args.positionals[0]!);
    await requireKnownIssue(ctx.cwd, ctx.env, issueId, env.store);
    const { wt, paths } = scopedPaths(ctx, env, list(ctx.args.values.paths));
    const ttl = str(ctx.args.values.ttl);
    const reason = str(ctx.args.values.reason);
    const lease = await env.store.acquire({
      issueId,
      agentId,
      paths,
      ...(ttl ? { ttlSecs: durationOption(ttl) } : {}),
      worktree: wt.worktree,
      branch: str(ctx.args.values.branch) ?? wt.branch,
      ...(reason ? { reason } : {}),
    });
    const now = Date.now();
    const secret = ctx.args.values.secret === true;
    return { json: { lease: leaseJson(lease, now, { secret }) }, text: `acquired ${leaseLine(lease, now)}` };
  },
};
