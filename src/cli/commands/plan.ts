import type { CommandSpec } from '../command.js';
import { list, str } from '../command.js';
import { EXIT, usageError } from '../../platform/errors.js';
import { holdsFrom } from '../../plan/holds.js';
import { renderDot, renderMermaid, renderTable } from '../../plan/render.js';
import { runPlan } from '../../plan/run.js';
import { workspaceOf } from '../workspace.js';

export const command: CommandSpec = {
  name: 'plan',
  summary: 'Predict the files each issue will touch, rate its risk, find conflicts, and batch safely',
  usage: 'jitp plan [<issue…>] [--max-parallel N] [--batch <file>] [--format table|mermaid|dot] [--json]',
  help: `With no ids, plans every available issue (ready, dependencies done or rejected, not held by
a live lease). For each issue it predicts files (paths named in the text, identifiers resolved
with one git grep, declared files, linked documents, co-change history, hot files), gives a
risk tier (GREEN new files/tests/docs, YELLOW existing files, RED hot files or wide scope,
CRITICAL manifests, lock files, migrations, CI, repo-wide), lists conflicting pairs and
splits the issues into batches: dependencies first, no conflicting pair in one batch, never
two RED together, CRITICAL alone, at most --max-parallel (default plan.maxParallel, 4).
Config keys: plan.hotFiles, plan.ignore, plan.historyDepth, plan.maxFilesPerIssue, plan.maxParallel.

JSON (stable; docs/plan.md):
  {"issues":[{"id","shortId","title","files":[path…],"newFiles":[…],"hotFiles":[…],
              "tier":"GREEN|YELLOW|RED|CRITICAL","reasons":[…],
              "predicted":[{"path","new","hot","kind","reason"}],"ignored":[…]}],
   "conflicts":[{"pair":[idA,idB],"files":[…],"reason"}],
   "batches":[[id…]…],
   "excluded":[{"id","reason"}],
   "problems":[{"file","line"?,"message","loaded"}]}
  Paths are repo-relative POSIX; ids are full ids.

Exit codes: 0 ok, 2 bad arguments or a dependency cycle among the selected issues (named),
4 unknown or ambiguous id, 5 lease store unreadable, 7 git failed, 8 invalid configuration.`,
  options: {
    'max-parallel': {
      type: 'string',
      arg: '<N>',
      description: 'At most N issues per batch (default: plan.maxParallel)',
    },
    format: { type: 'string', arg: '<fmt>', description: 'table (default), mermaid or dot: the conflict graph' },
    batch: {
      type: 'string',
      arg: '<file>',
      description: 'Plan the tasks of a YAML/JSON batch list instead of the issue store',
    },
  },
  async run(ctx) {
    const batch = str(ctx.args.values.batch);
    const ws = workspaceOf(ctx, batch ? { batch } : {});
    const config = await ws.config();
    const format = str(ctx.args.values.format) ?? 'table';
    if (!['table', 'mermaid', 'dot'].includes(format))
      throw usageError(`unknown --format ${format}`, 'use --format table, mermaid or dot');
    const mp = str(ctx.args.values['max-parallel']);
    let maxParallel: number | undefined;
    if (mp !== undefined) {
      maxParallel = Number(mp);
      if (!Number.isInteger(maxParallel) || maxParallel < 1 || maxParallel > 64)
        throw usageError(`--max-parallel must be a whole number from 1 to 64, got ${mp}`, 'e.g. --max-parallel 4');
    }
    const ids = ctx.args.positionals.flatMap((p) => list(p));
    const { plan, problems, source, timings } = await runPlan({
      root: ws.root,
      config,
      ids,
      source: await ws.source(),
      ...(maxParallel ? { maxParallel } : {}),
      holds: holdsFrom((await (await ws.store()).read()).leases, Date.now()),
      progress: ctx.progress,
      env: ctx.env,
    });
    if (ctx.env.JITP_TIMINGS)
      ctx.progress(
        `timings (ms): ${Object.entries(timings)
          .map(([k, v]) => `${k} ${v.toFixed(0)}`)
          .join(', ')}; since process start ${performance.now().toFixed(0)}`,
      );
    for (const p of problems) ctx.warn(`${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    const short = new Map(source.list().map((i) => [i.id, i.shortId]));
    const label = (id: string) => short.get(id) ?? id;
    let text: string;
    if (format === 'mermaid') text = renderMermaid(plan, label);
    else if (format === 'dot') text = renderDot(plan, label);
    else text = renderTable(plan, label);
    return { json: { ...plan, problems }, text, exitCode: EXIT.OK };
  },
};
