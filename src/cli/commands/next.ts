import type { CommandSpec } from '../command.js';
import { str } from '../command.js';
import { EXIT, usageError } from '../../platform/errors.js';
import { holdsFrom } from '../../plan/holds.js';
import { pickNext } from '../../plan/next.js';
import { runPlan } from '../../plan/run.js';
import { workspaceOf } from '../workspace.js';
import { jitpCommand } from '../../core/shell-quote.js';

export const command: CommandSpec = {
  name: 'next',
  summary: 'The next issue to start now: available, and its predicted files free of live leases',
  usage: 'jitp next [<issue>…] [--max-parallel N] [--batch <file>] [--json]',
  help: `Continuous dispatch: start one sub-agent as another finishes instead of waiting for the
slowest of a batch. Plans the given issues (ids or prefixes: the batch the user asked for; none =
every available issue), as \`jitp plan\` does, and picks the first, in batch order, whose
predicted files no live lease holds. A given issue that is done, held, or waits for a dependency
that is not done is listed under "excluded" with why; when none is left to start and none
is running, the batch is over. Nothing is picked when N issues already
hold live leases (--max-parallel, default plan.maxParallel), or when every candidate has a
predicted file another lease holds; "reason" says which. It claims nothing: start the issue with
\`jitp claim acquire <id> --paths <files>\` (the printed command), then ask again.

JSON (stable; docs/plan.md):
  {"next":{"id","shortId","title","tier","files":[path…],"batch":n}|null,
   "running":[issueId…],"maxParallel":n,
   "skipped":[{"id","shortId","reason"}],"excluded":[{"id","reason"}],"reason"?}

Exit codes: 0 ok (also when nothing can start: "next" is null), 2 bad arguments or a dependency
cycle, 4 unknown or ambiguous issue id, 5 lease store unreadable, 7 git failed, 8 invalid configuration.`,
  options: {
    'max-parallel': { type: 'string', arg: '<N>', description: 'At most N issues at once (default: plan.maxParallel)' },
    batch: {
      type: 'string',
      arg: '<file>',
      description: 'Pick from a YAML/JSON batch list instead of the issue store',
    },
  },
  positionals: { names: '[<issue>…]' },
  async run(ctx) {
    const batch = str(ctx.args.values.batch);
    const ws = workspaceOf(ctx, batch ? { batch } : {});
    const config = await ws.config();
    const mp = str(ctx.args.values['max-parallel']);
    const maxParallel = mp === undefined ? config.plan.maxParallel : Number(mp);
    if (!Number.isInteger(maxParallel) || maxParallel < 1 || maxParallel > 64)
      throw usageError(`--max-parallel must be a whole number from 1 to 64, got ${mp}`, 'e.g. --max-parallel 4');
    const leases = (await (await ws.store()).read()).leases;
    const now = Date.now();
    const { plan, problems } = await runPlan({
      root: ws.root,
      config,
      // The batch the user asked for (the skill passes its arguments): an issue outside it is
      // never started, however available.
      ids: ctx.args.positionals,
      source: await ws.source(),
      maxParallel,
      holds: holdsFrom(leases, now),
      progress: ctx.progress,
      env: ctx.env,
    });
    for (const p of problems) ctx.warn(`${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    const r = pickNext(plan, leases, now, maxParallel);
    // Issues of the batch that cannot start now (done, held, a dependency not done), with why.
    const excluded = plan.excluded;
    const ids = ctx.args.positionals;
    if (ids.length && !r.next && !plan.issues.length)
      r.reason =
        `none of the given issues can start now (${excluded.length} excluded: done, held, or ` +
        'waiting for a dependency)';
    const lines: string[] = [];
    if (r.next) {
      const n = r.next;
      lines.push(`next: ${n.shortId} ${n.title} (${n.tier}, batch ${n.batch}, ${n.files.length} predicted files)`);
      // No --agent: every command acts as the session's one identity (core/identity.ts).
      const paths = n.files.length ? ['--paths', n.files.join(',')] : [];
      lines.push(`start it: ${jitpCommand('claim', 'acquire', n.shortId, ...paths)}`);
    } else lines.push(`nothing to start now: ${r.reason}`);
    lines.push(`running: ${r.running.length} of ${r.maxParallel}`);
    for (const s of r.skipped) lines.push(`  passed over ${s.shortId}: ${s.reason}`);
    // Without ids the whole tracker's unavailable issues would drown the answer: JSON only.
    if (ids.length) for (const x of excluded) lines.push(`  cannot start ${x.id.slice(0, 8)}: ${x.reason}`);
    return { json: { ...r, excluded, problems }, text: lines.join('\n'), exitCode: EXIT.OK };
  },
};
