// A small shell word splitter for the hook's own questions about a Bash command ("does it run
// jitp, and on what?", "does it name the lease store?"), kept apart from the write classifier
// (hooks/bash-writes.ts, a real parser) so these checks need no 1.4 MB parser. It errs towards
// seeing MORE commands than the shell would: heredoc bodies, `$(…)`, backticks and `sh -c`
// strings are all scanned as commands. Pure; bounded in depth and size.

export interface Word {
  /** The word with quotes removed and ANSI-C escapes decoded (what the program sees, when static). */
  text: string;
  /** Holds a variable, substitution or glob: its value is not known before the shell runs it. */
  dynamic: boolean;
}

export interface Split {
  /** Every simple command found, nested ones (`$(…)`, backticks, heredoc bodies) included. */
  commands: Word[][];
  /** True when the text could not be split (unbalanced quotes, too deep, too large). */
  incomplete: boolean;
}

const MAX_DEPTH = 12;
const MAX_LEN = 200_000;
const OPERATOR_CHARS = new Set([';', '&', '|', '(', ')', '\n']);
const REDIRECT = /^(\d*|&)(>>?|<<?<?|>&|<&|>\||<>)$/;

function decodeAnsiC(s: string): string {
  return s.replace(/\\(x[0-9a-fA-F]{1,2}|u[0-9a-fA-F]{1,4}|U[0-9a-fA-F]{1,8}|[0-7]{1,3}|.)/gs, (_, e: string) => {
    const c = e[0]!;
    if (c === 'x' || c === 'u' || c === 'U') return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/[0-7]/.test(c)) return String.fromCharCode(parseInt(e, 8));
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      a: '\x07',
      b: '\b',
      e: '\x1b',
      f: '\f',
      v: '\v',
    };
    return simple[c] ?? c;
  });
}

/** Index just past the `)` closing a `$(` whose body starts at `i`; -1 when unbalanced. */
function closeParen(s: string, i: number): number {
  let depth = 1;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) return -1;
      i = j;
    } else if (c === '"') {
      for (i++; i < s.length && s[i] !== '"'; i++) if (s[i] === '\\') i++;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return -1;
}

/** Splits `cmd` into simple commands of words. */
export function splitShell(cmd: string): Split {
  const out: Split = { commands: [], incomplete: false };
  if (cmd.length > MAX_LEN) return { commands: [], incomplete: true };
  splitInto(cmd, 0, out);
  return out;
}

function splitInto(s: string, depth: number, out: Split): void {
  if (depth > MAX_DEPTH) {
    out.incomplete = true;
    return;
  }
  const nested: string[] = [];
  let words: Word[] = [];
  let cur = '';
  let dyn = false;
  let inWord = false;
  const endWord = () => {
    if (inWord) words.push({ text: cur, dynamic: dyn });
    cur = '';
    dyn = false;
    inWord = false;
  };
  const endCommand = () => {
    endWord();
    if (words.length) out.commands.push(words);
    words = [];
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\') {
      if (s[i + 1] === '\n') i++;
      else {
        cur += s[i + 1] ?? '';
        inWord = true;
        i++;
      }
    } else if (c === "'") {
      const j = s.indexOf("'", i + 1);
      if (j < 0) return void (out.incomplete = true);
      cur += s.slice(i + 1, j);
      inWord = true;
      i = j;
    } else if (c === '$' && s[i + 1] === "'") {
      let j = i + 2;
      for (; j < s.length && s[j] !== "'"; j++) if (s[j] === '\\') j++;
      if (j >= s.length) return void (out.incomplete = true);
      cur += decodeAnsiC(s.slice(i + 2, j));
      inWord = true;
      i = j;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        const d = s[j]!;
        if (d === '\\' && '"\\$`\n'.includes(s[j + 1] ?? '')) {
          if (s[j + 1] !== '\n') cur += s[j + 1];
          j++;
        } else if (d === '$' && s[j + 1] === '(') {
          const e = closeParen(s, j + 2);
          if (e < 0) return void (out.incomplete = true);
          nested.push(s.slice(j + 2, e - 1));
          dyn = true;
          j = e - 1;
        } else if (d === '`') {
          const e = s.indexOf('`', j + 1);
          if (e < 0) return void (out.incomplete = true);
          nested.push(s.slice(j + 1, e));
          dyn = true;
          j = e;
        } else {
          if (d === '$' && /[A-Za-z_{@*#?$!0-9-]/.test(s[j + 1] ?? '')) dyn = true;
          cur += d;
        }
      }
      if (j >= s.length) return void (out.incomplete = true);
      inWord = true;
      i = j;
    } else if (c === '$' && s[i + 1] === '(') {
      const e = closeParen(s, i + 2);
      if (e < 0) return void (out.incomplete = true);
      nested.push(s.slice(i + 2, e - 1));
      dyn = inWord = true;
      i = e - 1;
    } else if (c === '`') {
      const e = s.indexOf('`', i + 1);
      if (e < 0) return void (out.incomplete = true);
      nested.push(s.slice(i + 1, e));
      dyn = inWord = true;
      i = e;
    } else if (c === '#' && !inWord) {
      const e = s.indexOf('\n', i);
      i = e < 0 ? s.length : e - 1;
    } else if (c === ' ' || c === '\t') {
      endWord();
    } else if (c === '<' || c === '>') {
      // A redirection: kept as one word (`2>`, `>>`, `<<`) so the file after it is not taken for
      // an argument. Heredoc bodies stay in the text and are scanned as commands (they may feed a shell).
      const fd = inWord && /^\d+$/.test(cur) && !dyn ? cur : '';
      if (fd) {
        cur = '';
        inWord = false;
      }
      endWord();
      let j = i;
      while (j < s.length && '<>&|-'.includes(s[j]!)) j++;
      words.push({ text: fd + s.slice(i, j), dynamic: false });
      i = j - 1;
    } else if (OPERATOR_CHARS.has(c)) {
      if (c === '(' && inWord) {
        cur += c; // e.g. a function name `f()`: harmless either way
        continue;
      }
      endCommand();
    } else {
      if ((c === '$' && /[A-Za-z_{@*#?$!0-9-]/.test(s[i + 1] ?? '')) || c === '*' || c === '?' || c === '[') dyn = true;
      cur += c;
      inWord = true;
    }
  }
  endCommand();
  for (const n of nested) splitInto(n, depth + 1, out);
}

/** True when `w` is a redirection operator word made by splitShell. */
export const isRedirect = (w: Word): boolean => !w.dynamic && REDIRECT.test(w.text);
