// Bootstrap copy: files named by `.worktreeinclude` (Claude Code's convention: gitignore
// patterns of untracked/ignored files a fresh worktree needs, such as `.env`) and by
// config `worktree.include`. git itself matches the patterns, so the semantics are
// exactly gitignore's.
import { cpSync, existsSync, lstatSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git, outcome } from '../platform/git.js';

export async function filesToInclude(mainRoot: string, patterns: string[]): Promise<string[]> {
  const args = ['ls-files', '--others', '--ignored', '-z'];
  for (const p of patterns) args.push(`--exclude=${p}`);
  const incl = join(mainRoot, '.worktreeinclude');
  const hasFile = existsSync(incl);
  if (hasFile) args.push('--exclude-from=.worktreeinclude');
  if (!patterns.length && !hasFile) return [];
  const r = await git(mainRoot, outcome(args));
  if (r.code !== 0) return [];
  return r.stdout
    .split('\0')
    .filter((f) => f && !f.split('/').includes('..'))
    .filter((f) => f !== '.worktreeinclude');
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
