// The worktree-mode environment of a command or hook: the repository seen from its main
// checkout (the batch file, the integration branch, the configuration and the tracker live
// there, whichever worktree the command runs in), its configured lease store and issue source,
// all from the one door (src/workspace).
import type { Workspace } from '../workspace/open.js';
import type { WorktreeEnv } from './create.js';

export async function worktreeEnv(ws: Workspace, progress: (line: string) => void): Promise<WorktreeEnv> {
  const main = ws.main();
  return {
    mainRoot: main.root,
    commonDir: main.repo.commonDir,
    config: await main.config(),
    // JITP_NO_LEASES=1 runs worktree mode without leases (documented escape hatch).
    store: ws.env.JITP_NO_LEASES === '1' ? null : await main.store(),
    source: main.source,
    env: ws.env,
    progress,
  };
}
