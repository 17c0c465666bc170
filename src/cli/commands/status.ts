import { lookOf, type CommandSpec } from '../command.js';
import { flag, str } from '../command.js';
import { usageError } from '../../platform/errors.js';
import { readBatch } from '../../worktree/batch.js';
import { worktreeEnv } from '../../worktree/context.js';
import { workspaceOf } from '../workspace.js';
import { gatherStatus, renderStatus } from '../../merge/status.js';

export const command: CommandSpec = {
  name: 'status',
  summary: 'Per issue: lease, worktree (ahead/behind, dirty, disk), agent state, merge readiness',
  usage: 'jitp status [--json] [--watch [--interval <s>]] [--no-disk]',
  help: [
    'Reads the batch file, git and the lease store; never changes anything.',
    '--watch redraws on stderr every --interval seconds (default 2) until interrupted (Ctrl-C), then',
    'prints the last state normally.',
    '',
    'JSON: {"batch": null | {"id","base","integration","strategy","startedAt","baseBehindIntegration",',
    '       "baseInIntegration", "mergeRun": {...}}, "leaseStore": bool, "issues": [{"issue","short","title",',
    '       "lease": null|{"id","holder","secondsLeft"}, "worktree": null|{"path","exists","branch","ahead",',
    '       "behind","dirty","modified","untracked","diskKb"}, "agent": {"state","attempts","exitCode"},',
    '       "merge": {"state","ready","detail"}}]}',
    'Exit codes: 0 ok, 2 corrupt batch file, 7 git failure.',
  ].join('\n'),
  options: {
    watch: { type: 'boolean', description: 'Redraw until interrupted' },
    interval: { type: 'string', arg: '<s>', description: 'Seconds between redraws (default 2)' },
    'no-disk': { type: 'boolean', description: 'Skip measuring disk use (faster on huge worktrees)' },
    frames: { type: 'string', arg: '<n>', description: 'With --watch: stop after n redraws (scripts, tests)' },
  },
  positionals: { max: 0 },
  async run(ctx) {
    const w = await worktreeEnv(workspaceOf(ctx), ctx.progress);
    const disk = !flag(ctx.args.values['no-disk']);
    const look = lookOf(ctx);
    const snap = async () => gatherStatus(w, readBatch(w.mainRoot), { disk });
    if (!flag(ctx.args.values.watch)) {
      const r = await snap();
      return { json: r, text: renderStatus(r, look) };
    }
    const interval = Number(str(ctx.args.values.interval) ?? '2');
    if (!(interval > 0)) throw usageError('--interval must be a positive number of seconds');
    const frames = str(ctx.args.values.frames) ? Number(str(ctx.args.values.frames)) : Infinity;
    let stop = false;
    const onInt = () => (stop = true);
    process.once('SIGINT', onInt);
    let r = await snap();
    try {
      for (let n = 1; ; n++) {
        ctx.progress(`${ctx.interactive ? '\x1b[2J\x1b[H' : ''}${new Date().toISOString()}\n${renderStatus(r, look)}`);
        if (stop || n >= frames) break;
        await new Promise((res) => setTimeout(res, interval * 1000));
        if (stop) break;
        r = await snap();
      }
    } finally {
      process.removeListener('SIGINT', onInt);
    }
    return { json: r, text: renderStatus(r, look) };
  },
};
