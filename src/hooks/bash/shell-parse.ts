// A small shell parser for the one question the Bash hook asks: which commands run, with which
// words and redirections, and where a subshell begins and ends (so `cd` is tracked). It covers
// what decides that (quotes, escapes, `$( )`, backticks, `;` `&&` `||` `|` `&`, redirections,
// here-documents, subshells, groups, compound commands, assignments) and nothing of evaluation:
// a word that depends on the shell at run time has no value. Linear in the input, bounded in
// depth and time, so every command ends in a decision well inside the hook's timeout.

export interface Word {
  /** The word after quote removal; undefined when it depends on the run time (`$X`, `$(…)`). */
  value?: string;
  /** Unquoted `*`, `?`, `[`, `{`: the shell may expand it into other names. */
  glob: boolean;
  /** As written, for messages. */
  shown: string;
}

export interface Redirect {
  /** `>`, `>>`, `>|`, `&>`, `&>>`, `<>`, `>&`, `<`, `<&`, `<<`, `<<<`. */
  op: string;
  fd?: number;
  target: Word;
}

export type ShellEvent =
  | { kind: 'command'; words: Word[]; redirects: Redirect[] }
  /** A subshell (`( … )`, `$( … )`, backticks, `<( … )`): `cd` inside it ends with it. */
  | { kind: 'enter' }
  | { kind: 'leave' };

export class ShellParseError extends Error {
  constructor(
    message: string,
    /** `syntax` | `depth` | `size` | `time`: the last three are limits, not mistakes. */
    readonly reason: 'syntax' | 'depth' | 'size' | 'time' = 'syntax',
  ) {
    super(message);
  }
}

export interface ParseLimits {
  /** Characters; longer commands are not parsed. */
  maxLength: number;
  /** Nesting of `$( )`, subshells, backticks and `sh -c` re-parses together. */
  maxDepth: number;
  /** Date.now() after which parsing stops. */
  deadline: number;
}

export const DEFAULT_LIMITS = { maxLength: 256 * 1024, maxDepth: 64, budgetMs: 1500 };

const RESERVED = new Set(['if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', '!', '{', '}', 'time']);
const WORD_END = new Set([' ', '\t', '\n', ';', '&', '|', '(', ')', '<', '>']);
const REDIRECT = /(\d*)(&>>|&>|>>|>\||>&|>|<<<|<<-|<<|<>|<&|<)/y;

interface Heredoc {
  delim: string;
  strip: boolean;
  expand: boolean;
}

interface Shared {
  events: ShellEvent[];
  limits: ParseLimits;
  steps: number;
}

/** Parses a whole command line into the commands it runs, in order. */
export function parseShell(src: string, limits: ParseLimits, depth = 0, events: ShellEvent[] = []): ShellEvent[] {
  if (src.length > limits.maxLength)
    throw new ShellParseError(
      `the command is ${src.length} characters long, over the ${limits.maxLength} the hook parses`,
      'size',
    );
  const p = new Parser(src, { events, limits, steps: 0 }, depth);
  p.list(undefined);
  return events;
}

class Parser {
  i = 0;
  private pending: Heredoc[] = [];

  constructor(
    readonly src: string,
    readonly sh: Shared,
    readonly depth: number,
  ) {
    if (depth > sh.limits.maxDepth)
      throw new ShellParseError(`the command nests deeper than ${sh.limits.maxDepth} levels`, 'depth');
  }

  private tick(): void {
    if ((++this.sh.steps & 1023) === 0 && Date.now() > this.sh.limits.deadline)
      throw new ShellParseError('parsing the command took too long', 'time');
  }

  private fail(what: string): never {
    const at = this.src.slice(Math.max(0, this.i - 20), this.i + 20).replace(/\n/g, '\\n');
    throw new ShellParseError(`${what} (near \`${at}\`)`);
  }

  private skipBlanks(): void {
    for (;;) {
      const c = this.src[this.i];
      if (c === ' ' || c === '\t' || c === '\r') this.i++;
      else if (c === '\\' && this.src[this.i + 1] === '\n') this.i += 2;
      else return;
    }
  }

  /** A nested list run in a subshell, parsed up to its closing `)`. */
  private subshell(): void {
    const inner = new Parser(this.src, this.sh, this.depth + 1);
    inner.i = this.i;
    this.sh.events.push({ kind: 'enter' });
    inner.list(')');
    this.sh.events.push({ kind: 'leave' });
    this.i = inner.i;
  }

  /** Commands up to `end` (`)` consumed) or the end of the input. */
  list(end: ')' | undefined): void {
    let words: Word[] = [];
    let redirects: Redirect[] = [];
    /** Words of a compound command's header (`for x in …`, `case … in`): not a call. */
    let header: 'for' | 'case' | undefined;
    let inTest = false;
    let casePatterns = 0;
    let expectPattern = false;
    const finish = () => {
      if (!header && (words.length || redirects.length)) this.sh.events.push({ kind: 'command', words, redirects });
      words = [];
      redirects = [];
      header = undefined;
      inTest = false;
    };
    for (;;) {
      this.tick();
      this.skipBlanks();
      const c = this.src[this.i];
      if (c === undefined) {
        if (end) this.fail('`(` or `$(` without its `)`');
        finish();
        return;
      }
      if (expectPattern && c !== '\n' && c !== ';') {
        expectPattern = false;
        if (this.src.startsWith('esac', this.i) && /^esac(?=[\s;&|)]|$)/.test(this.src.slice(this.i, this.i + 5))) {
          this.i += 4;
          casePatterns--;
          continue;
        }
        this.pattern();
        continue;
      }
      if (c === '#' && (this.i === 0 || /[\s;&|()]/.test(this.src[this.i - 1]!))) {
        while (this.i < this.src.length && this.src[this.i] !== '\n') this.i++;
        continue;
      }
      if (c === '\n') {
        this.i++;
        if (!inTest) finish();
        this.heredocs();
        continue;
      }
      if (inTest && '<>()!'.includes(c)) {
        this.i++;
        words.push({ value: c, glob: false, shown: c });
        continue;
      }
      if (c === ')') {
        if (end !== ')') this.fail('unexpected `)`');
        this.i++;
        finish();
        return;
      }
      if (c === ';' || c === '&' || c === '|') {
        if (this.src.startsWith('&>', this.i)) {
          redirects.push(this.redirect());
          continue;
        }
        const op = /^(;;&|;;|;&|&&|\|\||\|&|[;&|])/.exec(this.src.slice(this.i, this.i + 3))![1]!;
        this.i += op.length;
        if (inTest && (op === '&&' || op === '||')) {
          words.push({ value: op, glob: false, shown: op });
          continue;
        }
        finish();
        if (op.startsWith(';;') || op === ';&') {
          if (casePatterns > 0) expectPattern = true;
          else this.fail(`\`${op}\` outside \`case\``);
        }
        continue;
      }
      if (c === '(') {
        if (words.length === 0 && !header) {
          if (this.src[this.i + 1] === '(') this.arithmetic(2, 2);
          else {
            this.i++;
            this.subshell();
          }
          continue;
        }
        if (header === 'for' && this.src[this.i + 1] === '(') {
          this.arithmetic(2, 2);
          continue;
        }
        // `name() { …; }`: a function definition, not a call of `name`.
        const m = /^\(\s*\)/.exec(this.src.slice(this.i, this.i + 16));
        if (words.length === 1 && m) {
          this.i += m[0].length;
          words = [];
          continue;
        }
        this.fail('unexpected `(`');
      }
      if ((c === '<' || c === '>') && this.src[this.i + 1] === '(') {
        this.i += 2;
        this.subshell();
        words.push({ glob: false, shown: '<(…)' });
        continue;
      }
      REDIRECT.lastIndex = this.i;
      if (REDIRECT.test(this.src) && !inTest) {
        redirects.push(this.redirect());
        continue;
      }
      const w = this.word();
      if (words.length === 0 && !header && w.value !== undefined && w.shown === w.value) {
        if (RESERVED.has(w.value)) continue;
        if (w.value === 'for' || w.value === 'select') {
          header = 'for';
          continue;
        }
        if (w.value === 'case') {
          header = 'case';
          continue;
        }
        if (w.value === 'function') {
          this.skipBlanks();
          this.word();
          this.skipBlanks();
          if (this.src.startsWith('()', this.i)) this.i += 2;
          continue;
        }
        if (w.value === '[[') inTest = true;
      }
      if (header === 'case' && w.value === 'in' && w.shown === 'in') {
        casePatterns++;
        header = undefined;
        words = [];
        expectPattern = true;
        continue;
      }
      if (header === 'for' && (w.shown === 'do' || w.shown === 'in')) {
        if (w.shown === 'do') header = undefined;
        continue;
      }
      if (inTest && w.shown === ']]') {
        inTest = false;
        words.push(w);
        continue;
      }
      words.push(w);
    }
  }

  /** A `case` pattern up to its `)`: its words are not commands. */
  private pattern(): void {
    if (this.src[this.i] === '(') this.i++;
    for (;;) {
      this.tick();
      this.skipBlanks();
      const c = this.src[this.i];
      if (c === undefined) this.fail('`case` pattern without `)`');
      if (c === ')') {
        this.i++;
        return;
      }
      if (c === '|' || c === '\n') {
        this.i++;
        continue;
      }
      this.word();
    }
  }

  /** Skips `((…))` / `$((…))`, `skip` characters of opening: arithmetic writes no file. */
  private arithmetic(skip: number, depth: number): void {
    this.i += skip;
    while (depth > 0) {
      this.tick();
      const c = this.src[this.i++];
      if (c === undefined) this.fail('`((` without `))`');
      if (c === '(') depth++;
      else if (c === ')') depth--;
      else if (c === '$' && this.src[this.i] === '(' && this.src[this.i + 1] !== '(') {
        this.i++;
        this.subshell();
      }
    }
  }

  private redirect(): Redirect {
    REDIRECT.lastIndex = this.i;
    const m = REDIRECT.exec(this.src)!;
    this.i += m[0].length;
    const op = m[2]!;
    this.skipBlanks();
    const c = this.src[this.i];
    if (c === undefined || c === '\n' || ';&|()<>'.includes(c)) this.fail(`\`${op}\` without a target`);
    const target = this.word();
    if (op === '<<' || op === '<<-') {
      const quoted = /['"\\]/.test(target.shown);
      this.pending.push({ delim: target.value ?? target.shown, strip: op === '<<-', expand: !quoted });
    }
    return { op, ...(m[1] ? { fd: Number(m[1]) } : {}), target };
  }

  /** Reads the bodies of the here-documents opened on the line just ended. */
  private heredocs(): void {
    for (const h of this.pending) {
      const start = this.i;
      let bodyEnd = this.src.length;
      while (this.i < this.src.length) {
        this.tick();
        let nl = this.src.indexOf('\n', this.i);
        if (nl < 0) nl = this.src.length;
        let line = this.src.slice(this.i, nl);
        if (h.strip) line = line.replace(/^\t+/, '');
        const lineStart = this.i;
        this.i = Math.min(nl + 1, this.src.length);
        if (line === h.delim) {
          bodyEnd = lineStart;
          break;
        }
      }
      if (h.expand) this.expansionsIn(this.src.slice(start, bodyEnd));
    }
    this.pending = [];
  }

  /** Command substitutions inside an expanding here-document run: parse them. */
  private expansionsIn(body: string): void {
    const p = new Parser(body, this.sh, this.depth + 1);
    while (p.i < body.length) {
      const c = body[p.i];
      if (c === '\\') p.i += 2;
      else if (c === '$' || c === '`') p.dollarOrBacktick();
      else p.i++;
    }
  }

  /** At `$` or a backtick: reads one expansion; returns false when it has a static value (`$`). */
  private dollarOrBacktick(): boolean {
    const s = this.src;
    if (s[this.i] === '`') {
      this.backtick();
      return true;
    }
    const n = s[this.i + 1];
    if (n === '(') {
      if (s[this.i + 2] === '(') this.arithmetic(3, 2);
      else {
        this.i += 2;
        this.subshell();
      }
      return true;
    }
    if (n === '{') {
      this.i += 2;
      this.braced();
      return true;
    }
    if (n !== undefined && /[A-Za-z0-9_@*#?$!-]/.test(n)) {
      this.i += 2;
      if (/[A-Za-z_]/.test(n)) while (/[A-Za-z0-9_]/.test(s[this.i] ?? '')) this.i++;
      return true;
    }
    this.i++;
    return false;
  }

  /** `${…}` after its `{`; a `$( )` inside runs too. */
  private braced(): void {
    let depth = 1;
    while (depth > 0) {
      this.tick();
      const c = this.src[this.i];
      if (c === undefined) this.fail('`${` without `}`');
      if (c === '\\') this.i += 2;
      else if (c === "'") {
        const e = this.src.indexOf("'", this.i + 1);
        if (e < 0) this.fail('unterminated single quote');
        this.i = e + 1;
      } else if (c === '$' || c === '`') this.dollarOrBacktick();
      else {
        if (c === '{') depth++;
        else if (c === '}') depth--;
        this.i++;
      }
    }
  }

  private backtick(): void {
    const s = this.src;
    let j = this.i + 1;
    let inner = '';
    for (;;) {
      this.tick();
      const c = s[j];
      if (c === undefined) this.fail('unterminated backtick');
      if (c === '`') break;
      if (c === '\\' && '`$\\'.includes(s[j + 1] ?? '')) {
        inner += s[j + 1];
        j += 2;
      } else {
        inner += c;
        j++;
      }
    }
    this.i = j + 1;
    this.sh.events.push({ kind: 'enter' });
    const p = new Parser(inner, this.sh, this.depth + 1);
    p.list(undefined);
    this.sh.events.push({ kind: 'leave' });
  }

  /** One word from here; `value` undefined when anything in it is expanded at run time. */
  private word(): Word {
    const s = this.src;
    const start = this.i;
    let value: string | undefined = '';
    let glob = false;
    const add = (t: string) => {
      if (value !== undefined) value += t;
    };
    if (s[this.i] === '~') {
      const m = /^~([A-Za-z0-9_.-]*)/.exec(s.slice(this.i, this.i + 64))!;
      this.i += m[0].length;
      // `~` and `~/…` are the home folder (the caller substitutes it); `~user` is unknown.
      if (m[1]) value = undefined;
      else add('\0HOME\0');
    }
    for (;;) {
      this.tick();
      const c = s[this.i];
      if (c === undefined || WORD_END.has(c)) {
        // `@(…)`, `!(…)`, `+(…)`, `*(…)`, `?(…)`: extended globs, part of the word.
        if (c === '(' && this.i > start && '@!+*?'.includes(s[this.i - 1]!)) {
          this.extglob();
          glob = true;
          continue;
        }
        // `a=(x y)`: an array assignment.
        if (c === '(' && /^[A-Za-z_][A-Za-z0-9_]*\+?=$/.test(s.slice(start, this.i))) {
          this.extglob();
          value = undefined;
          continue;
        }
        break;
      }
      if (c === '\\') {
        if (s[this.i + 1] === '\n') this.i += 2;
        else {
          add(s[this.i + 1] ?? '');
          this.i += 2;
        }
      } else if (c === "'") {
        const e = s.indexOf("'", this.i + 1);
        if (e < 0) this.fail('unterminated single quote');
        add(s.slice(this.i + 1, e));
        this.i = e + 1;
      } else if (c === '$' && s[this.i + 1] === "'") {
        this.i += 2;
        add(this.ansiC());
      } else if (c === '"') {
        this.i++;
        if (!this.double()) value = undefined;
        else if (value !== undefined) value += this.lastDouble;
      } else if (c === '$' || c === '`') {
        if (this.dollarOrBacktick()) value = undefined;
        else add('$');
      } else {
        if (c === '*' || c === '?' || c === '[' || c === '{') glob = true;
        add(c);
        this.i++;
      }
    }
    if (this.i === start) this.fail(`unexpected \`${s[this.i]}\``);
    return { ...(value !== undefined ? { value } : {}), glob, shown: s.slice(start, this.i) };
  }

  private extglob(): void {
    let depth = 0;
    do {
      this.tick();
      const c = this.src[this.i++];
      if (c === undefined) this.fail('`(` without its `)`');
      if (c === '\\') this.i++;
      else if (c === '(') depth++;
      else if (c === ')') depth--;
    } while (depth > 0);
  }

  private lastDouble = '';
  /** Inside `"…"` after the opening quote; true when the content is static (in lastDouble). */
  private double(): boolean {
    const s = this.src;
    let out = '';
    let fixed = true;
    for (;;) {
      this.tick();
      const c = s[this.i];
      if (c === undefined) this.fail('unterminated double quote');
      if (c === '"') {
        this.i++;
        this.lastDouble = out;
        return fixed;
      }
      if (c === '\\') {
        const n = s[this.i + 1];
        if (n === '\n') this.i += 2;
        else if (n !== undefined && '$`"\\'.includes(n)) {
          out += n;
          this.i += 2;
        } else {
          out += '\\';
          this.i++;
        }
      } else if (c === '$' || c === '`') {
        if (this.dollarOrBacktick()) fixed = false;
        else out += '$';
      } else {
        out += c;
        this.i++;
      }
    }
  }

  /** `$'…'` after its quote: C escapes. */
  private ansiC(): string {
    const s = this.src;
    let out = '';
    const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v' };
    for (;;) {
      this.tick();
      const c = s[this.i];
      if (c === undefined) this.fail("unterminated $' quote");
      if (c === "'") {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const n = s[this.i + 1] ?? '';
        out += esc[n] ?? n;
        this.i += 2;
      } else {
        out += c;
        this.i++;
      }
    }
  }
}
