import type { CommandSpec } from '../command.js';
import { flag } from '../command.js';
import { workspaceOf } from '../workspace.js';
import { diagnose, repair } from '../../store/local/doctor.js';
import { EXIT } from '../../platform/errors.js';
import { PLAIN } from '../../render/style.js';

export const command: CommandSpec = {
  name: 'doctor',
  summary: 'Check the lease store; --repair rebuilds a damaged state and removes stale locks',
  usage: 'jitp doctor [--repair] [--json]',
  help: [
    'Checks <git common dir>/jit-parallel/: the state file (JSON, schema, leases), the event log (torn',
    'or unreadable lines, with line numbers), log/state consistency, locks (stale = holder dead or far',
    'too old) and temp files left by killed writers. --repair removes stale locks through the same',
    'serialised recovery the writers use, deletes dead temp files, and rebuilds a missing or corrupt',
    'state file from the event log (the damaged file is kept as state.json.corrupt-<time>).',
    '',
    'JSON: {"storeDir": string, "ok": bool, "checks": [{"name","status":"ok"|"warn"|"problem","message","fix"?}],',
    '       "repaired": [string…]}',
    "Exit codes: 0 healthy (after repair), 1 problems remain (see each check's fix), 7 not a git repo.",
  ].join('\n'),
  options: { repair: { type: 'boolean', description: 'Fix what can be fixed safely' } },
  positionals: { max: 0 },
  async run(ctx) {
    const dir = workspaceOf(ctx).storeDir;
    const report = flag(ctx.args.values.repair) ? repair(dir) : diagnose(dir);
    const st = ctx.style ?? PLAIN;
    const mark = { ok: st.green('ok  '), warn: st.yellow('warn'), problem: st.red('FAIL') } as const;
    const lines = [
      ...report.checks.map(
        (c) => `${mark[c.status]}  ${c.message}${c.fix && c.status !== 'ok' ? `\n      fix: ${c.fix}` : ''}`,
      ),
      ...report.repaired.map((r) => `fixed ${r}`),
      report.ok ? 'store is healthy' : 'problems found; run the fixes above',
    ];
    return { exitCode: report.ok ? EXIT.OK : EXIT.FAILURE, json: report, text: lines.join('\n') };
  },
};
