import type { CommandSpec, OptionSpec } from '../command.js';
import { flag } from '../command.js';
import { commands } from './index.js';
import { GLOBAL_OPTIONS } from '../global-options.js';
import { usageError } from '../../platform/errors.js';
import { VERSION } from '../../core/version.js';
import { TERMINAL_STATES } from '../../sources/types.js';
import { flatLine } from '../../render/text.js';
import {
  SHELLS,
  completionScript,
  type CompletionCommand,
  type CompletionModel,
  type CompletionOption,
  type Shell,
  type ValueKind,
} from '../../render/completion.js';
import { workspaceOf } from '../workspace.js';

export const command: CommandSpec = {
  name: 'completion',
  summary: 'Print a shell completion script (bash, zsh or fish) for jitp',
  usage: 'jitp completion <bash|zsh|fish> [--json]',
  help: [
    'Generated from the command table: commands, the subcommands of claim/worktree/hook/…, every',
    'option, and the values they take (files, folders, git remotes, fixed choices). Issue ids are',
    'completed lazily: only when an issue is wanted does the script run `jitp completion --list-issues`',
    '(the open issues of the repository, with -C if the line has one; at most 3 s).',
    '',
    'Install (docs/cli.md, "Shell completion"):',
    "  bash  echo 'source <(jitp completion bash)' >> ~/.bashrc",
    "  zsh   echo 'source <(jitp completion zsh)' >> ~/.zshrc        (after compinit)",
    '  fish  jitp completion fish > ~/.config/fish/completions/jitp.fish',
    '',
    'JSON: {"shell": "bash"|"zsh"|"fish", "script": string};',
    '      with --list-issues: {"issues": [{"id", "title"}]}',
    'Exit codes: 0 ok, 2 unknown shell; with --list-issues 7 not a git repository, 8 invalid configuration.',
  ].join('\n'),
  options: {
    'list-issues': {
      type: 'boolean',
      description: 'Print the open issue ids, tab, title (what the scripts complete from)',
    },
  },
  positionals: { max: 1, names: '<bash|zsh|fish>' },
  async run(ctx) {
    if (flag(ctx.args.values['list-issues'])) {
      const source = await workspaceOf(ctx).source();
      const open = source.list().filter((i) => !TERMINAL_STATES.includes(i.state));
      const issues = open.map((i) => ({ id: i.shortId, title: flatLine(i.title) }));
      return { json: { issues }, text: issues.map((i) => `${i.id}\t${i.title}`).join('\n') };
    }
    const shell = ctx.args.positionals[0];
    if (!shell || !(SHELLS as readonly string[]).includes(shell))
      throw usageError(
        shell ? `unknown shell: ${shell}` : 'missing argument: <bash|zsh|fish>',
        `one of: ${SHELLS.map((s) => `jitp completion ${s}`).join(', ')}`,
      );
    const script = completionScript(shell as Shell, await completionModel());
    return { json: { shell, script }, text: script };
  },
};

/** The command table as the completion scripts need it. */
export async function completionModel(): Promise<CompletionModel> {
  const list: CompletionCommand[] = [];
  for (const [path, load] of Object.entries(commands)) {
    const spec = (await load()).command;
    list.push({
      path,
      summary: spec.summary,
      positional: positionalOf(spec),
      ...(spec.positionals?.max !== undefined && Number.isFinite(spec.positionals.max)
        ? { maxPositionals: spec.positionals.max }
        : {}),
      options: Object.entries(spec.options ?? {}).map(([name, o]) => optionOf(name, o, spec.usage)),
    });
  }
  return {
    program: 'jitp',
    version: VERSION,
    commands: list,
    globals: Object.entries(GLOBAL_OPTIONS).map(([name, o]) => optionOf(name, o, '')),
  };
}

function optionOf(name: string, o: OptionSpec, usage: string): CompletionOption {
  return {
    name,
    ...(o.short ? { short: o.short } : {}),
    value: o.type === 'boolean' ? null : valueOf(name, o.arg ?? '', usage),
    ...(o.variadic ? { variadic: true } : {}),
    description: o.description,
  };
}

/** What an option's value is, from its placeholder (`<dir>`, `<file>`…) or the choices its usage lists. */
function valueOf(name: string, arg: string, usage: string): ValueKind {
  const choices = new RegExp(`--${name} ([a-z-]+(?:\\|[a-z-]+)+)`).exec(usage);
  if (choices) return choices[1]!.split('|');
  if (arg === '<dir>') return 'dir';
  if (/^<(file|path|p)>/.test(arg)) return 'file';
  if (arg === '<issue>') return 'issue';
  if (name === 'remote') return 'remote';
  return 'text';
}

/** What a command's positionals are, from their names (or its usage line without the options). */
function positionalOf(spec: CommandSpec): ValueKind | null {
  if (spec.name === 'completion') return SHELLS;
  if (spec.positionals?.max === 0) return null;
  const words = spec.positionals?.names ?? spec.usage.replace(/\[?--?[a-zA-Z][^\]]*\]?/g, '');
  if (/<issue/.test(words)) return 'issue';
  if (/<(file|path)/.test(words)) return 'file';
  if (/<remote/.test(words)) return 'remote';
  return /</.test(words) ? 'text' : null;
}
