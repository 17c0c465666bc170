// The one place that prints results and calls process.exit.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { commands } from './commands/index.js';
import type { CommandContext, CommandResult, CommandSpec, OptionSpec } from './command.js';
import { EXIT, JitpError, isJitpError, usageError } from '../platform/errors.js';
import { VERSION } from '../core/version.js';
import { nearest } from '../core/near.js';
import { table } from '../render/table.js';
import { colourWanted } from './style.js';
import { makeStyle } from '../render/style.js';
import { withNearIds } from './issue-near.js';

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'Machine-readable output on stdout (shape in --help)' },
  help: { type: 'boolean', short: 'h', description: 'Show help for the command' },
  cwd: { type: 'string', short: 'C', arg: '<dir>', description: 'Act on the repository at <dir>' },
  color: { type: 'boolean', description: 'Colour the text output even without a terminal' },
  'no-color': { type: 'boolean', description: 'Never colour (as NO_COLOR=1)' },
};

/** Global options take a value when given apart (`-C dir`, `--cwd dir`); `--cwd=dir` and `-Cdir` carry it. */
function globalArity(a: string): 0 | 1 | undefined {
  if (a === '--json' || a === '--help' || a === '-h' || a === '--color' || a === '--no-color') return 0;
  if (a === '--cwd' || a === '-C') return 1;
  if (a.startsWith('--cwd=') || (a.startsWith('-C') && a.length > 2)) return 0;
  return undefined;
}

export interface SplitArgv {
  /** The command path (`claim acquire`), when the leading words name one. */
  key?: string;
  /** The leading words (global options taken out). */
  words: string[];
  /** What the command's own parser gets: the global options first, then everything after the path. */
  rest: string[];
  /** The global options met before or between the command words. */
  globals: string[];
}

/**
 * Splits `jitp [global…] <command words> [global…] [args…]`: global options may come before, between
 * or after the command words (docs/cli.md, "Global options"). Up to three words are read; the
 * longest registered prefix wins (`claim acquire` over `claim`). `--` ends the options.
 */
export function splitArgv(argv: readonly string[]): SplitArgv {
  const globals: string[] = [];
  const words: string[] = [];
  let i = 0;
  while (i < argv.length && words.length < 3) {
    const a = argv[i]!;
    if (a === '--') break;
    const arity = globalArity(a);
    if (arity !== undefined) {
      globals.push(...argv.slice(i, i + 1 + arity));
      i += 1 + arity;
      continue;
    }
    if (a.startsWith('-')) break;
    words.push(a);
    i++;
  }
  for (let n = words.length; n > 0; n--) {
    const key = words.slice(0, n).join(' ');
    if (key in commands) return { key, words, rest: [...globals, ...words.slice(n), ...argv.slice(i)], globals };
  }
  return { words, rest: argv.slice(i), globals };
}

/**
 * `--paths a b c` as parseArgs can read it (`--paths a --paths b --paths c`): a variadic option
 * takes the words after it up to the next word starting with `-` (docs/cli.md). So its values
 * come after the command's positionals: `jitp claim acquire T-1 --paths a b`.
 */
export function spreadVariadic(args: readonly string[], options: Record<string, OptionSpec>): string[] {
  const variadic = new Set(Object.entries(options).flatMap(([k, o]) => (o.variadic ? [`--${k}`] : [])));
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    out.push(a);
    if (a === '--') {
      out.push(...args.slice(i + 1));
      break;
    }
    const name = a.split('=')[0]!;
    if (!variadic.has(name)) continue;
    if (!a.includes('=') && i + 1 < args.length) out.push(args[++i]!); // the first value may start with `-`
    while (i + 1 < args.length && !args[i + 1]!.startsWith('-')) out.push(name, args[++i]!);
  }
  return out;
}

/** The directory `-C`/`--cwd` names on this line, for the error path (which has no parsed options). */
function cwdOf(argv: readonly string[], base: string): string {
  let dir: string | undefined;
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    const a = argv[i]!;
    if ((a === '-C' || a === '--cwd') && i + 1 < argv.length) dir = argv[++i];
    else if (a.startsWith('--cwd=')) dir = a.slice(6);
    else if (a.startsWith('-C') && a.length > 2 && !a.startsWith('--')) dir = a.slice(2);
  }
  return dir === undefined ? base : resolve(base, dir);
}

/** The command group a word names (`claim`, `worktree`), with its subcommand keys. */
export function groupOf(word: string | undefined): string[] {
  return word ? Object.keys(commands).filter((k) => k.startsWith(`${word} `)) : [];
}

function optionHelp(opts: Record<string, OptionSpec>): string {
  const rows = Object.entries(opts).map(([name, o]) => {
    const value = o.type === 'string' ? ` ${o.arg ?? '<value>'}` : '';
    return [
      `${o.short ? `-${o.short}, ` : '    '}--${name}${value}`,
      `${o.description}${o.multiple ? ' (repeatable)' : ''}`,
    ];
  });
  return table(rows, { indent: 2 }).join('\n');
}

export function renderHelp(spec: CommandSpec): string {
  const parts = [`${spec.usage}`, '', spec.summary];
  if (spec.help) parts.push('', spec.help.trimEnd());
  if (spec.options && Object.keys(spec.options).length) parts.push('', 'Options:', optionHelp(spec.options));
  parts.push('', 'Global options:', optionHelp(GLOBAL_OPTIONS));
  return parts.join('\n') + '\n';
}

async function helpFor(key: string | undefined, word: string | undefined): Promise<string> {
  if (key) return renderHelp((await commands[key]!()).command);
  if (groupOf(word).length) return renderGroup(word!);
  return renderIndex();
}

/** `jitp claim --help`: the group's subcommands with their summaries and usage lines. */
async function renderGroup(word: string): Promise<string> {
  const rows: string[][] = [];
  for (const key of groupOf(word)) {
    const { command } = await commands[key]!();
    rows.push([key, command.summary]);
  }
  return [
    `Usage: jitp ${word} <subcommand> [options]   (jitp ${word} <subcommand> --help for details)`,
    '',
    'Subcommands:',
    ...table(rows, { indent: 2 }),
    '',
    'Global options:',
    optionHelp(GLOBAL_OPTIONS),
    '',
  ].join('\n');
}

/** An unknown command or subcommand, with the nearest ones. */
function unknownCommand(words: string[], argv: readonly string[]) {
  const typed = words.slice(0, 2).join(' ') || argv.find((a) => a !== '--') || '';
  const group = groupOf(words[0]);
  const asGroup = group.length && words.length === 1;
  const keys = Object.keys(commands);
  const near = group.length
    ? nearest(
        words.slice(0, 2).join(' '),
        group.map((k) => ({ value: k, aliases: [k.split(' ')[1]!] })),
      )
    : nearest(
        words.slice(0, 2).join(' ') || typed,
        keys.map((k) => ({ value: k, aliases: k.split(' ') })),
      );
  const shown = asGroup ? group : near;
  return usageError(
    asGroup
      ? `missing subcommand: jitp ${words[0]} <${group.map((k) => k.split(' ')[1]).join('|')}>`
      : `unknown command: ${typed}`,
    shown.length
      ? asGroup
        ? `\`jitp ${words[0]} --help\` lists them`
        : `did you mean: ${shown.map((n) => `jitp ${n}`).join(', ')}?`
      : 'run `jitp --help` for the list of commands',
  );
}

async function renderIndex(): Promise<string> {
  const groups = new Map<string, string[][]>();
  for (const [key, load] of Object.entries(commands)) {
    const { command } = await load();
    const group = key.split(' ')[0]!;
    const rows = groups.get(group) ?? [];
    rows.push([key, command.summary]);
    groups.set(group, rows);
  }
  return [
    `jitp ${VERSION}: the helper CLI of the jit-parallel Claude Code plugin`,
    '',
    'Usage: jitp <command> [options]   (jitp <command> --help for details)',
    '',
    'Commands:',
    ...table([...groups.values()].flat(), { indent: 2 }),
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
  /** True when stdout is a terminal: colour is on there only (cli/style.ts). */
  stdoutTty?: boolean;
  /** The terminal's width when stdout is one: tables are cut to it (never in a pipe or with --json). */
  columns?: number;
}

/** Runs one invocation and returns the exit code; never exits the process itself. */
export async function run(argv: string[], io: RunIo): Promise<number> {
  const wantsJson = argv.includes('--json');
  try {
    const split = splitArgv(argv);
    const wantsHelp = split.globals.some((g) => g === '--help' || g === '-h');
    if (split.words[0] === 'help' || (!split.key && wantsHelp && !split.words.length) || argv.length === 0) {
      const asked = split.words[0] === 'help' ? splitArgv(split.words.slice(1)) : undefined;
      io.stdout(await helpFor(asked?.key, asked?.words[0]));
      return EXIT.OK;
    }
    if (!split.key && (argv[0] === '--version' || argv[0] === '-V')) {
      io.stdout(`${VERSION}\n`);
      return EXIT.OK;
    }
    if (!split.key && groupOf(split.words[0]).length && (wantsHelp || split.rest.includes('--help'))) {
      io.stdout(await renderGroup(split.words[0]!));
      return EXIT.OK;
    }
    if (!split.key) throw unknownCommand(split.words, argv);
    const found = { key: split.key, rest: split.rest };
    const { command } = await commands[found.key]!();
    const options = { ...GLOBAL_OPTIONS, ...(command.options ?? {}) };
    let parsed;
    try {
      parsed = parseArgs({
        args: spreadVariadic(found.rest, options),
        options: Object.fromEntries(
          Object.entries(options).map(([k, o]) => [
            k,
            {
              type: o.type,
              ...(o.short ? { short: o.short } : {}),
              ...(o.multiple || o.variadic ? { multiple: true } : {}),
            },
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
      style: makeStyle(
        colourWanted(io.env, io.stdoutTty === true, {
          json,
          color: parsed.values.color === true,
          noColor: parsed.values['no-color'] === true,
        }),
      ),
      ...(!json && io.stdoutTty && io.columns && io.columns > 0 ? { width: io.columns } : {}),
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
      ? await withNearIds(e, cwdOf(argv, io.cwd), io.env)
      : new JitpError('E_INTERNAL', `internal error: ${(e as Error)?.stack ?? String(e)}`, {
          hint: 'this is a bug in jitp; please report it with the command you ran',
        });
    if (wantsJson) io.stdout(`${JSON.stringify({ error: err.toJSON() }, null, 2)}\n`);
    else io.stderr(`jitp: ${err.message}\n${err.hint ? `  hint: ${err.hint}\n` : ''}`);
    return err.exitCode;
  }
}
