// The repository half of the door (src/workspace): found by a stat walk up to `.git`, no git
// process, so the hooks' front door can use it on every edit. Nothing else calls discoverRepo.
import { discoverRepo, type RepoLocation } from '../git/discover.js';

export type { RepoLocation };
export { mainRootOf, storeDirOf } from '../git/discover.js';

/** The repository that contains `cwd` (a linked worktree's own top), or undefined outside one. */
export const findRepo = (cwd: string): RepoLocation | undefined => discoverRepo(cwd);
