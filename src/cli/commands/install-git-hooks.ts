import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommandSpec } from '../command.js';
import { flag } from '../command.js';
import { workspaceOf } from '../workspace.js';
import { JitpError } from '../../platform/errors.js';
import { installPreCommit, uninstallPreCommit } from '../../hooks/git/git-hooks.js';

/** dist/jitp.mjs, wherever this code runs from (the bundle's chunks/, or src/ under tsx). */
export function bundledJitp(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    resolve(here, '..', 'jitp.mjs'),
    resolve(here, 'jitp.mjs'),
    resolve(here, '../../../dist/jitp.mjs'),
  ];
  const found = candidates.find((c) => existsSync(c));
  if (!found) {
    throw new JitpError('E_INTERNAL', `cannot find the bundled CLI (looked in ${candidates.join(', ')})`, {
      hint: 'run `npm run build` in the plugin folder, then run this command again',
    });
  }
  return found;
}

export const command: CommandSpec = {
  name: 'install-git-hooks',
  summary: 'Install the pre-commit backstop that refuses commits of files held by another live lease',
  usage: 'jitp install-git-hooks [--uninstall] [--json]',
  help: [
    'Writes a pre-commit hook into the hooks folder git uses for this worktree',
    '(`git rev-parse --git-path hooks`: core.hooksPath when set, else the shared',
    '<git common dir>/hooks, so one install covers every linked worktree). An existing',
    'pre-commit hook that is not ours is kept as pre-commit.pre-jitp and run after ours.',
    'The hook runs `jitp hook pre-commit`; see `jitp hook pre-commit --help` for whose leases',
    "count as the committer's own.",
    '',
    'JSON: {"hooksDir": string, "hook": string, "action": "installed"|"updated"|"uninstalled"|"absent",',
    '       "chained": string|null}',
    'Exit codes: 0 ok, 1 an unrelated pre-commit.pre-jitp is in the way, 7 not a git repository.',
  ].join('\n'),
  options: { uninstall: { type: 'boolean', description: 'Remove our hook and restore the chained one' } },
  positionals: { max: 0 },
  async run(ctx) {
    const repo = workspaceOf(ctx).repo;
    let r;
    try {
      r = flag(ctx.args.values.uninstall)
        ? uninstallPreCommit(repo.worktreeRoot)
        : installPreCommit(repo.worktreeRoot, bundledJitp());
    } catch (e) {
      if (e instanceof JitpError) throw e;
      throw new JitpError('E_HOOK_INSTALL', (e as Error).message, {
        hint: 'inspect the hooks folder named above',
      });
    }
    const text = {
      installed: `installed ${r.hook}`,
      updated: `updated ${r.hook}`,
      uninstalled: `removed our hook from ${r.hook}`,
      absent: `no jit-parallel hook in ${r.hooksDir}; nothing to remove`,
    }[r.action];
    return { json: r, text: r.chained ? `${text}\n  chained: ${r.chained} (runs after ours)` : text };
  },
};
