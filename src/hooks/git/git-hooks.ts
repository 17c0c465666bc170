// Installing the pre-commit backstop: into the hooks folder git really uses for this
// worktree (`git rev-parse --git-path hooks` follows core.hooksPath and, in a linked worktree,
// the common dir), chaining any pre-commit hook that was already there.
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { writeFileAtomic } from '../../platform/atomic-write.js';
import { gitSync, output } from '../../platform/git.js';

export const MARKER = '# jit-parallel pre-commit backstop';
export const CHAINED = 'pre-commit.pre-jitp';

export function hooksDirOf(cwd: string): string {
  const out = gitSync(cwd, output(['rev-parse', '--git-path', 'hooks'])).trim();
  return isAbsolute(out) ? out : resolve(cwd, out);
}

/** The hook script. `jitp` is the absolute path of the bundled CLI at install time. */
export function preCommitScript(jitpMjs: string): string {
  const q = `'${jitpMjs.replace(/'/g, `'\\''`)}'`;
  return `#!/bin/sh
${MARKER} (installed by \`jitp install-git-hooks\`; remove with \`jitp install-git-hooks --uninstall\`).
# Refuses to commit files held by another live lease. A missing plugin or node never blocks a commit.
jitp=${q}
if command -v node >/dev/null 2>&1 && [ -f "$jitp" ]; then
  node "$jitp" hook pre-commit || exit $?
else
  echo "jit-parallel: pre-commit check skipped ($jitp or node not found); run \\\`jitp install-git-hooks\\\` again" >&2
fi
chained="$(dirname "$0")/${CHAINED}"
if [ -x "$chained" ]; then exec "$chained" "$@"; fi
exit 0
`;
}

export interface InstallResult {
  hooksDir: string;
  hook: string;
  action: 'installed' | 'updated' | 'uninstalled' | 'absent';
  /** The previous hook, kept and chained (or restored on uninstall). */
  chained: string | null;
}

export function installPreCommit(cwd: string, jitpMjs: string): InstallResult {
  const hooksDir = hooksDirOf(cwd);
  mkdirSync(hooksDir, { recursive: true });
  const hook = join(hooksDir, 'pre-commit');
  const chainedPath = join(hooksDir, CHAINED);
  let action: InstallResult['action'] = 'installed';
  if (existsSync(hook)) {
    if (readFileSync(hook, 'utf8').includes(MARKER)) action = 'updated';
    else {
      if (existsSync(chainedPath))
        throw new Error(`both ${hook} (not ours) and ${chainedPath} exist; merge them by hand, then run again`);
      renameSync(hook, chainedPath);
    }
  }
  writeFileAtomic(hook, preCommitScript(jitpMjs), { mode: 0o755 });
  return { hooksDir, hook, action, chained: existsSync(chainedPath) ? chainedPath : null };
}

export function uninstallPreCommit(cwd: string): InstallResult {
  const hooksDir = hooksDirOf(cwd);
  const hook = join(hooksDir, 'pre-commit');
  const chainedPath = join(hooksDir, CHAINED);
  if (!existsSync(hook) || !readFileSync(hook, 'utf8').includes(MARKER))
    return { hooksDir, hook, action: 'absent', chained: null };
  if (existsSync(chainedPath)) renameSync(chainedPath, hook);
  else unlinkSync(hook); // ours, and nothing to restore
  return { hooksDir, hook, action: 'uninstalled', chained: null };
}
