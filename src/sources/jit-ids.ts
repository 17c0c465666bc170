// The cheap view of a jit store needed to resolve ids: the uuids in `.jit/issues/`, from the
// directory listing alone (no JSON parsing; a store can hold thousands of issues).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const FILE_RE = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.json$/;

/** Uuids of `<root>/.jit/issues/*.json`, or undefined when the repo has no jit store. */
export function listJitIssueIds(worktreeRoot: string): string[] | undefined {
  let names: string[];
  try {
    names = readdirSync(join(worktreeRoot, '.jit', 'issues'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw e;
  }
  const out: string[] = [];
  for (const n of names) {
    const m = FILE_RE.exec(n);
    if (m) out.push(m[1]!);
  }
  return out.sort();
}
