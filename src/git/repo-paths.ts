// The path rules of core/paths.ts with the real file system as their probe: the one
// repo-relative spelling of whatever path a person or an agent typed.
import { existsSync } from 'node:fs';
import * as rules from '../core/paths.js';
import type { NormalizeOptions, PathProbe } from '../core/paths.js';
import { isCaseInsensitiveFs, isDirectory, realpathOr, resolveThroughSymlinks } from '../platform/fs-paths.js';

export const fsProbe: PathProbe = {
  resolve: (abs) => resolveThroughSymlinks(abs),
  realRoot: realpathOr,
  caseInsensitive: isCaseInsensitiveFs,
  isDirectory,
  exists: existsSync,
};

/**
 * A concrete file path in repo-relative POSIX form. Throws E_PATH_ESCAPE when it resolves
 * (after `..` and symlinks) outside `root`. The repo root itself becomes `.`.
 */
export const normalizeRepoPath = (input: string, root: string, opts: NormalizeOptions = {}): string =>
  rules.normalizeRepoPath(input, root, opts, fsProbe);

/** A lease path that may be a glob (see core/paths.ts normalizeRepoPattern). */
export const normalizeRepoPattern = (input: string, root: string, opts: NormalizeOptions = {}): string =>
  rules.normalizeRepoPattern(input, root, opts, fsProbe);
