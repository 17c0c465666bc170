import type { CommandSpec } from '../command.js';
import { str } from '../command.js';
import { EXIT, usageError } from '../../platform/errors.js';
import { worktreeEnv } from '../../worktree/context.js';
import { workspaceOf } from '../workspace.js';
import { runAgents, type AgentOutcome } from '../../spawn/run.js';
import { jitpCommand } from '../../core/shell-quote.js';

export function renderOutcomes(rs: AgentOutcome[]): string {
  if (!rs.length) return 'nothing to run: every issue of the batch is done or running (`jitp status`)';
  const lines = rs.map(
    (r) =>
      `${r.state === 'done' ? 'done  ' : 'FAILED'} ${r.short.padEnd(10)} exit ` +
      `${r.exitCode}${r.committed ? `  committed ${r.committed.slice(0, 12)}` : ''}  ${r.summary}\n       log ` +
      `${r.log}\n       result ${r.result}`,
  );
  const failed = rs.filter((r) => r.state === 'failed');
  if (failed.length) lines.push('', ...failed.map((f) => `re-run: ${jitpCommand('retry', f.short)}`));
  else lines.push('', 'all agents finished; next: `jitp merge --dry-run`, then `jitp merge`');
  return lines.join('\n');
}

export const parallelOf = (v: string | undefined, dflt: number): number => {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw usageError(`--max-parallel must be a whole number from 1 to 64, not ${v}`);
  return n;
};

export const command: CommandSpec = {
  name: 'spawn',
  summary: 'Run one headless agent per pending issue in its worktree, at most N at once',
  usage: 'jitp spawn [--max-parallel N] [--agent-cmd "<cmd>"] [--timeout <s>]',
  help: [
    'For each issue of the batch whose agent has not run (or whose run was interrupted): creates its',
    'worktree if needed, writes the prompt, and runs the agent in the worktree; the rest wait in a queue.',
    'Default agent: claude -p <prompt> --permission-mode acceptEdits --output-format json (binary from',
    'PATH, or JITP_CLAUDE_BIN). --agent-cmd runs a shell command instead; {prompt_file} and {prompt} are',
    'replaced (shell-quoted) and JITP_ISSUE_ID, JITP_WORKTREE, JITP_BRANCH, JITP_PROMPT_FILE are set.',
    'Per attempt n: .jit-parallel/batches/<batch>/<short>/{prompt-n.md, agent-n.log (stderr),',
    'result-n.json (stdout)}. A run counts as done when the agent exits 0 (and, for claude, its JSON',
    "has is_error false); uncommitted changes are then committed on the issue's branch.",
    '',
    'JSON: {"agents": [{"issue","short","state":"done"|"failed","exitCode","log","result","committed","summary"}]}',
    'Exit codes: 0 all done, 1 some agent failed (`jitp retry <issue>`), 2 usage, 4 no batch.',
  ].join('\n'),
  options: {
    'max-parallel': { type: 'string', arg: '<N>', description: 'Agents at once (default config spawn.maxParallel, 4)' },
    'agent-cmd': { type: 'string', arg: '<cmd>', description: 'Shell command to run instead of claude' },
    timeout: { type: 'string', arg: '<s>', description: 'Kill an agent after s seconds (default: none)' },
  },
  positionals: { max: 0 },
  async run(ctx) {
    const w = await worktreeEnv(workspaceOf(ctx), ctx.progress);
    const t = str(ctx.args.values.timeout);
    const rs = await runAgents(w, {
      maxParallel: parallelOf(str(ctx.args.values['max-parallel']), w.config.spawn.maxParallel),
      agentCmd: str(ctx.args.values['agent-cmd']) ?? w.config.spawn.agentCmd,
      timeoutMs: t ? Number(t) * 1000 : undefined,
    });
    return {
      json: { agents: rs },
      text: renderOutcomes(rs),
      exitCode: rs.some((r) => r.state === 'failed') ? EXIT.FAILURE : EXIT.OK,
    };
  },
};
