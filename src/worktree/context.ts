// Builds the worktree-mode environment for a command: the main checkout (batch file and
// integration branch live there, whichever worktree the command runs in), config, store.
import { requireRepo } from '../git/require-repo.js';
import { loadConfig } from '../config/load.js';
import { mainRootOf } from '../git/discover.js';
import type { WorktreeEnv } from './create.js';
import { openLeaseStore } from './leases.js';

export async function worktreeEnv(ctx: {
  cwd: string;
  env: NodeJS.ProcessEnv;
  progress(line: string): void;
}): Promise<WorktreeEnv> {
  const loc = requireRepo(ctx.cwd);
  const mainRoot = mainRootOf(loc);
  const { config } = loadConfig(mainRoot, ctx.env);
  return {
    mainRoot,
    commonDir: loc.commonDir,
    config,
    store: await openLeaseStore(loc, config, ctx.env),
    env: ctx.env,
    progress: ctx.progress,
  };
}
