// Turns whatever path a person or an agent typed (absolute, relative to some cwd, through a
// symlink, with `..`, in the wrong case) into the one repo-relative POSIX spelling that leases
// and hooks compare. Two spellings of one file must never look like two files, and nothing
// outside the repository may be claimed or edited through a path that looks inside it.
import { existsSync, lstatSync, readlinkSync, realpathSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { JitpError } from '../platform/errors.js';
import { escapeGlob } from './glob-escape.js';

export interface NormalizeOptions {
  /** Directory relative inputs are resolved against; defaults to the repo root. */
  cwd?: string;
  /** Override the probe (tests); undefined = probe the repo's file system once. */
  caseInsensitive?: boolean;
}

const GLOB_CHARS = /[*?[\]{}]/;
const EXTGLOB = /[@!+*?]\(/;

/** True when the segment contains glob syntax (an unescaped `*`, `?`, `[`, `{`). */
export const isGlobSegment = (seg: string): boolean => GLOB_CHARS.test(seg.replace(/\\./g, ''));
export const isGlob = (p: string): boolean => p.split('/').some(isGlobSegment);

const caseCache = new Map<string, boolean>();

/**
 * Detects once per directory whether its file system folds case (macOS APFS default, Windows).
 * Prefers a read-only probe (stat the same folder under a case-swapped name); falls back to
 * creating a probe file when the folder's name has no letters.
 */
export function isCaseInsensitiveFs(dir: string): boolean {
  const env = process.env.JITP_CASE_INSENSITIVE;
  if (env === '1' || env === '0') return env === '1';
  const cached = caseCache.get(dir);
  if (cached !== undefined) return cached;
  let result = false;
  try {
    const name = basename(dir);
    const swapped = [...name].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
    if (swapped !== name) {
      const a = statSync(dir);
      let b;
      try {
        b = statSync(join(dirname(dir), swapped), { throwIfNoEntry: false });
      } catch {
        b = undefined;
      }
      result = !!b && b.ino === a.ino && b.dev === a.dev;
    } else {
      // pid + Math.random, not node:crypto: loading crypto costs every edit hook 4-15 ms (docs/benchmarks.md).
      const probe = join(dir, `.jitp-case-probe-${process.pid}-${Math.random().toString(16).slice(2, 10)}-a`);
      writeFileSync(probe, '', { flag: 'wx' });
      try {
        result = existsSync(probe.slice(0, -1) + 'A');
      } finally {
        unlinkSync(probe);
      }
    }
  } catch {
    result = false; // unreadable: treat as case-sensitive, which only risks missing a conflict on exotic setups
  }
  caseCache.set(dir, result);
  return result;
}

/** realpath of the longest existing prefix, then the rest appended: how the OS will resolve it. */
export function resolveThroughSymlinks(abs: string, depth = 0): string {
  let head = abs;
  const tail: string[] = [];
  for (;;) {
    // Nothing at `head` (ENOENT): realpath would fail and it is no dangling symlink, so go up at
    // once. Asked without an exception: a new file in new folders cost several thrown errors
    // per level, a good part of the edit hook's decision time.
    let entry: ReturnType<typeof lstatSync> | undefined | null = null;
    try {
      entry = lstatSync(head, { throwIfNoEntry: false });
    } catch {
      /* ENOTDIR, EACCES…: the checks below decide, as they always did */
    }
    if (entry === undefined) {
      const parent = dirname(head);
      if (parent === head) return abs;
      tail.push(basename(head));
      head = parent;
      continue;
    }
    try {
      const real = realpathSync(head);
      return tail.length ? join(real, ...tail.reverse()) : real;
    } catch {
      // A dangling symlink: a write would create its target, so follow it textually.
      try {
        if (depth < 40 && lstatSync(head).isSymbolicLink()) {
          const target = resolve(dirname(head), readlinkSync(head));
          return resolveThroughSymlinks(tail.length ? join(target, ...tail.reverse()) : target, depth + 1);
        }
      } catch {
        /* missing: keep walking up */
      }
      const parent = dirname(head);
      if (parent === head) return abs;
      tail.push(basename(head));
      head = parent;
    }
  }
}

function toPosix(p: string): string {
  return sep === '/' ? p : p.split(sep).join('/');
}

function escapeError(input: string, root: string): JitpError {
  return new JitpError('E_PATH_ESCAPE', `path escapes the repository: ${input} (repository: ${root})`, {
    hint: 'claim and edit only files inside the repository; give a path relative to its top, e.g. src/app.ts',
    details: { path: input, root },
  });
}

function realRoot(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return resolve(root);
  }
}

/**
 * Normalises a concrete file path to repo-relative POSIX form. Throws E_PATH_ESCAPE when it
 * resolves (after `..` and symlinks) outside `root`. The repo root itself becomes `.`.
 */
export function normalizeRepoPath(input: string, root: string, opts: NormalizeOptions = {}): string {
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
  const rroot = realRoot(root);
  const base = opts.cwd ? resolveThroughSymlinks(resolve(opts.cwd)) : rroot;
  // Textual resolution first, so an absolute path through an un-resolved spelling of the root
  // (e.g. /var vs /private/var on macOS) still maps inside.
  const abs = resolveThroughSymlinks(isAbsolute(input) ? resolve(input) : resolve(base, input));
  let rel = relative(rroot, abs);
  if (rel === '') rel = '.';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) throw escapeError(input, rroot);
  let out = toPosix(rel);
  const ci = opts.caseInsensitive ?? isCaseInsensitiveFs(rroot);
  if (ci) out = out.toLowerCase();
  return out;
}

/**
 * Normalises a lease path that may be a glob: the literal leading segments go through
 * `normalizeRepoPath` (symlinks, `..`, escape check); the glob part is kept verbatim but may
 * not contain `.`/`..` segments. A trailing `/` or an existing directory means "everything
 * under it" (`dir/**`).
 */
export function normalizeRepoPattern(input: string, root: string, opts: NormalizeOptions = {}): string {
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
  const ci = opts.caseInsensitive ?? isCaseInsensitiveFs(realRoot(root));
  if (firstGlob < 0) {
    const trailingSlash = posixIn.endsWith('/');
    const p = normalizeRepoPath(posixIn, root, { ...opts, caseInsensitive: ci });
    let isDir = trailingSlash;
    if (!isDir) {
      try {
        isDir = statSync(join(realRoot(root), p)).isDirectory();
      } catch {
        isDir = false;
      }
    }
    if (p === '.') return '**';
    return isDir ? `${p}/**` : p;
  }
  // A real file whose name merely contains glob characters (Next.js `app/[id]/page.tsx`) means itself.
  if (existsSync(isAbsolute(posixIn) ? posixIn : resolve(opts.cwd ?? root, posixIn))) {
    return escapeGlob(normalizeRepoPath(posixIn, root, { ...opts, caseInsensitive: ci }));
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
    prefix = normalizeRepoPath('/', root, { ...opts, caseInsensitive: ci });
  else if (literal === '') prefix = opts.cwd ? normalizeRepoPath('.', root, { ...opts, caseInsensitive: ci }) : '.';
  else prefix = normalizeRepoPath(literal, root, { ...opts, caseInsensitive: ci });
  let tail = globPart.join('/');
  if (ci) tail = tail.toLowerCase();
  return prefix === '.' ? tail : `${prefix}/${tail}`;
}
