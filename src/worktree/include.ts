// Bootstrap copy: files named by `.worktreeinclude` (Claude Code's convention: gitignore
// patterns of git-ignored files a fresh worktree needs, such as `.env`) and by config
// `worktree.include`. git itself matches the patterns, so the semantics are exactly gitignore's.
import { cpSync, existsSync, lstatSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git, outcome } from '../platform/git.js';

const listed = async (mainRoot: string, args: string[]): Promise<string[] | null> => {
  const r = await git(mainRoot, outcome(['ls-files', '--others', '--ignored', '-z', ...args]));
  return r.code === 0 ? r.stdout.split('\0').filter((f) => f && !f.split('/').includes('..')) : null;
};

/**
 * The client's rule for `.worktreeinclude` (observed on 2.1.330, test/worktree/client-default.test.ts):
 * a file is copied when it matches a pattern there AND git ignores it, so an untracked file the
 * repository does not ignore stays behind, and a tracked file is never copied over the checkout.
 */
export async function worktreeIncludeFiles(mainRoot: string): Promise<string[]> {
  if (!existsSync(join(mainRoot, '.worktreeinclude'))) return [];
  const matching = await listed(mainRoot, ['--exclude-from=.worktreeinclude']);
  if (!matching?.length) return [];
  const ignored = new Set((await listed(mainRoot, ['--exclude-standard'])) ?? []);
  return matching.filter((f) => ignored.has(f) && f !== '.worktreeinclude');
}

/** `.worktreeinclude` files (the client's rule) plus untracked files matching config `worktree.include`. */
export async function filesToInclude(mainRoot: string, patterns: string[]): Promise<string[]> {
  const fromFile = await worktreeIncludeFiles(mainRoot);
  const fromConfig = patterns.length
    ? ((await listed(
        mainRoot,
        patterns.map((p) => `--exclude=${p}`),
      )) ?? [])
    : [];
  return [...new Set([...fromFile, ...fromConfig])].filter((f) => f !== '.worktreeinclude');
}

/** Copies each file (symlinks as links) and returns what was copied. */
export function copyIncluded(mainRoot: string, worktree: string, files: string[]): string[] {
  const done: string[] = [];
  for (const rel of files) {
    const from = join(mainRoot, rel);
    const to = join(worktree, rel);
    if (existsSync(to)) continue; // never overwrite what the checkout already has
    let st;
    try {
      st = lstatSync(from);
    } catch {
      continue;
    }
    if (!st.isFile() && !st.isSymbolicLink()) continue;
    mkdirSync(dirname(to), { recursive: true });
    cpSync(from, to, { verbatimSymlinks: true, preserveTimestamps: true });
    done.push(rel);
  }
  return done;
}
