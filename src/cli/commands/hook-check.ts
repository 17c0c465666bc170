import type { CommandSpec } from '../command.js';
import { str } from '../command.js';
import { workspaceOf } from '../workspace.js';
import { EXIT, JitpError } from '../../platform/errors.js';
import { decideEdit } from '../../core/hook-decision.js';
import { buildLeaseIndex } from '../../core/lease-index.js';
import { resolveActor } from '../../hooks/runtime/binding-resolve.js';
import { finishedAtOf } from '../../hooks/runtime/bind-record.js';
import type { Lease } from '../../core/model.js';
import { hookSettings, liveContext, type LiveContext } from '../../hooks/runtime/context.js';
import { resolveTarget } from '../../hooks/handlers/pre-tool-use.js';
import { StoreUnreadable } from '../../hooks/runtime/store-access.js';

export const command: CommandSpec = {
  name: 'hook check',
  summary: 'Say what the edit hook would answer for these files, without changing anything',
  usage: 'jitp hook check <path>... [--subagent <claude agent id>] [--json]',
  help: [
    'Runs the PreToolUse decision for each path as the main agent (default) or as the Claude Code',
    'sub-agent --subagent (bound through the store or its worktree). Read-only: a file the hook',
    'would add to a lease (policy extend) is reported as "extend", not added.',
    '',
    'JSON: {"policy": string, "actor": {"kind": "main"|"sub-agent", "subagentId"?, "leaseId"?},',
    '       "results": [{"path", "rel": string|null, "decision": "allow"|"warn"|"extend"|"deny", "message"?}]}',
    'Exit codes: 0 every path may be edited, 3 at least one would be refused, 5 store unreadable, 7 not a git ' +
      'repository.',
  ].join('\n'),
  options: { subagent: { type: 'string', arg: '<id>', description: 'Check as this Claude Code sub-agent (agent_id)' } },
  positionals: { min: 1, names: '<path>...' },
  async run(ctx) {
    const loc = workspaceOf(ctx).repo;
    const nowMs = Date.now();
    // The same view the hooks have: local leases plus the remote mirrors, no network.
    let live: LiveContext | undefined;
    try {
      live = liveContext(ctx.cwd, nowMs);
    } catch (e) {
      if (e instanceof StoreUnreadable)
        throw new JitpError('E_STORE', e.message, { hint: 'run `jitp doctor --repair`' });
      throw e;
    }
    const settings = await hookSettings(loc, ctx.env);
    const index = buildLeaseIndex(live?.snap.leases ?? [], nowMs);
    const remoteOf = live?.remoteOf ?? new Map();
    const subagent = str(ctx.args.values.subagent);
    const { actor } = await resolveActor({
      input: {
        cwd: ctx.cwd,
        ...(subagent ? { agent_id: subagent } : {}),
        ...(ctx.env.CLAUDE_CODE_SESSION_ID ? { session_id: ctx.env.CLAUDE_CODE_SESSION_ID } : {}),
      },
      env: ctx.env,
      loc,
      live: index.leases,
      store: () => Promise.reject(new Error('read-only')),
      isRemote: (id) => remoteOf.has(id),
      ...(live ? { bindRecords: { storeDir: live.storeDir, record: false } } : {}),
    });
    const results = ctx.args.positionals.map((p) => {
      const target = resolveTarget(p, ctx.cwd, loc);
      const finishedAt = live ? (l: Lease) => finishedAtOf(live.storeDir, l) : undefined;
      const d = decideEdit({ nowMs, policy: settings.policy, actor, target, index, remoteOf, finishedAt });
      const message = d.kind === 'deny' ? d.reason : d.kind === 'allow' ? undefined : d.message;
      return { path: p, rel: target.rel ?? null, decision: d.kind, ...(message ? { message } : {}) };
    });
    const json = {
      policy: settings.policy,
      actor: actor.subagentId
        ? { kind: 'sub-agent', subagentId: actor.subagentId, ...(actor.lease ? { leaseId: actor.lease.id } : {}) }
        : { kind: 'main' },
      results,
    };
    const text = results
      .map((r) => `${r.decision.padEnd(6)} ${r.path}${r.message ? `\n       ${r.message}` : ''}`)
      .join('\n');
    return { json, text, exitCode: results.some((r) => r.decision === 'deny') ? EXIT.HELD : EXIT.OK };
  },
};
