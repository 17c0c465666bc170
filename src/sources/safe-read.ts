// Reads one issue file, refusing symlinks that lead outside the repository (a task file must
// not become a way to show /etc/passwd in a prompt) and files over a size limit.
import { lstatSync, readFileSync, realpathSync } from 'node:fs';
import { relative, isAbsolute } from 'node:path';

export function readIssueFile(abs: string, root: string, maxBytes: number): { text: string } | { problem: string } {
  try {
    if (lstatSync(abs).isSymbolicLink()) {
      const real = realpathSync(abs);
      const rel = relative(realpathSync(root), real);
      if (rel === '' || rel.startsWith('..') || isAbsolute(rel))
        return { problem: `symlink to ${real}, outside the repository; skipped` };
    }
    const buf = readFileSync(abs);
    if (buf.length > maxBytes) return { problem: `file is ${buf.length} bytes (limit ${maxBytes}); skipped` };
    return { text: buf.toString('utf8') };
  } catch (e) {
    return { problem: `cannot read: ${(e as Error).message}` };
  }
}
