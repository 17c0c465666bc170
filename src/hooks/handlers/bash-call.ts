// PreToolUse on Bash: what the command writes (the lazy classifier, hooks/bash/), resolved the
// way the file system will, judged with the edit rules, inside a fixed time budget.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { decideBash, opaqueWarnings, type BashTarget, type EditQuery, type Target } from '../../core/hook-decision.js';
import type { Lease } from '../../core/model.js';
import { storeDirOf, type RepoLocation } from '../../workspace/repo.js';

/** Well under the client's 15 s hook timeout, with room for node's start and the store read. */
export const BASH_BUDGET_MS = 2000;

export type BashCallDecision =
  | { kind: 'deny'; reason: string }
  | { kind: 'failure'; problem: string }
  | { kind: 'ok'; extend: { lease: Lease; path: string }[]; warnings: string[] };

export const isDirectory = (abs: string): boolean => {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
};

const isUnder = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
const REMOVES = /^(rm|rmdir|shred|unlink|mv|find|git rm|git clean)\b/;

export async function decideBashCall(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  loc: RepoLocation,
  base: Omit<EditQuery, 'target'>,
  resolveTarget: (shown: string, cwd: string, loc: RepoLocation, dir?: boolean) => Target,
  startedMs = Date.now(),
): Promise<BashCallDecision> {
  const deadline = startedMs + BASH_BUDGET_MS;
  const { bashWrites } = await import('../bash/bash-writes.js');
  const w = bashWrites(command, cwd, env.HOME, { isDir: isDirectory, deadline });
  if (w.parseError) return { kind: 'failure', problem: `cannot check the Bash command: ${w.parseError}` };
  const store = storeDirOf(loc);
  const targets: BashTarget[] = [];
  for (const t of w.targets) {
    if (Date.now() > deadline)
      return { kind: 'failure', problem: `checking the Bash command's ${w.targets.length} targets took too long` };
    const r = resolveTarget(t.abs, cwd, loc, t.dir);
    // Deleting a folder that holds the lease store deletes every lease (`rm -rf <repo root>`).
    const deletesStore = r.isDir && REMOVES.test(t.why) && isUnder(store, r.abs);
    // Named from another folder (`cd src && … a.ts`): say which file of the repository it is.
    const shown = r.rel && r.rel !== t.shown && r.rel !== '.' ? `${t.shown} (${r.rel})` : t.shown;
    targets.push({ ...r, ...(deletesStore ? { store: true } : {}), shown, why: t.why });
    const twin = heldTwin(r, () => base.index.leases, loc);
    if (twin) targets.push({ ...twin, why: t.why });
  }
  const d = decideBash(targets, w.unknown, base);
  if (d.kind === 'deny') return d;
  const opaque = w.opaque.map((o) => ({ ...o, mentions: o.mentions.map((m) => resolveTarget(m, cwd, loc)) }));
  return { ...d, warnings: [...d.warnings, ...opaqueWarnings(opaque, base)] };
}

/**
 * A file that is a hard link of a file a live lease names (same device and inode): writing one
 * writes the other, so it is checked as that file. Literal lease paths only.
 */
export function heldTwin(target: Target, leasesOf: () => readonly Lease[], loc: RepoLocation): Target | undefined {
  if (target.isDir || target.store) return undefined;
  let st;
  try {
    st = statSync(target.abs);
  } catch {
    return undefined;
  }
  if (st.nlink < 2 || !st.isFile()) return undefined;
  for (const l of leasesOf())
    for (const p of l.paths) {
      if (/[*?[\]{}]/.test(p) || p === target.rel) continue;
      for (const root of new Set([loc.worktreeRoot, l.worktree ?? loc.worktreeRoot])) {
        try {
          const o = statSync(join(root, p));
          if (o.ino === st.ino && o.dev === st.dev)
            return { shown: `${target.shown} (a hard link of ${p})`, abs: join(root, p), rel: p };
        } catch {
          /* not there */
        }
      }
    }
  return undefined;
}
