import type { CommandSpec } from '../command.js';
import { table } from '../../render/table.js';
import { readConfigOf } from '../../workspace/config-file.js';
import { inspectConfig } from '../../workspace/config.js';
import type { ConfigProblem } from '../../config/load.js';
import { EXIT } from '../../platform/errors.js';
import { workspaceOf } from '../workspace.js';

export const command: CommandSpec = {
  name: 'config',
  summary: 'Show the effective configuration, where each value came from, and what is invalid',
  usage: 'jitp config [--json]',
  help: [
    'Reads .jit-parallel.yaml (a linked worktree its own copy first, then the main checkout) or the',
    'file JITP_CONFIG names. An invalid or unknown key does not stop it: each is listed with its file,',
    'line and value, and the value that applies instead (the key default; unknown keys are ignored).',
    'The hooks apply exactly these values, so a typo never turns enforcement off.',
    '',
    'JSON: {"file": string|null, "config": {...}, "origin": {"<dotted.key>": "default"|"<file>"},',
    '       "problems": [{"file", "line"?, "key", "value"?, "message", "used"?}]}',
    'Exit codes: 0 ok, 7 not a git repository, 8 the file has problems (everything is still shown).',
  ].join('\n'),
  positionals: { max: 0 },
  async run(ctx) {
    const loaded = await inspectConfig(readConfigOf(workspaceOf(ctx).repo, ctx.env));
    const s = ctx.style;
    const rows = Object.entries(loaded.origin).map(([key, from]) => {
      const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], loaded.config);
      return [key, JSON.stringify(value), from];
    });
    const text = [`config file: ${loaded.file ?? '(none; all defaults)'}`, '', ...table(rows)];
    if (loaded.problems.length) {
      const head = `${loaded.problems.length} problem${loaded.problems.length > 1 ? 's' : ''} in the configuration`;
      text.push('', s ? s.red(head) : head, ...loaded.problems.map(problemLine));
      text.push('', `fix them in ${loaded.problems[0]!.file}; \`jitp config\` shows the result`);
    }
    return {
      json: { file: loaded.file, config: loaded.config, origin: loaded.origin, problems: loaded.problems },
      text: text.join('\n'),
      exitCode: loaded.problems.length ? EXIT.CONFIG : EXIT.OK,
    };
  },
};

/** `file:3: policy: Invalid enum value… (found "strcit"; using "extend")`. */
export function problemLine(p: ConfigProblem): string {
  const where = `${p.file}${p.line ? `:${p.line}` : ''}`;
  const found = 'value' in p ? `found ${JSON.stringify(p.value)}` : '';
  const used = p.used === undefined ? (p.key ? 'ignored' : '') : `using ${JSON.stringify(p.used)}`;
  const tail = [found, used].filter(Boolean).join('; ');
  return `  ${where}: ${p.key ? `${p.key}: ` : ''}${p.message}${tail ? ` (${tail})` : ''}`;
}
