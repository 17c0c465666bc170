import type { CommandSpec } from '../command.js';
import { lookOf, str } from '../command.js';
import { leaseTable } from '../lease-table.js';
import { workspaceOf } from '../workspace.js';
import { isLiveAt } from '../../core/lease-rules.js';
import { validateAgentId } from '../../core/identity.js';
import { issueIdRule } from '../../sources/issue-id.js';
import { LEASE_JSON_DOC, REMOTE_OPTION, leaseJson } from '../claims-shared.js';
import { freshnessJson, readOrStale, remoteStoreFor } from '../remote-shared.js';

export const command: CommandSpec = {
  name: 'claim status',
  summary: 'Show the leases of one agent and/or one issue',
  usage: 'jitp claim status [--agent <id>] [--issue <issue>] [--remote <name>] [--json]',
  help: [
    'Filters the live leases by agent and/or issue (a unique 4+ character prefix with a jit store).',
    'Without filters, same as `jitp claim list`. Exit 1 when a given --issue is not held, so scripts',
    'can ask "is it free?".',
    '',
    "With --remote (or config `remote`), answers from that remote's local mirror, refetched when older",
    'than remoteMirrorMaxAge.',
    '',
    'JSON: {"agent": string|null, "issue": string|null, "held": bool, "leases": [Lease…], "remote"?: {…freshness}}',
    LEASE_JSON_DOC,
    'Exit codes: 0 ok (and held, with --issue), 1 the --issue is not held, 2 bad id, 4 unknown issue,',
    '            5 store problem, 7 not a git repo.',
  ].join('\n'),
  options: {
    agent: { type: 'string', arg: '<type:name>', description: "Only this agent's leases" },
    issue: { type: 'string', arg: '<issue>', description: 'Only the lease on this issue' },
    ...REMOTE_OPTION,
  },
  positionals: { max: 0 },
  async run(ctx) {
    const ws = workspaceOf(ctx);
    const agentIn = str(ctx.args.values.agent);
    const issueIn = str(ctx.args.values.issue);
    const agent = agentIn ? validateAgentId(agentIn, '--agent') : null;
    const issue = issueIn ? issueIdRule({ root: ws.root, config: await ws.config(), env: ctx.env })(issueIn) : null;
    const remoteStore = await remoteStoreFor(ws, str(ctx.args.values.remote), null);
    const mirror = remoteStore ? await readOrStale(remoteStore, ctx) : undefined;
    const snap = mirror ?? (await (await ws.store()).read());
    const now = Date.now();
    const leases = snap.leases.filter(
      (l) => isLiveAt(l, now) && (!agent || l.agentId === agent) && (!issue || l.issueId === issue),
    );
    const held = leases.length > 0;
    const what = [agent && `agent ${agent}`, issue && `issue ${issue}`].filter(Boolean).join(', ') || 'the store';
    return {
      exitCode: issue && !held ? 1 : 0,
      json: {
        agent,
        issue,
        held,
        leases: leases.map((l) => leaseJson(l, now)),
        ...(mirror ? { remote: freshnessJson(mirror, now) } : {}),
      },
      text: held
        ? leaseTable(leases, now, { ...lookOf(ctx), host: !!mirror }).join('\n')
        : `no live lease for ${what}${mirror ? ` on remote '${mirror.remote}'` : ''}`,
    };
  },
};
