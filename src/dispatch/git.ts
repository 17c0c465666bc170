// The few git reads dispatch needs. Plain porcelain with -z: paths with spaces, quotes or
// newlines come back exact.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { JitpError } from '../platform/errors.js';

const pexec = promisify(execFile);

export async function git(cwd: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<string> {
  try {
    const { stdout } = await pexec('git', args, {
      cwd,
      maxBuffer: 256 * 1024 * 1024,
      encoding: 'utf8',
      ...(opts.env ? { env: opts.env } : {}),
    });
    return stdout;
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new JitpError(
      'E_GIT',
      `git ${args.join(' ')} failed in ${cwd}: ${(err.stderr || err.message).trim().split('\n')[0]}`,
      {
        hint: `run \`git -C ${cwd} ${args.join(' ')}\` to see the full error`,
      },
    );
  }
}

/**
 * Files that differ from HEAD in a checkout: staged, unstaged and untracked (not ignored),
 * both sides of a rename. Repo-relative POSIX paths.
 */
export async function changedFiles(cwd: string, pathspec: string[] = []): Promise<string[]> {
  const out = await git(cwd, [
    'status',
    '--porcelain=v1',
    '-z',
    '--untracked-files=all',
    '--no-renames',
    ...(pathspec.length ? ['--', ...pathspec] : []),
  ]);
  const files: string[] = [];
  for (const rec of out.split('\0')) {
    if (rec.length < 4) continue;
    files.push(rec.slice(3));
  }
  return [...new Set(files)].sort();
}

/** Files a branch changed since it left `base` (three-dot: only the branch's side). */
export async function branchChanges(cwd: string, base: string, branch: string): Promise<string[]> {
  const out = await git(cwd, ['diff', '--name-only', '-z', '--no-renames', `${base}...${branch}`]);
  return out.split('\0').filter(Boolean).sort();
}

export async function revParse(cwd: string, rev: string): Promise<string | null> {
  try {
    return (await git(cwd, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`])).trim() || null;
  } catch {
    return null;
  }
}
