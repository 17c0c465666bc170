// Which `.jit-parallel.yaml` applies, and its text: the one rule every reader of the
// configuration uses (the loader, the hooks' cache, the hooks' line scan). No YAML parser and
// no schema here, so the hooks' front door can use it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CONFIG_FILE = '.jit-parallel.yaml';

export interface ConfigText {
  /** The file that applies (JITP_CONFIG, else the first root that has one, else the first root's name). */
  file: string;
  /** Its text; undefined when there is no file (defaults) or it cannot be read (`error`). */
  text?: string;
  /** Why an existing file (or the one JITP_CONFIG names) could not be read. */
  error?: NodeJS.ErrnoException;
  /** True when JITP_CONFIG named the file. */
  explicit: boolean;
}

const absent = (e: unknown) => {
  const code = (e as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
};

/**
 * JITP_CONFIG when set; else the first of `roots` (most specific first: a linked worktree's own
 * copy of the committed file, then the main checkout's) that holds the file.
 */
export function readConfigFile(roots: readonly string[], env: NodeJS.ProcessEnv): ConfigText {
  if (env.JITP_CONFIG) {
    const file = env.JITP_CONFIG;
    try {
      return { file, text: readFileSync(file, 'utf8'), explicit: true };
    } catch (e) {
      return { file, error: e as NodeJS.ErrnoException, explicit: true };
    }
  }
  for (const root of roots) {
    const file = join(root, CONFIG_FILE);
    try {
      return { file, text: readFileSync(file, 'utf8'), explicit: false };
    } catch (e) {
      if (!absent(e)) return { file, error: e as NodeJS.ErrnoException, explicit: false };
    }
  }
  return { file: join(roots[0] ?? '.', CONFIG_FILE), explicit: false };
}

/** True when the error says the file is not there (as opposed to unreadable). */
export const isAbsent = absent;
