import type { CommandSpec } from '../command.js';
import { flag, str } from '../command.js';
import { holdsFrom } from '../../plan/holds.js';
import { availabilityOf } from '../../sources/available.js';
import { workspaceOf } from '../workspace.js';
import { isJitpError } from '../../platform/errors.js';
import { table, type Cell } from '../../render/table.js';
import { PLAIN } from '../../render/style.js';

export const command: CommandSpec = {
  name: 'issues',
  summary: 'List issues from the jit store, task files or a batch list',
  usage: 'jitp issues [--available] [--batch <file>] [--json]',
  help: `Reads the issue source (config \`source\`: auto picks .jit/issues when present, else task
files in \`tasksDir\`; --batch reads a YAML/JSON list of tasks instead). Malformed files are
reported on stderr (and under "problems") without hiding the other issues.
--available keeps issues that are ready, whose dependencies are all done or rejected, and
that no live lease holds (jit's own \`query available\` ignores leases).

JSON: {"source":"jit|tasks|batch|github","location":path,"count":n,
       "issues":[{"id","shortId","title","state","priority","labels":[…],"dependencies":[…],
                  "assignee","declaredFiles":[…],"declaredRisk","documents":[{"path","label"?,"commit"?}],
                  "acceptanceCriteria":[…],"file","available",
                  "unavailableReason"?}],
       "problems":[{"file","line"?,"message","loaded"}]}

Exit codes: 0 ok, 2 unreadable batch list, 5 lease store unreadable (with --available; without it
the list is printed with a warning), 7 not a git repository, 8 invalid configuration.`,
  options: {
    available: { type: 'boolean', description: 'Only issues that can start now' },
    batch: { type: 'string', arg: '<file>', description: 'Read a YAML/JSON batch list instead of the issue store' },
  },
  positionals: { max: 0 },
  async run(ctx) {
    const batch = str(ctx.args.values.batch);
    const ws = workspaceOf(ctx, batch ? { batch } : {});
    const source = await ws.source();
    const all = source.list();
    const byId = new Map(all.map((i) => [i.id, i]));
    const onlyAvailable = flag(ctx.args.values.available);
    let holds: ReturnType<typeof holdsFrom>;
    try {
      holds = holdsFrom((await (await ws.store()).read()).leases, Date.now());
    } catch (e) {
      // A plain listing stays useful with a broken lease store; --available would lie.
      if (onlyAvailable || !isJitpError(e)) throw e;
      ctx.warn(`${e.message}; leases not shown${e.hint ? ` (${e.hint})` : ''}`);
      holds = new Map();
    }
    const rows = all.map((i) => ({ issue: i, a: availabilityOf(i, byId, holds) }));
    const shown = onlyAvailable ? rows.filter((r) => r.a.available) : rows;
    const problems = source.problems();
    for (const p of problems) ctx.warn(`${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    const json = {
      source: source.kind,
      location: source.location,
      count: shown.length,
      issues: shown.map(({ issue: i, a }) => ({
        id: i.id,
        shortId: i.shortId,
        title: i.title,
        state: i.state,
        priority: i.priority,
        labels: i.labels,
        dependencies: i.dependencies,
        assignee: i.assignee,
        declaredFiles: i.declaredFiles,
        declaredRisk: i.declaredRisk,
        documents: i.documents,
        acceptanceCriteria: i.acceptanceCriteria,
        file: i.file,
        available: a.available,
        ...(a.reason ? { unavailableReason: a.reason } : {}),
      })),
      problems,
    };
    const st = ctx.style ?? PLAIN;
    const stateColour: Record<string, ((x: string) => string) | undefined> = {
      done: st.dim,
      rejected: st.dim,
      in_progress: st.cyan,
    };
    const cells = shown.map(({ issue: i, a }): Cell[] => [
      i.shortId,
      { text: i.state, paint: stateColour[i.state] },
      i.priority,
      i.title,
      a.available
        ? { text: 'available', paint: st.green }
        : { text: a.kind === 'closed' ? '' : (a.reason ?? ''), paint: st.yellow },
    ]);
    const text = shown.length
      ? [
          ...table([['id', 'state', 'priority', 'title', ''], ...cells], {
            header: st.bold,
            shrink: [3, 4],
            ...(ctx.width ? { width: ctx.width } : {}),
          }),
          '',
          `${shown.length} issue${shown.length === 1 ? '' : 's'} from ${source.location}`,
        ].join('\n')
      : `no ${flag(ctx.args.values.available) ? 'available ' : ''}issues in ${source.location}`;
    return { json, text };
  },
};
