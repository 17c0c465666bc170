// What the client itself does for a worktree jitp does not own (`claude -w <name>`, EnterWorktree,
// an isolated sub-agent without a binding line). A WorktreeCreate hook replaces the client's own
// creation for every worktree, so jitp must redo it exactly. Observed on 2.1.330 without a hook
// (test/worktree/client-default.test.ts runs the same cases against the real client):
// - path `<repo>/.claude/worktrees/<name>`, branch `worktree-<name>`, reset to the base when the
//   branch already exists (`git worktree add -B`);
// - base: settings `worktree.baseRef: "head"` takes local HEAD; otherwise ("fresh", the default)
//   the default branch of origin: with origin/HEAD set, `git fetch origin <branch>` first (a failed
//   fetch keeps the tracking ref as it is), without origin/HEAD the tracking ref origin/main (or
//   origin/master) as it is, and without either local HEAD;
// - files matched by `.worktreeinclude` that git ignores are copied (include.ts).
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { commitOf, git, outcome, output } from '../platform/git.js';
import { JitpError } from '../platform/errors.js';
import { worktreeAdmin } from './git.js';
import { copyIncluded, worktreeIncludeFiles } from './include.js';

export type BaseRefSetting = 'fresh' | 'head';

/** What the base is: the ref used, the commit, and why (for the hook's log and the tests). */
export interface ClientBase {
  ref: string;
  commit: string;
  why: string;
}

/** The tracking ref origin/HEAD names, and whether origin/main / origin/master exist. Pure decision over them. */
export function chooseBaseRef(o: {
  setting: BaseRefSetting;
  originHead: string | null;
  trackingRefs: readonly string[];
}): { ref: string; fetch: string | null; why: string } {
  if (o.setting === 'head') return { ref: 'HEAD', fetch: null, why: 'settings worktree.baseRef is "head"' };
  if (o.originHead) {
    const branch = o.originHead.replace(/^refs\/remotes\/origin\//, '');
    return { ref: o.originHead, fetch: branch, why: `origin's default branch (${branch}), fetched first` };
  }
  for (const b of ['main', 'master'])
    if (o.trackingRefs.includes(`refs/remotes/origin/${b}`))
      return { ref: `refs/remotes/origin/${b}`, fetch: null, why: `origin/${b} (no origin/HEAD; not fetched)` };
  return { ref: 'HEAD', fetch: null, why: 'no origin default branch: local HEAD' };
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined; // absent or unreadable: the client falls back to its other settings files
  }
}

/**
 * `worktree.baseRef` from the client's settings files, most specific first: the project's
 * `.claude/settings.local.json`, its `.claude/settings.json`, the user's `~/.claude/settings.json`.
 */
export function baseRefSetting(root: string, env: NodeJS.ProcessEnv): BaseRefSetting {
  const home = env.HOME || homedir();
  for (const f of [
    join(root, '.claude', 'settings.local.json'),
    join(root, '.claude', 'settings.json'),
    join(home, '.claude', 'settings.json'),
  ]) {
    const v = (readJson(f) as { worktree?: { baseRef?: unknown } } | undefined)?.worktree?.baseRef;
    if (v === 'head' || v === 'fresh') return v;
  }
  return 'fresh';
}

/** Seconds a fetch of origin may take before the hook goes on with the tracking ref it has. */
const FETCH_TIMEOUT_MS = 20_000;

export async function clientBase(root: string, env: NodeJS.ProcessEnv): Promise<ClientBase> {
  const head = await git(root, outcome(['symbolic-ref', '-q', 'refs/remotes/origin/HEAD']));
  const refs = await git(
    root,
    outcome(['for-each-ref', '--format=%(refname)', 'refs/remotes/origin/main', 'refs/remotes/origin/master']),
  );
  const choice = chooseBaseRef({
    setting: baseRefSetting(root, env),
    originHead: head.code === 0 && head.stdout.trim() ? head.stdout.trim() : null,
    trackingRefs: refs.code === 0 ? refs.stdout.split('\n').filter(Boolean) : [],
  });
  if (choice.fetch) {
    try {
      await git({ cwd: root, env, timeoutMs: FETCH_TIMEOUT_MS }, outcome(['fetch', '-q', 'origin', choice.fetch]));
    } catch {
      /* offline or slow remote: the client goes on with the tracking ref it has, and so do we */
    }
  }
  const commit = await git(root, commitOf(choice.ref));
  if (commit) return { ref: choice.ref, commit, why: choice.why };
  const local = await git(root, commitOf('HEAD'));
  if (!local)
    throw new JitpError('E_GIT', `${root} has no commit yet; a worktree needs one`, {
      hint: 'make a first commit (git commit --allow-empty -m init), then start the worktree again',
    });
  return { ref: 'HEAD', commit: local, why: `${choice.ref} does not resolve: local HEAD` };
}

const isWorktreeTop = async (path: string): Promise<boolean> => {
  const r = await git(path, outcome(['rev-parse', '--show-toplevel']));
  try {
    return r.code === 0 && realpathSync(r.stdout.trim()) === realpathSync(path);
  } catch {
    return false;
  }
};

/**
 * The client's own worktree for `name`, made as the client would (see the file comment). An
 * existing worktree there is handed back as it is (the client resumes it). Returns its path.
 */
export async function clientDefaultWorktree(
  mainRoot: string,
  commonDir: string,
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<{ path: string; base: ClientBase | null; included: string[] }> {
  const dir = join(mainRoot, '.claude', 'worktrees');
  const path = join(dir, name);
  if (existsSync(path)) {
    if (await isWorktreeTop(path)) return { path, base: null, included: [] };
    throw new JitpError('E_PATH_EXISTS', `${path} exists and is not a git worktree`, {
      hint: `move it away (mv ${JSON.stringify(path)} ${JSON.stringify(`${path}.old`)}), then start the worktree again`,
    });
  }
  const base = await clientBase(mainRoot, env);
  mkdirSync(dir, { recursive: true });
  excludeWorktreeDir(commonDir);
  await worktreeAdmin(commonDir, () =>
    git(mainRoot, output(['worktree', 'add', '-q', '-B', `worktree-${name}`, path, base.commit])),
  );
  const included = copyIncluded(mainRoot, path, await worktreeIncludeFiles(mainRoot));
  return { path, base, included };
}

/**
 * The one thing jitp adds to the client's behaviour: `.claude/worktrees/` goes into the
 * repository's local exclude file (never a tracked file), so a `git add -A` in the main checkout
 * cannot stage the worktrees as embedded repositories.
 */
function excludeWorktreeDir(commonDir: string): void {
  const exclude = join(commonDir, 'info', 'exclude');
  let text = '';
  try {
    text = readFileSync(exclude, 'utf8');
  } catch {
    mkdirSync(join(commonDir, 'info'), { recursive: true });
  }
  if (!text.split('\n').includes('/.claude/worktrees/'))
    writeFileSync(exclude, `${text}${text && !text.endsWith('\n') ? '\n' : ''}/.claude/worktrees/\n`);
}
