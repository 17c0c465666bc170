// What the file system says about a path: where it really leads (symlinks, dangling ones too)
// and whether the folder's file system folds case. Platform layer: imports nothing of ours, no
// node:crypto (loading it costs every edit hook 4-15 ms, docs/benchmarks.md).
import { existsSync, lstatSync, readlinkSync, realpathSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const caseCache = new Map<string, boolean>();

/**
 * Detects once per directory whether its file system folds case (macOS APFS default, Windows).
 * Prefers a read-only probe (stat the same folder under a case-swapped name); falls back to
 * creating a probe file when the folder's name has no letters. JITP_CASE_INSENSITIVE=1/0
 * overrides (tests).
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

/** realpath, or the resolved path when it cannot be resolved (missing). */
export function realpathOr(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return resolve(p);
  }
}

export function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
