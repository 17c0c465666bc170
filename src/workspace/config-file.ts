// Which configuration file applies to a checkout, and its text: a linked worktree's own copy
// of the committed `.jit-parallel.yaml` first, then the main checkout's (JITP_CONFIG overrides
// both). The loader, the hooks' cache and the hooks' line scan all take the file from here, so
// they cannot disagree on which file they read. Light: no YAML parser, no schema.
import { readConfigFile, type ConfigText } from '../config/locate.js';
import { mainRootOf, type RepoLocation } from './repo.js';

export type { ConfigText };
export { scanConfig, type ScannedConfig, type ScannedKey } from '../config/scan.js';

/** The folders searched for the file, most specific first. */
export function configRoots(repo: RepoLocation): string[] {
  const main = mainRootOf(repo);
  return repo.worktreeRoot === main ? [main] : [repo.worktreeRoot, main];
}

/**
 * The file that configures `at` (a repository, or a bare folder when there is none) and its
 * text. Never throws: an unreadable file comes back with its error, for the loader to report.
 */
export function readConfigOf(at: RepoLocation | string | undefined, env: NodeJS.ProcessEnv): ConfigText {
  return readConfigFile(at === undefined ? [] : typeof at === 'string' ? [at] : configRoots(at), env);
}
