// Names for worktrees and branches. Issue ids and titles come from trackers and task files
// written by anyone: they may hold unicode, slashes, `..`, quotes, newlines or be very long.
// Everything here is pure so the rules are table-tested; git is only asked at the edges.

const MAX_SLUG = 40;
const MAX_SHORT = 16;

/** ASCII, lowercase, words joined by `-`; never empty, never a path or ref operator. */
export function slugify(text: string, max = MAX_SLUG): string {
  const ascii = text
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents go, letters stay: "Café" -> "cafe"
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  const cut = ascii.slice(0, max).replace(/-+$/g, '');
  return cut;
}

/** The short id: first 8 hex of a uuid, else a slug of the id (tasks may use any id). */
export function shortId(id: string): string {
  const uuid = /^([0-9a-f]{8})-?[0-9a-f]{4}-?[0-9a-f]{4}/i.exec(id.trim());
  if (uuid) return uuid[1]!.toLowerCase();
  const full = slugify(id, 200);
  // Truncating alone would make `feature-login-a` and `feature-login-b` the same name.
  if (full.length > MAX_SHORT)
    return `${full.slice(0, MAX_SHORT - 5).replace(/-+$/, '')}-${fnv1a(id).toString(16).padStart(8, '0').slice(0, 4)}`;
  if (full) return full;
  // An id with nothing usable (e.g. all CJK or emoji): a stable hash keeps names distinct.
  return `id${fnv1a(id).toString(16).padStart(8, '0')}`;
}

export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** One ref component made safe per git-check-ref-format(1). */
function safeRefComponent(c: string): string {
  let out = c
    .replace(/[\x00-\x20\x7f~^:?*[\\]/g, '-')
    .replace(/@\{/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+/, '')
    .replace(/(\.lock)+$/i, '')
    .replace(/[.]+$/, '');
  if (out === '@') out = 'at';
  return out;
}

/**
 * Makes a branch name valid whatever went in: components cleaned one by one, empty ones
 * dropped (so `a//b`, `../x` and a trailing `/` cannot appear), total length bounded.
 */
export function safeBranchName(name: string): string {
  const parts = name
    .split('/')
    .map(safeRefComponent)
    .filter((p) => p.length > 0);
  let out = parts.join('/');
  if (out.length > 200) out = out.slice(0, 200).replace(/[/.-]+$/, '');
  return out || 'jit/issue';
}

export interface NameInput {
  id: string;
  title?: string;
  /** The integration branch's name (for `{base}`). */
  base?: string;
}

/** Expands the branch template: {short}, {slug}, {id}, {base}. */
export function branchName(template: string, inp: NameInput): string {
  const short = shortId(inp.id);
  const slug = slugify(inp.title ?? '') || 'issue';
  const idPart = slugify(inp.id, 64) || short;
  const base = (inp.base ?? 'main').split('/').map(safeRefComponent).filter(Boolean).join('/') || 'main';
  const expanded = template
    .replace(/\{short\}/g, short)
    .replace(/\{slug\}/g, slug)
    .replace(/\{id\}/g, idPart)
    .replace(/\{base\}/g, base);
  // `jit/abc-` when the template ends in a separator and the slug was empty.
  return safeBranchName(expanded.replace(/-+(\/|$)/g, '$1'));
}

/** Folder name of one worktree: one path component, never `.`/`..`, bounded. */
export function worktreeFolderName(inp: NameInput): string {
  const short = shortId(inp.id);
  const slug = slugify(inp.title ?? '', 32);
  return slug ? `${short}-${slug}` : short;
}

/** Expands `worktree.dir` (`{repo}` = the main checkout's folder name). */
export function expandDirTemplate(template: string, repoName: string): string {
  return template.replace(/\{repo\}/g, repoName.replace(/[/\\]/g, '-'));
}
