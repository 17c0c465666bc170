// The contract every command file implements. Commands return data; only main.ts
// prints and exits, so every command behaves the same under --json and in tests.
import type { Style } from '../render/style.js';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Also takes the words after it, up to the next option: `--paths a b c` (implies multiple). */
  variadic?: boolean;
  /** Shown in --help. Keep it one line. */
  description: string;
  /** Placeholder shown in --help, e.g. `<dur>`. */
  arg?: string;
}

export interface CommandSpec {
  /** Full command path as typed after `jitp`, e.g. `claim acquire`. */
  name: string;
  summary: string;
  /** One usage line, e.g. `jitp claim acquire <issue> [--paths <p>…] [--ttl <dur>]`. */
  usage: string;
  /** Longer help text: what it does, the --json shape, exit codes. */
  help?: string;
  options?: Record<string, OptionSpec>;
  /** Allowed positional count; defaults to any. */
  positionals?: { min?: number; max?: number; names?: string };
  run(ctx: CommandContext): Promise<CommandResult>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface CommandContext {
  args: ParsedArgs;
  /** Directory the command acts on (`-C <dir>`, else process.cwd()). */
  cwd: string;
  json: boolean;
  env: NodeJS.ProcessEnv;
  /** Progress for long operations: goes to stderr, never into --json stdout. */
  progress(line: string): void;
  /** Plain informational line to stderr (warnings that must not pollute stdout). */
  warn(line: string): void;
  /** True when stderr is a terminal (progress may redraw). */
  interactive: boolean;
  /** Colour for text output (off without a TTY, with NO_COLOR, and always with --json). */
  style?: Style;
  /** The terminal's width, when stdout is one and not --json: tables fit it (render/table.ts). */
  width?: number;
}

export interface CommandResult {
  /** Defaults to 0. Use EXIT from core/errors. */
  exitCode?: number;
  /** Printed (pretty, stable key order as built) with --json. */
  json?: unknown;
  /** Printed without --json. */
  text?: string;
}

// Small helpers so command files stay thin.
export const str = (v: ParsedArgs['values'][string]): string | undefined =>
  typeof v === 'string' ? v : Array.isArray(v) ? v[v.length - 1] : undefined;
export const list = (v: ParsedArgs['values'][string]): string[] =>
  Array.isArray(v) ? v.flatMap(splitList) : typeof v === 'string' ? splitList(v) : [];
export const flag = (v: ParsedArgs['values'][string]): boolean => v === true;
// `--paths a,b --paths c`, `--paths a b c` and `--paths "a b"` all mean [a,b,c]; commas are
// rare in paths but not impossible, so `\,` escapes one. A comma inside braces belongs to the
// glob (`src/{a,b}.ts` is one pattern naming two files).
export function splitList(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && s[i + 1] === ',') {
      cur += depth > 0 ? '\\,' : ',';
      i++;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += c + s[++i];
    } else if ((c === ',' && depth === 0) || /\s/.test(c)) {
      out.push(cur);
      cur = '';
    } else {
      if (c === '{') depth++;
      else if (c === '}' && depth > 0) depth--;
      cur += c;
    }
  }
  out.push(cur);
  return out.filter((x) => x.length > 0);
}

/** How a command's text is to look: colour and the terminal's width (both unset in a pipe). */
export const lookOf = (ctx: CommandContext): { style?: Style; width?: number } => ({
  ...(ctx.style ? { style: ctx.style } : {}),
  ...(ctx.width ? { width: ctx.width } : {}),
});
