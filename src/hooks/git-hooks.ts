// Installing the pre-commit backstop: into the hooks folder git really uses for this
// worktree (`git rev-parse --git-path hooks` follows core.hooksPath and, in a linked worktree,
// the common dir), chaining any pre-commit hook that was already there.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';

export const MARKER = '# jit-parallel pre-commit backstop';
export const CHAINED = 'pre-commit.pre-jitp';

export function hooksDirOf(cwd: string): string {
  const out = execFileSync('git', ['rev-parse', '--git-path', 'hooks'], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
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

function atomicWrite(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, text, { mode: 0o755 });
  chmodSync(tmp, 0o755);
  renameSync(tmp, file);
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
  atomicWrite(hook, preCommitScript(jitpMjs));
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
