// Creating a file in a directory that almost always exists already: try first, make the
// directory only on ENOENT. A `mkdirSync(…, { recursive: true })` before every write costs a
// syscall or two on every remote lease change for a directory made once per clone.
import { mkdirSync } from 'node:fs';

export function inDir<T>(dir: string, create: () => T, mode?: number): T {
  try {
    return create();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    mkdirSync(dir, { recursive: true, ...(mode !== undefined ? { mode } : {}) });
    return create();
  }
}
