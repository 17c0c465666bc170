// Pure extraction of what an issue's text names: file paths, identifiers, commands that
// imply a manifest change. Nothing here looks at the repository; predict.ts decides which
// mentions are real.

export interface Mentions {
  /** Path-like tokens (with a `/` or a file extension), normalised, in text order. */
  paths: string[];
  /** Identifiers to look up with git grep; `strong` ones were backticked or called `f()`. */
  identifiers: Array<{ name: string; strong: boolean }>;
  /** npm scripts named by `npm run <x>`. */
  npmScripts: string[];
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
  'JavaScript TypeScript GitHub GitLab BitBucket macOS iOS iPadOS YouTube PowerShell LinkedIn WordPress PostgreSQL MySQL MongoDB NodeJS OpenAI ChatGPT PyPI VSCode IntelliJ DevOps OAuth GraphQL WebSocket README TODO FIXME JSON YAML TOML HTML CSS HTTP HTTPS UUID ClaudeCode SemVer CamelCase'.split(' ').map((s) => s.toLowerCase()),
);
const WORD_STOP = new Set(['e_g', 'i_e', 'and_or', 'snake_case', 'camel_case']);

const EXT = /\.[A-Za-z][A-Za-z0-9]{0,9}$/;

/** Normalises one path-like token; undefined when it cannot be a repo-relative path. */
export function normalizeMentionedPath(token: string): { path?: string; refused?: string } {
  let t = token.trim().replace(/^[("'`<[]+/, '').replace(/[)"'`>\],;:!?]+$/, '');
  t = t.replace(/\.+$/, (m) => (m.length === 1 ? '' : m)); // sentence full stop
  if (!t || t.length > 400) return {};
  if (/[\0-\x1f]/.test(t)) return { refused: `${JSON.stringify(t).slice(0, 60)}: control characters` };
  if (t.startsWith('~') || t.startsWith('$')) return {};
  if (t.startsWith('/')) return { refused: `${t}: absolute path` };
  t = t.replace(/^(\.\/)+/, '').replace(/\/{2,}/g, '/');
  const segs = t.split('/');
  if (segs.includes('..')) return { refused: `${t}: contains ..` };
  if (segs.some((s) => s === '.')) return {};
  if (/^\.[A-Za-z][\w.-]*$/.test(t)) return { path: t }; // dotfiles: .gitattributes, .env
  if (!t.includes('/') && !EXT.test(t)) return {};
  // Version numbers (1.2.3), e.g./i.e., domain-like words: need a letter before an extension.
  const last = segs[segs.length - 1] ?? '';
  if (last && !/[A-Za-z_]/.test(last.replace(EXT, ''))) return {};
  if (/^[a-z]\.[a-z]$/i.test(t)) return {};
  return { path: t };
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

export function extractMentions(text: string): Mentions {
  const src = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text;
  const refused: string[] = [];
  const paths: string[] = [];
  const pathSet = new Set<string>();
  const idents = new Map<string, boolean>();
  const addIdent = (name: string, strong: boolean) => {
    if (name.length < 3 || !IDENT.test(name) || STOP.has(name.toLowerCase()) || WORD_STOP.has(name.toLowerCase())) return;
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
    for (const c of span.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g)) addIdent(c[1]!, true);
    for (const part of span.split(/::|\.|#/)) {
      const w = part.replace(/\(.*$/, '').trim();
      if (IDENT.test(w)) addIdent(w, true);
    }
    if (/\s/.test(span)) for (const tok of span.split(/\s+/)) if (tok.includes('/') || EXT.test(tok)) addPath(tok);
  }
  // Path-like tokens anywhere.
  for (const m of noUrls.matchAll(/[\w@.+~\-/]*[\w@+~\-]\/[\w@.+~\-/]*|[\w@+~\-][\w@.+~\-]*\.[A-Za-z][A-Za-z0-9]{0,9}\b/g)) {
    addPath(m[0]);
  }
  // Code-like words in prose.
  for (const m of noUrls.matchAll(/\b([A-Za-z_]\w*(?:::[A-Za-z_]\w*)+)/g)) for (const p of m[1]!.split('::')) addIdent(p, true);
  for (const m of noUrls.matchAll(/\b([A-Za-z_$][\w$]*)\(\)/g)) addIdent(m[1]!, true);
  for (const m of noUrls.matchAll(/\b([A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+|[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+)\b/g)) addIdent(m[1]!, false);
  for (const m of noUrls.matchAll(/\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b/g)) addIdent(m[1]!, false);

  const npmScripts = [...new Set([...noUrls.matchAll(/\bnpm run ([\w:.-]+)/g)].map((m) => m[1]!))];
  const addsDependency =
    /\b(npm (install|i|add)|yarn add|pnpm add|cargo add|pip install|poetry add|go get|bundle add)\s+[\w@]/i.test(noUrls) ||
    /\b(add|new|adds|introduce)\s+(a\s+)?(new\s+)?(runtime\s+|dev\s+)?dependenc(y|ies)\b/i.test(noUrls) ||
    /\b(upgrade|bump|update)\s+(the\s+)?dependenc(y|ies)\b/i.test(noUrls);
  const repoWide = /\b(repo(sitory)?[- ]wide|across the (whole |entire )?(code ?base|repo(sitory)?)|every file|all files|rename (it )?everywhere|reformat (the|all)|mass rename)\b/i.test(noUrls);
  return {
    paths,
    identifiers: [...idents].map(([name, strong]) => ({ name, strong })),
    npmScripts,
    addsDependency,
    repoWide,
    refused,
  };
}
