// The few git reads dispatch needs, as tasks on the platform runner. Plain porcelain with -z:
// paths with spaces, quotes or newlines come back exact.
import { git, nulFields } from '../platform/git.js';

/**
 * Files that differ from HEAD in a checkout: staged, unstaged and untracked (not ignored),
 * both sides of a rename. Repo-relative POSIX paths.
 */
export async function changedFiles(cwd: string, pathspec: string[] = []): Promise<string[]> {
  const recs = await git(
    cwd,
    nulFields([
      'status',
      '--porcelain=v1',
      '-z',
      '--untracked-files=all',
      '--no-renames',
      ...(pathspec.length ? ['--', ...pathspec] : []),
    ]),
  );
  return [...new Set(recs.filter((r) => r.length >= 4).map((r) => r.slice(3)))].sort();
}

/** Files a branch changed since it left `base` (three-dot: only the branch's side). */
export async function branchChanges(cwd: string, base: string, branch: string): Promise<string[]> {
  return (await git(cwd, nulFields(['diff', '--name-only', '-z', '--no-renames', `${base}...${branch}`]))).sort();
}
