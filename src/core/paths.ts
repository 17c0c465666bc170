// Turns whatever path a person or an agent typed (absolute, relative to some cwd, through a
// symlink, with `..`, in the wrong case) into the one repo-relative POSIX spelling that leases
// and hooks compare. Two spellings of one file must never look like two files, and nothing
// outside the repository may be claimed or edited through a path that looks inside it.
// Pure: what the file system says (symlinks, folders, case folding) comes in through a
// PathProbe; src/git/repo-paths.ts binds the real one (src/platform/fs-paths.ts).
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { JitpError } from '../platform/errors.js';
import { escapeGlob } from './glob-escape.js';

/** What the rules need to know from the file system. */
export interface PathProbe {
  /** Where an absolute path really leads (symlinks resolved, dangling ones followed). */
  resolve(abs: string): string;
  /** The root's real path. */
  realRoot(root: string): string;
  /** Does this (real) folder's file system fold case? */
  caseInsensitive(realDir: string): boolean;
  isDirectory(abs: string): boolean;
  exists(abs: string): boolean;
}

export interface NormalizeOptions {
  /** Directory relative inputs are resolved against; defaults to the repo root. */
  cwd?: string;
  /** Override the probe (tests); undefined = ask the probe once. */
  caseInsensitive?: boolean;
}

const GLOB_CHARS = /[*?[\]{}]/;
const EXTGLOB = /[@!+*?]\(/;

/** True when the segment contains glob syntax (an unescaped `*`, `?`, `[`, `{`). */
export const isGlobSegment = (seg: string): boolean => GLOB_CHARS.test(seg.replace(/\\./g, ''));
export const isGlob = (p: string): boolean => p.split('/').some(isGlobSegment);

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function escapeError(input: string, root: string): JitpError {
  return new JitpError('E_PATH_ESCAPE', `path escapes the repository: ${input} (repository: ${root})`, {
    hint: 'claim and edit only files inside the repository; give a path relative to its top, e.g. src/app.ts',
    details: { path: input, root },
  });
}

/**
 * Normalises a concrete file path to repo-relative POSIX form. Throws E_PATH_ESCAPE when it
 * resolves (after `..` and symlinks) outside `root`. The repo root itself becomes `.`.
 */
export function normalizeRepoPath(input: string, root: string, opts: NormalizeOptions, fs: PathProbe): string {
  if (typeof input !== 'string' || input.length === 0) {
    throw new JitpError('E_USAGE', 'empty path', {
      hint: 'give a file path relative to the repository top',
    });
  }
  if (/[\0]/.test(input)) {
    throw new JitpError('E_USAGE', `path contains a NUL byte: ${JSON.stringify(input)}`, {
      hint: 'give a plain file path',
    });
  }
  const rroot = fs.realRoot(root);
  const base = opts.cwd ? fs.resolve(resolve(opts.cwd)) : rroot;
  // Textual resolution first, so an absolute path through an un-resolved spelling of the root
  // (e.g. /var vs /private/var on macOS) still maps inside.
  const abs = fs.resolve(isAbsolute(input) ? resolve(input) : resolve(base, input));
  let rel = relative(rroot, abs);
  if (rel === '') rel = '.';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw escapeError(input, rroot);
  let out = toPosix(rel);
  const ci = opts.caseInsensitive ?? fs.caseInsensitive(rroot);
  if (ci) out = out.toLowerCase();
  return out;
}

/**
 * Normalises a lease path that may be a glob: the literal leading segments go through
 * `normalizeRepoPath` (symlinks, `..`, escape check); the glob part is kept verbatim but may
 * not contain `.`/`..` segments. A trailing `/` or an existing directory means "everything
 * under it" (`dir/**`).
 */
export function normalizeRepoPattern(input: string, root: string, opts: NormalizeOptions, fs: PathProbe): string {
  if (typeof input !== 'string' || input.trim().length === 0) {
    throw new JitpError('E_USAGE', 'empty path or glob', { hint: 'e.g. --paths src/auth/**' });
  }
  if (EXTGLOB.test(input)) {
    throw new JitpError('E_USAGE', `unsupported glob syntax (extglob) in ${input}`, {
      hint: 'use *, **, ?, [..] and {a,b} only',
    });
  }
  const posixIn = sep === '/' ? input : input.split(sep).join('/');
  const segs = posixIn.split('/');
  const firstGlob = segs.findIndex(isGlobSegment);
  const ci = opts.caseInsensitive ?? fs.caseInsensitive(fs.realRoot(root));
  if (firstGlob < 0) {
    const trailingSlash = posixIn.endsWith('/');
    const p = normalizeRepoPath(posixIn, root, { ...opts, caseInsensitive: ci }, fs);
    const isDir = trailingSlash || fs.isDirectory(join(fs.realRoot(root), p));
    if (p === '.') return '**';
    return isDir ? `${p}/**` : p;
  }
  // A real file whose name merely contains glob characters (Next.js `app/[id]/page.tsx`) means itself.
  if (fs.exists(isAbsolute(posixIn) ? posixIn : resolve(opts.cwd ?? root, posixIn))) {
    return escapeGlob(normalizeRepoPath(posixIn, root, { ...opts, caseInsensitive: ci }, fs));
  }
  const literal = segs.slice(0, firstGlob).join('/');
  const globPart = segs.slice(firstGlob).filter((s, i, a) => s !== '' || i === a.length - 1);
  for (const s of globPart) {
    if (s === '.' || s === '..') {
      throw new JitpError('E_USAGE', `\`${s}\` after a glob is ambiguous in ${input}`, {
        hint: 'put `..` only before the first glob character, or give the path from the repository top',
      });
    }
  }
  if (globPart[globPart.length - 1] === '') globPart[globPart.length - 1] = '**';
  let prefix: string;
  if (literal === '' && posixIn.startsWith('/'))
    prefix = normalizeRepoPath('/', root, { ...opts, caseInsensitive: ci }, fs);
  else if (literal === '') prefix = opts.cwd ? normalizeRepoPath('.', root, { ...opts, caseInsensitive: ci }, fs) : '.';
  else prefix = normalizeRepoPath(literal, root, { ...opts, caseInsensitive: ci }, fs);
  let tail = globPart.join('/');
  if (ci) tail = tail.toLowerCase();
  return prefix === '.' ? tail : `${prefix}/${tail}`;
}
