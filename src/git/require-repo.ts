// The repository a command runs in, or the error that says how to get one.
import { discoverRepo, type RepoLocation } from './discover.js';
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
