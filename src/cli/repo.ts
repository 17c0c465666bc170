import { discoverRepo, type RepoLocation } from '../git/discover.js';
import { JitpError } from '../platform/errors.js';

export function requireRepo(cwd: string): RepoLocation {
  const loc = discoverRepo(cwd);
  if (!loc) {
    throw new JitpError('E_NOT_A_REPO', `not inside a git repository: ${cwd}`, {
      hint: 'run jitp inside your project (or pass -C <dir>); `git init` creates a repository',
    });
  }
  return loc;
}
