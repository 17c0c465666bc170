import type { CommandSpec } from '../command.js';
import { str } from '../command.js';
import { EXIT, JitpError } from '../../platform/errors.js';
import { pidAlive } from '../../platform/pid.js';
import { findIssue, requireBatch } from '../../worktree/batch.js';
import { worktreeEnv } from '../../worktree/context.js';
import { workspaceOf } from '../workspace.js';
import { runAgents } from '../../spawn/run.js';
import { renderOutcomes } from './spawn.js';

export const command: CommandSpec = {
  name: 'retry',
  summary: "Run an issue's headless agent again (after a failure) in the same worktree",
  usage: 'jitp retry <issue> [--agent-cmd "<cmd>"] [--timeout <s>]',
  help: [
    'Same as `jitp spawn` for one issue, whatever its agent state (refused while its agent still runs).',
    'The worktree keeps what the failed attempt left; attempt n+1 gets its own prompt/log/result files.',
    '',
    'JSON: {"agents": [{"issue","short","state","exitCode","log","result","committed","summary"}]}',
    'Exit codes: 0 done, 1 the agent failed again or is still running, 4 unknown issue or no batch.',
  ].join('\n'),
  options: {
    'agent-cmd': { type: 'string', arg: '<cmd>', description: 'Shell command to run instead of claude' },
    timeout: { type: 'string', arg: '<s>', description: 'Kill the agent after s seconds' },
  },
  positionals: { min: 1, max: 1, names: '<issue>' },
  async run(ctx) {
    const w = await worktreeEnv(workspaceOf(ctx), ctx.progress);
    const issue = findIssue(requireBatch(w.mainRoot), ctx.args.positionals[0]!);
    if (issue.agent.state === 'running' && issue.agent.pid) {
      if (pidAlive(issue.agent.pid))
        throw new JitpError('E_RUNNING', `the agent for ${issue.short} is still running (pid ${issue.agent.pid})`, {
          hint: `wait for it (\`jitp status --watch\`) or stop it: kill ${issue.agent.pid}`,
        });
    }
    const t = str(ctx.args.values.timeout);
    const rs = await runAgents(w, {
      maxParallel: 1,
      agentCmd: str(ctx.args.values['agent-cmd']) ?? w.config.spawn.agentCmd,
      only: [issue.id],
      timeoutMs: t ? Number(t) * 1000 : undefined,
    });
    return {
      json: { agents: rs },
      text: renderOutcomes(rs),
      exitCode: rs.some((r) => r.state === 'failed') ? EXIT.FAILURE : EXIT.OK,
    };
  },
};
