// Pure parsing of `git grep -z` output into per-identifier hits, with definition detection.
import type { IdentifierHit } from './types.js';

// Declarations across common languages: `function x`, `def x`, `fn x`, `class X`, `type X`,
// `const x =`, `struct X`, `interface X`, `func x`, `#define X`, `x: function`, Go methods.
const DECL = new RegExp(
  String.raw`\b(?:function\*?|def|fn|class|struct|enum|trait|interface|type|mod|module|func|static|macro_rules!` +
    String.raw`|object|record|protocol|typedef|namespace|impl(?:<[^>]*>)?)\s+([A-Za-z_$][\w$]*)` +
    String.raw`|#define\s+([A-Za-z_]\w*)|^\s*func\s+\([^)]*\)\s*([A-Za-z_]\w*)`,
  'g',
);
// Variables count only at module level (no indentation): locals are not what an issue names.
const TOP_VAR = /^(?:export\s+)?(?:pub\s+)?(?:const|let|var|static)\s+(?:mut\s+)?([A-Za-z_$][\w$]*)/;
// A method or arrow/assigned function defined at the start of a line.
const METHOD = new RegExp(
  String.raw`^\s*(?:(?:export|default|pub(?:\([\w:]+\))?|async|static|public|private|protected|override` +
    String.raw`|readonly|get|set)\s+)*([A-Za-z_$][\w$]*)\s*(?:\([^)]*\)\s*(?::\s*[^={;]+)?\{\s*$` +
    String.raw`|=\s*(?:async\s+)?(?:\([^)]*\)|[A-Za-z_$][\w$]*)\s*=>|:\s*(?:async\s+)?function\b)`,
);
const WORD = /[A-Za-z_$][\w$]*/g;
const COMMENT = /^\s*(\/\/|\/\*|\*(?!\*?\/?\s*$)|--\s|;;|#(?!define|include|if|ifdef|ifndef|pragma|\[|!))/;

export function definedNames(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(DECL)) out.push((m[1] ?? m[2] ?? m[3])!);
  const tv = TOP_VAR.exec(line);
  if (tv) out.push(tv[1]!);
  const mm = METHOD.exec(line);
  if (mm && !/^(if|for|while|switch|catch|return|function|else|do)$/.test(mm[1]!)) out.push(mm[1]!);
  return out;
}

/**
 * `out` is `git grep -I -w -F -z` output (`path\0line\n` records). Counts, per identifier and
 * file, the lines using it and the lines declaring it.
 */
export function parseGrep(out: string, identifiers: ReadonlySet<string>): Map<string, IdentifierHit[]> {
  const acc = new Map<string, Map<string, IdentifierHit>>();
  let pos = 0;
  while (pos < out.length) {
    const nul = out.indexOf('\0', pos);
    if (nul < 0) break;
    let nl = out.indexOf('\n', nul + 1);
    if (nl < 0) nl = out.length;
    const file = out.slice(pos, nul);
    const line = out.length > 0 ? out.slice(nul + 1, nl) : '';
    pos = nl + 1;
    if (line.length > 2000) continue; // minified or generated text
    // A name in a code comment is talk about it, not a use (Markdown is prose: kept).
    if (COMMENT.test(line) && !/\.(md|mdx|rst|txt|adoc)$/i.test(file)) continue;
    const defs = new Set(definedNames(line));
    const seen = new Set<string>();
    for (const w of line.matchAll(WORD)) {
      const name = w[0];
      if (!identifiers.has(name) || seen.has(name)) continue;
      seen.add(name);
      let perFile = acc.get(name);
      if (!perFile) acc.set(name, (perFile = new Map()));
      let hit = perFile.get(file);
      if (!hit) perFile.set(file, (hit = { file, uses: 0, defines: 0 }));
      hit.uses++;
      if (defs.has(name)) hit.defines++;
    }
  }
  const res = new Map<string, IdentifierHit[]>();
  for (const [name, perFile] of acc)
    res.set(
      name,
      [...perFile.values()].sort((a, b) => (a.file < b.file ? -1 : 1)),
    );
  return res;
}

/**
 * Parses `git log --name-only --format=%x1e%H%x00%B%x00` output into commits (newest first).
 * The plain `--format=%x1e%H` form (no message) is read too.
 */
export function parseLog(out: string): Array<{ hash: string; files: string[]; message?: string }> {
  const commits: Array<{ hash: string; files: string[]; message?: string }> = [];
  // A record starts at \x1e followed by a hash; a stray \x1e inside a message is not a start.
  for (const rec of out.split(/\x1e(?=[0-9a-f]{40,64}[\0\n])/)) {
    if (!rec.trim()) continue;
    const nul = rec.indexOf('\0');
    let hash: string;
    let message: string | undefined;
    let rest: string;
    if (nul >= 0 && /^[0-9a-f]{40,64}$/.test(rec.slice(0, nul))) {
      hash = rec.slice(0, nul);
      const end = rec.indexOf('\0', nul + 1);
      message = rec.slice(nul + 1, end < 0 ? rec.length : end).replace(/\x1e/g, ' ');
      rest = end < 0 ? '' : rec.slice(end + 1);
    } else {
      const nl = rec.indexOf('\n');
      hash = (nl < 0 ? rec : rec.slice(0, nl)).replace(/^\x1e/, '').trim();
      rest = nl < 0 ? '' : rec.slice(nl + 1);
    }
    const files = rest
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.length > 0);
    commits.push(message === undefined ? { hash, files } : { hash, files, message });
  }
  return commits;
}
