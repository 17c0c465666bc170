// The one place that prints results and calls process.exit.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { commands } from './commands/index.js';
import type { CommandContext, CommandResult, CommandSpec, OptionSpec } from './command.js';
import { EXIT, JitpError, isJitpError, usageError } from '../platform/errors.js';
import { VERSION } from '../core/version.js';

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'Machine-readable output on stdout (shape in --help)' },
  help: { type: 'boolean', short: 'h', description: 'Show help for the command' },
  cwd: { type: 'string', short: 'C', arg: '<dir>', description: 'Act on the repository at <dir>' },
};

function findCommand(argv: string[]): { key: string; rest: string[] } | undefined {
  // Longest registered prefix of the leading non-flag words wins: `claim acquire` over `claim`.
  const words: string[] = [];
  for (const a of argv) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  for (let n = Math.min(words.length, 3); n > 0; n--) {
    const key = words.slice(0, n).join(' ');
    if (key in commands) return { key, rest: argv.slice(n) };
  }
  return undefined;
}

function optionHelp(opts: Record<string, OptionSpec>): string {
  return Object.entries(opts)
    .map(([name, o]) => {
      const value = o.type === 'string' ? ` ${o.arg ?? '<value>'}` : '';
      const left = `${o.short ? `-${o.short}, ` : '    '}--${name}${value}`;
      return `  ${left.padEnd(30)} ${o.description}${o.multiple ? ' (repeatable)' : ''}`;
    })
    .join('\n');
}

export function renderHelp(spec: CommandSpec): string {
  const parts = [`${spec.usage}`, '', spec.summary];
  if (spec.help) parts.push('', spec.help.trimEnd());
  if (spec.options && Object.keys(spec.options).length) parts.push('', 'Options:', optionHelp(spec.options));
  parts.push('', 'Global options:', optionHelp(GLOBAL_OPTIONS));
  return parts.join('\n') + '\n';
}

async function renderIndex(): Promise<string> {
  const groups = new Map<string, string[]>();
  for (const [key, load] of Object.entries(commands)) {
    const { command } = await load();
    const group = key.split(' ')[0]!;
    const lines = groups.get(group) ?? [];
    lines.push(`  ${key.padEnd(24)} ${command.summary}`);
    groups.set(group, lines);
  }
  return [
    `jitp ${VERSION}: the helper CLI of the jit-parallel Claude Code plugin`,
    '',
    'Usage: jitp <command> [options]   (jitp <command> --help for details)',
    '',
    'Commands:',
    ...[...groups.values()].flat(),
    '',
    'Global options:',
    optionHelp(GLOBAL_OPTIONS),
    '',
    'Exit codes: 0 ok, 1 needs a human, 2 usage, 3 held by another lease, 4 unknown id,',
    '            5 store problem, 6 lease lost (compare-and-set), 7 git, 8 config, 9 identity',
    '',
  ].join('\n');
}

export interface RunIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  interactive: boolean;
}

/** Runs one invocation and returns the exit code; never exits the process itself. */
export async function run(argv: string[], io: RunIo): Promise<number> {
  const wantsJson = argv.includes('--json');
  try {
    if (argv.length === 0 || argv[0] === 'help' || argv[0] === '--help' || argv[0] === '-h') {
      const target = argv[0] === 'help' ? findCommand(argv.slice(1)) : undefined;
      if (target) {
        const { command } = await commands[target.key]!();
        io.stdout(renderHelp(command));
      } else io.stdout(await renderIndex());
      return EXIT.OK;
    }
    if (argv[0] === '--version' || argv[0] === '-V') {
      io.stdout(`${VERSION}\n`);
      return EXIT.OK;
    }
    const found = findCommand(argv);
    if (!found) {
      const words = argv
        .filter((a) => !a.startsWith('-'))
        .slice(0, 2)
        .join(' ');
      const near = Object.keys(commands).filter((k) => k.startsWith(argv[0] ?? '\0'));
      throw usageError(
        `unknown command: ${words || argv[0]}`,
        near.length
          ? `did you mean: ${near.map((n) => `jitp ${n}`).join(', ')}?`
          : 'run `jitp --help` for the list of commands',
      );
    }
    const { command } = await commands[found.key]!();
    const options = { ...GLOBAL_OPTIONS, ...(command.options ?? {}) };
    let parsed;
    try {
      parsed = parseArgs({
        args: found.rest,
        options: Object.fromEntries(
          Object.entries(options).map(([k, o]) => [
            k,
            { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
          ]),
        ),
        allowPositionals: true,
        strict: true,
      });
    } catch (e) {
      throw usageError(
        (e as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''),
        `see \`jitp ${found.key} --help\``,
      );
    }
    if (parsed.values.help) {
      io.stdout(renderHelp(command));
      return EXIT.OK;
    }
    const { min = 0, max = Infinity } = command.positionals ?? {};
    if (parsed.positionals.length < min || parsed.positionals.length > max) {
      throw usageError(
        parsed.positionals.length < min
          ? `missing argument${command.positionals?.names ? `: ${command.positionals.names}` : ''}`
          : `unexpected argument: ${parsed.positionals.slice(max).join(' ')}`,
        `usage: ${command.usage}`,
      );
    }
    const json = parsed.values.json === true;
    const cwdOpt = parsed.values.cwd;
    const ctx: CommandContext = {
      args: { values: parsed.values as CommandContext['args']['values'], positionals: parsed.positionals },
      cwd: typeof cwdOpt === 'string' ? resolve(io.cwd, cwdOpt) : io.cwd,
      json,
      env: io.env,
      interactive: io.interactive,
      progress: (line) => io.stderr(`${line}\n`),
      warn: (line) => io.stderr(`warning: ${line}\n`),
    };
    const result: CommandResult = await command.run(ctx);
    if (json) {
      if (result.json !== undefined) io.stdout(`${JSON.stringify(result.json, null, 2)}\n`);
    } else if (result.text !== undefined && result.text !== '') {
      io.stdout(result.text.endsWith('\n') ? result.text : `${result.text}\n`);
    }
    return result.exitCode ?? EXIT.OK;
  } catch (e) {
    const err = isJitpError(e)
      ? e
      : new JitpError('E_INTERNAL', `internal error: ${(e as Error)?.stack ?? String(e)}`, {
          hint: 'this is a bug in jitp; please report it with the command you ran',
        });
    if (wantsJson) io.stdout(`${JSON.stringify({ error: err.toJSON() }, null, 2)}\n`);
    else io.stderr(`jitp: ${err.message}\n${err.hint ? `  hint: ${err.hint}\n` : ''}`);
    return err.exitCode;
  }
}
