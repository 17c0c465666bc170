// Pure extraction of what an issue's text names: file paths, identifiers, commands that
// imply a manifest change. Nothing here looks at the repository; predict.ts decides which
// mentions are real.

export interface Mentions {
  /** Path-like tokens (with a `/` or a file extension), normalised, in text order. */
  paths: string[];
  /** Identifiers to look up with git grep; `strong` ones were backticked or called `f()`. */
  identifiers: Array<{ name: string; strong: boolean }>;
  /**
   * Subcommands the text defines (`<bin> <sub>`), matched later against the project's own CLI
   * name. `existingOnly`: named without the tool and not as a list item (`follow an explicit
   * --worktree`): enough to name an existing command, not to create one.
   */
  commandWords: Array<{ bin: string; sub: string; display: string; existingOnly?: boolean }>;
  /** npm scripts named by `npm run <x>`. */
  npmScripts: string[];
  /** `group:name` tokens (`bench:remote`): a script when the manifest has scripts in that group. */
  scriptLike: string[];
  /** The text asks for a new dependency (npm install x, cargo add, "add a dependency"…). */
  addsDependency: boolean;
  /** The text asks for a repository-wide change (rename everywhere, reformat all…). */
  repoWide: boolean;
  /** Tokens refused, with why (shown in --json `ignored`). */
  refused: string[];
}

/** Bound the work one issue can cause; a 10 MB description must not stall planning. */
export const MAX_TEXT = 200_000;
const MAX_IDENTIFIERS = 80;
const MAX_PATHS = 200;

// Proper nouns that look like CamelCase code but almost never are.
const STOP = new Set(
  (
    'JavaScript TypeScript GitHub GitLab BitBucket macOS iOS iPadOS YouTube PowerShell LinkedIn WordPress PostgreSQL ' +
    'MySQL MongoDB NodeJS OpenAI ChatGPT PyPI VSCode IntelliJ DevOps OAuth GraphQL WebSocket README TODO FIXME JSON ' +
    'YAML TOML HTML CSS HTTP HTTPS UUID ClaudeCode SemVer CamelCase'
  )
    .split(' ')
    .map((s) => s.toLowerCase()),
);
// Words that look like snake_case but are folder names or prose shorthand everywhere.
const WORD_STOP = new Set([
  'e_g',
  'i_e',
  'and_or',
  'snake_case',
  'camel_case',
  'node_modules',
  '__pycache__',
  'site_packages',
  'dist_info',
]);

const EXT = /\.[A-Za-z][A-Za-z0-9]{0,9}$/;

const COMMAND_NOUNS = new Set([
  'command',
  'commands',
  'subcommand',
  'subcommands',
  'cli',
  'option',
  'options',
  'flag',
  'flags',
]);

/** English words that are never a subcommand name in "the merge command", "x and y". */
const FUNCTION_WORDS = new Set(
  (
    'a an the and or nor with without in into on onto of for to from by via at as is are be been no not its it their ' +
    'our your my all any each every both plus then than when where which that this these those own real new old ' +
    'also only per its some more most other such same'
  ).split(' '),
);

/** Normalises one path-like token; undefined when it cannot be a repo-relative path. */
export function normalizeMentionedPath(token: string): { path?: string; refused?: string } {
  // Strip quotes, brackets and sentence punctuation around the token until nothing changes.
  let t = token;
  for (let prev = ''; prev !== t;) {
    prev = t;
    t = t
      .trim()
      .replace(/^[("'`<[]+/, '')
      .replace(/[)"'`>\],;:!?]+$/, '');
    t = t.replace(/\.+$/, (m) => (m.length === 1 ? '' : m)); // a sentence's full stop
    if (t.startsWith('/')) break; // absolute: refused below, as written
    t = t.replace(/\/{2,}/g, '/').replace(/^(\.\/)+/, '');
  }
  if (!t || t.length > 400) return {};
  if (/[\0-\x1f]/.test(t)) return { refused: `${JSON.stringify(t).slice(0, 60)}: control characters` };
  if (t.startsWith('/')) return { refused: `${t}: absolute path` };
  if (t.startsWith('~') || t.startsWith('$')) return {};
  const segs = t.split('/');
  if (segs.includes('..')) return { refused: `${t}: contains ..` };
  if (segs.some((s) => s === '.')) return {};
  if (/^\.[A-Za-z][\w.-]*$/.test(t)) return { path: t }; // dotfiles: .gitattributes, .env
  if (/^(README|CHANGELOG|CONTRIBUTING|CODEOWNERS|Makefile|Dockerfile|Justfile)$/.test(t)) return { path: t };
  if (!t.includes('/') && !EXT.test(t)) return {};
  // Version numbers (1.2.3), e.g./i.e., domain-like words: need a letter before an extension.
  const last = segs[segs.length - 1] ?? '';
  if (last && !/[A-Za-z_]/.test(last.replace(EXT, ''))) return {};
  if (/^[a-z]\.[a-z]$/i.test(t)) return {};
  return { path: t };
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** "a repo-wide rename", "codebase-wide refactoring". */
const REPO_WIDE_CHANGE = new RegExp(
  String.raw`\b(repo(sitory)?|code ?base)[- ]wide (rename|refactor(ing)?|reformat(ting)?` +
    String.raw`|search[- ]and[- ]replace|migration|upgrade)\b`,
  'i',
);
/** "across the whole codebase", "every file", "rename it everywhere". */
const REPO_WIDE_SCOPE = new RegExp(
  String.raw`\b(across|throughout) the (whole |entire )?(code ?base|repo(sitory)?)\b|\b(in|to|touch(es)?` +
    String.raw`|update|change) every (source )?file\b|\brename (it )?everywhere\b|\breformat (the whole|all)\b` +
    String.raw`|\bmass rename\b`,
  'i',
);

export function extractMentions(text: string, opts: { bins?: readonly string[] } = {}): Mentions {
  const src = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  const refused: string[] = [];
  const paths: string[] = [];
  const pathSet = new Set<string>();
  const idents = new Map<string, boolean>();
  const addIdent = (name: string, strong: boolean, call = false, code = false) => {
    // A plain lowercase word (`list`, `claude`) is English as often as code: a call names code;
    // in backticks (`alpha`, `res.jsonp`) it may, so only its definition is looked up (weak).
    if (/^[a-z]+$/.test(name) && !call) {
      if (!code) return;
      strong = false;
    }
    if (name.length < 3 || !IDENT.test(name) || STOP.has(name.toLowerCase()) || WORD_STOP.has(name.toLowerCase()))
      return;
    if (idents.size >= MAX_IDENTIFIERS && !idents.has(name)) return;
    idents.set(name, (idents.get(name) ?? false) || strong);
  };
  const addPath = (tok: string) => {
    const r = normalizeMentionedPath(tok);
    if (r.refused && refused.length < 50) refused.push(r.refused);
    if (r.path && !pathSet.has(r.path) && paths.length < MAX_PATHS) {
      pathSet.add(r.path);
      paths.push(r.path);
    }
  };
  // URLs name other sites, not repo files.
  const noUrls = src.replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, ' ');

  // Backticked spans: the strongest signal in issue text.
  for (const m of noUrls.matchAll(/`([^`\n]{1,300})`/g)) {
    const span = m[1]!.trim();
    if (/^[\w.@+~\-/]+$/.test(span) && (span.includes('/') || EXT.test(span) || /^\.[A-Za-z]/.test(span))) {
      addPath(span);
      continue;
    }
    for (const c of span.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g)) addIdent(c[1]!, true, true);
    for (const part of span.split(/::|\.|#/)) {
      const w = part.replace(/\(.*$/, '').trim();
      if (IDENT.test(w)) addIdent(w, true, false, true);
    }
    if (/\s/.test(span)) for (const tok of span.split(/\s+/)) if (tok.includes('/') || EXT.test(tok)) addPath(tok);
  }
  // Root documents named without an extension ("the README section").
  for (const m of noUrls.matchAll(/\b(README|CHANGELOG|CONTRIBUTING|CODEOWNERS|Makefile|Dockerfile|Justfile)\b/g))
    addPath(m[1]!);
  // Path-like tokens anywhere.
  for (const m of noUrls.matchAll(
    /[\w@.+~\-/]*[\w@+~\-]\/[\w@.+~\-/]*|[\w@+~\-][\w@.+~\-]*\.[A-Za-z][A-Za-z0-9]{0,9}\b/g,
  )) {
    addPath(m[0]);
  }
  // Code-like words in prose.
  for (const m of noUrls.matchAll(/\b([A-Za-z_]\w*(?:::[A-Za-z_]\w*)+)/g))
    for (const p of m[1]!.split('::')) addIdent(p, true);
  for (const m of noUrls.matchAll(/\b([A-Za-z_$][\w$]*)\(\)/g)) addIdent(m[1]!, true, true);
  for (const m of noUrls.matchAll(/\b([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+|[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+)\b/g))
    addIdent(m[1]!, false);
  for (const m of noUrls.matchAll(/\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b/g)) addIdent(m[1]!, false);

  // Commands the issue defines, not ones it merely refers to ("builds on `jitp claim`"):
  // a backticked command that opens a heading or a list item, is written with usage syntax,
  // or is followed by what it does; and, for the project's own CLI names (`opts.bins`), a
  // plain `tool sub` in the title or a heading. `tool claim acquire/renew` names two commands.
  const commandWords: Array<{ bin: string; sub: string; display: string; existingOnly?: boolean }> = [];
  const seenCmd = new Set<string>();
  const addCommand = (span: string, existingOnly = false) => {
    const w = /^([a-z][\w-]*) ([a-z][a-z0-9-]*)(?: ([a-z][a-z0-9-]*(?:\/[a-z][a-z0-9-]*)*))?/.exec(span);
    if (!w || FUNCTION_WORDS.has(w[2]!) || COMMAND_NOUNS.has(w[2]!)) return;
    const thirds =
      w[3] && !FUNCTION_WORDS.has(w[3].split('/')[0]!) && !COMMAND_NOUNS.has(w[3].split('/')[0]!)
        ? w[3].split('/')
        : [undefined];
    for (const third of thirds) {
      const sub = third ? `${w[2]}-${third}` : w[2]!;
      if (seenCmd.has(`${w[1]} ${sub}`)) continue;
      seenCmd.add(`${w[1]} ${sub}`);
      commandWords.push({
        bin: w[1]!,
        sub,
        display: [w[1], w[2], third].filter(Boolean).join(' '),
        ...(existingOnly ? { existingOnly } : {}),
      });
    }
  };
  /** The last run of words that are not function words: "the merge" -> "merge". */
  const tail = (words: string): string | undefined => {
    const ws = words.split(' ');
    let i = ws.length;
    while (i > 0 && !FUNCTION_WORDS.has(ws[i - 1]!)) i--;
    const rest = ws.slice(i);
    return rest.length ? rest.join(' ') : undefined;
  };
  const bins = (opts.bins ?? []).filter((b) => /^[a-z][\w-]*$/.test(b));
  const plainCmd = bins.length
    ? new RegExp(`(?:^|[\\s(,;])((?:${bins.join('|')}) [a-z][\\w-]*(?: [a-z][\\w-]*(?:/[a-z][\\w-]*)*)?)`, 'g')
    : undefined;
  noUrls.split('\n').forEach((line, i) => {
    const lead = /^\s*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+)?(?:\*\*)?`([^`]+)`/.exec(line);
    for (const m of line.matchAll(/`([^`]+)`/g)) {
      const span = m[1]!;
      // "`tool sync` refreshes the mirror": a command followed by what it does.
      const after = line.slice(m.index! + m[0].length);
      const describes = /^\s+(?!is\b|was\b|has\b|does\b|needs\b|uses\b|calls\b)[a-z]+s\b/.test(after);
      if (lead?.[1] === span || describes || /\[--|<[\w…. -]+>|\[<|\.\.\.|…/.test(span)) addCommand(span);
    }
    if (plainCmd && (i === 0 || /^\s*#{1,6}\s/.test(line))) {
      const plain = line.replace(/`/g, ' ');
      for (const m of plain.matchAll(plainCmd)) addCommand(m[1]!);
      // `status --watch` in a title: a subcommand written with its flag, the tool implied.
      // Without the tool's name, only a phrase that starts a list item may create a command:
      // "…, status --watch" does, "follow an explicit --worktree" only names an existing one.
      const startsItem = (m: RegExpMatchArray, t: string) => {
        const start = m.index! + m[0].indexOf(m[1]!);
        return t === m[1] && (start === 0 || /(^|[,;:(])$/.test(plain.slice(0, start).trimEnd()));
      };
      for (const m of plain.matchAll(/(?:^|[\s(,;])((?:[a-z][a-z0-9-]* )?[a-z][a-z0-9-]*) --[a-z][\w-]*/g)) {
        const t = tail(m[1]!);
        if (t && !bins.includes(t.split(' ')[0]!)) addCommand(`${bins[0]} ${t}`, !startsItem(m, t));
      }
      // "prompt/verify/issue done commands": a list of subcommands named as such.
      for (const m of plain.matchAll(
        /(?:^|[\s(,;])((?:[a-z][a-z0-9-]*\/)*[a-z][a-z0-9-]*(?: [a-z][a-z0-9-]*)?) (?:sub)?commands?\b/g,
      )) {
        const item = startsItem(m, tail(m[1]!) ?? '');
        for (const chunk of m[1]!.split('/')) {
          const t = tail(chunk);
          if (t && !bins.includes(t.split(' ')[0]!)) addCommand(`${bins[0]} ${t}`, !item);
        }
      }
    }
  });
  const npmScripts = [...new Set([...noUrls.matchAll(/\bnpm run ([\w:.-]*\w)/g)].map((m) => m[1]!))];
  const scriptLike = [
    ...new Set([...noUrls.matchAll(/(?<![\w/.:-])([a-z][\w-]*:[a-z][\w-]*)(?![\w/:])/g)].map((m) => m[1]!)),
  ].slice(0, 50);
  const addsDependency =
    /\b(npm (install|i|add)|yarn add|pnpm add|cargo add|pip install|poetry add|go get|bundle add)\s+[\w@]/i.test(
      noUrls,
    ) ||
    /\b(add|new|adds|introduce)\s+(a\s+)?(new\s+)?(runtime\s+|dev\s+)?dependenc(y|ies)\b/i.test(noUrls) ||
    /\b(upgrade|bump|update)\s+(the\s+)?dependenc(y|ies)\b/i.test(noUrls);
  // Asked for, not merely named: "a repo-wide rename", "across the whole codebase", "every file".
  const repoWide = REPO_WIDE_CHANGE.test(noUrls) || REPO_WIDE_SCOPE.test(noUrls);
  return {
    paths,
    identifiers: [...idents].map(([name, strong]) => ({ name, strong })),
    commandWords,
    npmScripts,
    scriptLike,
    addsDependency,
    repoWide,
    refused,
  };
}
