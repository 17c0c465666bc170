// Finds the repository without spawning git: hooks run on every edit and a `git
// rev-parse` costs a few milliseconds, which is most of their budget.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface RepoLocation {
  /** Top of the working tree that contains `start` (a linked worktree's own top). */
  worktreeRoot: string;
  /** This worktree's git dir (`.git` or `.git/worktrees/<name>`). */
  gitDir: string;
  /** The directory shared by every worktree of the clone (`git rev-parse --git-common-dir`). */
  commonDir: string;
  /** True when `worktreeRoot` is a linked worktree, not the main checkout. */
  linked: boolean;
}

function readGitFile(path: string): string | undefined {
  try {
    const text = readFileSync(path, 'utf8');
    const m = /^gitdir:\s*(.+?)\s*$/m.exec(text);
    return m?.[1];
  } catch {
    return undefined;
  }
}

/** Returns undefined when `start` is not inside a git working tree. */
export function discoverRepo(start: string): RepoLocation | undefined {
  let dir = resolve(start);
  for (;;) {
    const dotgit = join(dir, '.git');
    let st;
    try {
      st = statSync(dotgit, { throwIfNoEntry: false }); // most folders have none: no exception for that
    } catch {
      st = undefined;
    }
    if (st) {
      let gitDir: string | undefined;
      if (st.isDirectory()) gitDir = dotgit;
      else if (st.isFile()) {
        const target = readGitFile(dotgit);
        if (target) gitDir = isAbsolute(target) ? target : resolve(dir, target);
      }
      if (gitDir) {
        let commonDir = gitDir;
        try {
          const rel = readFileSync(join(gitDir, 'commondir'), 'utf8').trim();
          if (rel) commonDir = isAbsolute(rel) ? rel : resolve(gitDir, rel);
        } catch {
          /* no commondir file: the git dir is the common dir */
        }
        return { worktreeRoot: dir, gitDir, commonDir, linked: commonDir !== gitDir };
      }
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** The lease store's folder, shared by every linked worktree; never committed. */
export const storeDirOf = (loc: RepoLocation): string => join(loc.commonDir, 'jit-parallel');

/** The main checkout's top (the common dir's parent, for non-bare clones). */
export const mainRootOf = (loc: RepoLocation): string => dirname(loc.commonDir);
