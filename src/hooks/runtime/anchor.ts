// Which repository a hook call is about when the session runs outside every repository.
/** Absolute paths in a tool call: its file, notebook or search path, and absolute words of a Bash command. */
function absolutePathsOf(input: Record<string, unknown>): string[] {
  const ti = input.tool_input as Record<string, unknown> | null | undefined;
  if (!ti || typeof ti !== 'object') return [];
  const out: string[] = [];
  for (const k of ['file_path', 'notebook_path', 'path']) {
    const v = ti[k];
    if (typeof v === 'string' && v.startsWith('/')) out.push(v);
  }
  const cmd = ti.command;
  if (typeof cmd === 'string')
    for (const m of cmd.slice(0, 100_000).matchAll(/(?:^|[\s'"=<>(`:])(\/[^\s'"<>;|&()`$*?[\]{}]+)/g)) {
      out.push(m[1]!);
      if (out.length >= 64) break;
    }
  return out;
}

/**
 * The folder whose repository a hook call is judged in: the session's cwd, or, when the cwd is in
 * no repository (`claude` started in /tmp), the first absolute path of the call that is in one
 * (issue 13, item 5: a held file edited by absolute path from outside is still checked).
 */
export function anchorDir(input: Record<string, unknown>, cwd: string, inRepo: (dir: string) => boolean): string {
  if (inRepo(cwd)) return cwd;
  for (const p of absolutePathsOf(input)) if (inRepo(p)) return p;
  return cwd;
}
