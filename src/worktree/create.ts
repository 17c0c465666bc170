// Creating one issue's worktree: lease, branch, checkout from the pinned base, bootstrap,
// identity, batch record; all or nothing. Every step that made something registers its
// undo, and a failure anywhere runs the undos in reverse, so nothing is left half-made.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Config } from '../config/schema.js';
import { JitpError } from '../platform/errors.js';
import { isLive, type LeaseStore } from '../core/model.js';
import type { IssueSource } from '../sources/types.js';
import { type Batch, type BatchIssue, newBatchId, newIssue, readBatch, updateBatch } from './batch.js';
import { commitOf, git, outcome, output } from '../platform/git.js';
import { branchExists, currentBranch, runShell, worktreeAdmin } from './git.js';
import { copyIncluded, filesToInclude } from './include.js';
import type { IssueInfo } from './issues.js';
import { branchName, expandDirTemplate, shortId, worktreeFolderName } from './naming.js';

export interface WorktreeEnv {
  mainRoot: string;
  commonDir: string;
  config: Config;
  store: LeaseStore | null;
  /** The tracker (opened on first use): issues not yet in the batch are looked up there. */
  source(): Promise<IssueSource>;
  env: NodeJS.ProcessEnv;
  progress(line: string): void;
}

/** The folder that holds the batch's worktrees. */
export function worktreesDir(w: Pick<WorktreeEnv, 'mainRoot' | 'config'>): string {
  const t = expandDirTemplate(w.config.worktree.dir, basename(w.mainRoot));
  return isAbsolute(t) ? resolve(t) : resolve(w.mainRoot, t);
}

const isInside = (parent: string, child: string): boolean => {
  const r = relative(parent, child);
  return r === '' || (!r.startsWith('..') && !isAbsolute(r));
};

/** Reads the batch, or starts one pinned at `baseRef` (resolved once, never again). */
export async function ensureBatch(
  w: WorktreeEnv,
  opts: { baseRef?: string; strategy?: 'consolidated' | 'individual' } = {},
): Promise<Batch> {
  const existing = readBatch(w.mainRoot);
  if (existing) {
    if (opts.baseRef) {
      const want = await git(w.mainRoot, commitOf(opts.baseRef));
      if (want && want !== existing.base) {
        throw new JitpError(
          'E_BASE_MISMATCH',
          `the batch is pinned at ${existing.base.slice(0, 12)}, not ${opts.baseRef} (${want.slice(0, 12)})`,
          {
            hint:
              'every worktree of a batch starts from one base; finish the batch (`jitp merge`, `jitp cleanup`) ' +
              'before starting one on a new base',
          },
        );
      }
    }
    return existing;
  }
  const baseRef = opts.baseRef ?? w.config.worktree.base;
  const base = await git(w.mainRoot, commitOf(baseRef));
  if (!base) {
    throw new JitpError('E_NO_BASE', `cannot resolve the base ${baseRef} to a commit in ${w.mainRoot}`, {
      hint: 'commit something first, or pass --base <commit-ish>',
    });
  }
  const integration = await currentBranch(w.mainRoot);
  if (!integration) {
    throw new JitpError(
      'E_DETACHED',
      `the main checkout ${w.mainRoot} is on a detached HEAD: a batch needs the branch its work merges into`,
      {
        hint: 'switch to that branch first (`git switch main`), then run the command again',
      },
    );
  }
  const batch: Batch = {
    version: 1,
    id: newBatchId(),
    base,
    baseRef,
    integration,
    strategy: opts.strategy ?? w.config.merge.strategy,
    started_at: new Date().toISOString(),
    issues: [],
    mergeRun: { state: 'idle', current: null, before: null, test: null, stoppedBecause: null },
  };
  return updateBatch(w.mainRoot, w.commonDir, (cur) =>
    cur ? { batch: undefined, value: cur } : { batch, value: batch },
  );
}

export interface AddResult {
  issue: BatchIssue;
  created: boolean;
  included: string[];
  lease: { id: string; expiresAt: string } | null;
}

/** Where a worktree's identity lives: its own git dir, never committed, read by hooks. */
export const identityFile = (worktreeGitDir: string): string => join(worktreeGitDir, 'jit-parallel', 'identity.json');

export interface WorktreeIdentity {
  issueId: string;
  agentId: string;
  branch: string;
  base: string;
  batchId: string;
  leaseId: string | null;
}

export function readIdentity(worktreeGitDir: string): WorktreeIdentity | undefined {
  try {
    return JSON.parse(readFileSync(identityFile(worktreeGitDir), 'utf8')) as WorktreeIdentity;
  } catch {
    return undefined;
  }
}

export async function addWorktree(
  w: WorktreeEnv,
  info: IssueInfo,
  opts: {
    agentId?: string;
    path?: string;
    claudeAgentId?: string;
    /** A lease the orchestrator already holds for this issue (WorktreeCreate): used, not acquired. */
    existingLease?: { id: string; agentId: string };
    /** The caller's identity: its own live claim on the issue is used, not acquired again. */
    callerAgentId?: string;
  } = {},
): Promise<AddResult> {
  const batch = await ensureBatch(w);
  const existing = batch.issues.find((i) => i.id === info.id);
  if (existing?.worktree && existsSync(existing.worktree)) {
    return { issue: existing, created: false, included: [], lease: null };
  }
  const short = shortId(info.id);
  const branch = branchName(w.config.worktree.branch, { id: info.id, title: info.title, base: batch.integration });
  const dir = worktreesDir(w);
  const path = opts.path ?? join(dir, worktreeFolderName({ id: info.id, title: info.title }));
  // The naming guarantees this.
  if (!opts.path && !isInside(dir, path)) throw new Error(`worktree path escaped its folder: ${path}`);
  if (
    isInside(w.mainRoot, path) &&
    !isInside(join(w.mainRoot, '.claude', 'worktrees'), path) &&
    !isInside(join(w.mainRoot, '.jit-parallel'), path)
  ) {
    w.progress(
      `note: worktrees are inside the repository (${relative(w.mainRoot, dir)}); they are kept out of git through ` +
        `.git/info/exclude`,
    );
  }
  if (existsSync(path)) {
    throw new JitpError('E_PATH_EXISTS', `${path} already exists`, {
      hint: `move it away, or if it is a stale worktree run \`git worktree prune\` and \`jitp cleanup\``,
    });
  }
  if (await branchExists(w.mainRoot, branch)) {
    throw new JitpError('E_BRANCH_EXISTS', `branch ${branch} already exists`, {
      hint:
        `delete it if it holds nothing you need (\`git branch -d ${branch}\`), or set worktree.branch in ` +
        `.jit-parallel.yaml to another template`,
    });
  }
  // The caller's own claim on the issue (taken with `jitp claim acquire`) is the worktree's lease:
  // acquiring under the worktree's own identity would only fail on it as "held".
  const own =
    !opts.existingLease && opts.callerAgentId && w.store
      ? (await w.store.read()).leases.find(
          (l) => l.issueId === info.id && l.agentId === opts.callerAgentId && isLive(l),
        )
      : undefined;
  const existingLease = opts.existingLease ?? (own ? { id: own.id, agentId: own.agentId } : undefined);
  const agentId = existingLease?.agentId ?? opts.agentId ?? `agent:jitp-${short}`;
  const leaseFields = () => ({
    issueId: info.id,
    agentId,
    paths: info.files,
    worktree: path,
    branch,
    reason: `worktree for ${short}`,
  });
  const undo: Array<[string, () => Promise<void>]> = [];
  let leaseOut: AddResult['lease'] = null;
  try {
    // 1. Lease first: a held issue fails before anything exists on disk.
    if (existingLease) leaseOut = { id: existingLease.id, expiresAt: own?.expiresAt ?? '' };
    else if (w.store) {
      const lease = await w.store.acquire({
        ...leaseFields(),
        meta: { batchId: batch.id, ...(opts.claudeAgentId ? { claudeAgentIds: [opts.claudeAgentId] } : {}) },
      });
      leaseOut = { id: lease.id, expiresAt: lease.expiresAt };
      undo.push([
        'release lease',
        async () => void (await w.store!.release({ issueId: info.id, agentId }, 'worktree creation rolled back')),
      ]);
    }
    // 2. Branch + checkout from the pinned base.
    mkdirSync(dir, { recursive: true });
    if (isInside(w.mainRoot, dir)) excludeFromRepo(w, dir);
    w.progress(`[${short}] git worktree add ${path} (${branch} at ${batch.base.slice(0, 12)})`);
    // Undos run in reverse: the worktree goes first, then its (no longer checked out) branch.
    undo.push([
      'delete branch',
      () => worktreeAdmin(w.commonDir, async () => void (await git(w.mainRoot, outcome(['branch', '-D', branch])))),
    ]);
    undo.push([
      'remove worktree',
      () =>
        worktreeAdmin(w.commonDir, async () => {
          await git(w.mainRoot, outcome(['worktree', 'remove', '--force', path]));
          rmSync(path, { recursive: true, force: true });
          await git(w.mainRoot, outcome(['worktree', 'prune']));
        }),
    ]);
    await worktreeAdmin(
      w.commonDir,
      () => git(w.mainRoot, output(['worktree', 'add', '-b', branch, path, batch.base])),
      (l) => w.progress(`[${short}] ${l}`),
    );
    // 3. Verify the base: a hook or alias must not have moved us to another commit.
    const head = await git(path, commitOf('HEAD'));
    const onBranch = await currentBranch(path);
    if (head !== batch.base || onBranch !== branch) {
      throw new JitpError(
        'E_BASE_VERIFY',
        `new worktree ${path} is at ${head?.slice(0, 12)} on ${onBranch}, expected ${batch.base.slice(0, 12)} on ` +
          `${branch}`,
        {
          hint: 'check git hooks (post-checkout) that move HEAD; the worktree was removed',
        },
      );
    }
    // 4. Bootstrap: copy .worktreeinclude / worktree.include files.
    const files = await filesToInclude(w.mainRoot, w.config.worktree.include);
    const included = copyIncluded(w.mainRoot, path, files);
    if (included.length)
      w.progress(
        `[${short}] copied ${included.length} file(s): ` +
          `${included.slice(0, 5).join(', ')}${included.length > 5 ? ', …' : ''}`,
      );
    // 5. Identity, in the worktree's own git dir.
    const wtGitDir = await git(path, output(['rev-parse', '--absolute-git-dir']));
    const ident: WorktreeIdentity = {
      issueId: info.id,
      agentId,
      branch,
      base: batch.base,
      batchId: batch.id,
      leaseId: leaseOut?.id ?? null,
    };
    mkdirSync(join(wtGitDir, 'jit-parallel'), { recursive: true });
    writeFileSync(identityFile(wtGitDir), `${JSON.stringify(ident, null, 2)}\n`);
    // 6. postCreate (dependencies, codegen…), streamed as progress.
    const post = w.config.worktree.postCreate;
    if (post) {
      w.progress(`[${short}] postCreate: ${post}`);
      const r = await runShell(post, {
        cwd: path,
        env: { ...w.env, JITP_ISSUE_ID: info.id, JITP_WORKTREE: path, JITP_BRANCH: branch, JITP_MAIN_ROOT: w.mainRoot },
        onLine: (l) => w.progress(`[${short}]   ${l}`),
      });
      if (r.code !== 0) {
        throw new JitpError('E_POSTCREATE', `postCreate \`${post}\` failed with exit ${r.code} in ${path}`, {
          hint:
            'fix worktree.postCreate in .jit-parallel.yaml (the worktree, branch and lease were rolled back); last ' +
            'output:\n' +
            r.output.trim().split('\n').slice(-5).join('\n'),
        });
      }
    }
    // 7. The caller's own claim learns its worktree and branch (verify, finish and the hooks go
    // by them), only now that the worktree stands: a rollback leaves the claim as it was.
    if (own) {
      const l = await w.store!.acquire(leaseFields());
      leaseOut = { id: l.id, expiresAt: l.expiresAt };
    }
    // 8. Record in the batch (locked: parallel WorktreeCreate hooks write here too).
    const rec = await updateBatch(w.mainRoot, w.commonDir, (cur) => {
      if (!cur)
        throw new JitpError('E_BATCH_VANISHED', 'the batch file vanished while creating a worktree', {
          hint: 'run the command again',
        });
      let issue = cur.issues.find((i) => i.id === info.id);
      if (!issue) {
        issue = newIssue({
          id: info.id,
          short,
          title: info.title,
          dependencies: info.dependencies,
          instructions: info.instructions,
          files: info.files,
        });
        cur.issues.push(issue);
      }
      if (issue.merge.state === 'merged' || issue.merge.state === 'skipped') {
        // A fresh worktree for an issue whose earlier round is finished: a new round of work.
        issue.merge = { state: 'pending', reason: null, files: [], commit: null, at: null };
        issue.agent = { ...issue.agent, state: 'pending', exitCode: null, claudeAgentId: null, pid: null };
      }
      Object.assign(issue, {
        branch,
        worktree: path,
        agentId,
        leaseId: leaseOut?.id ?? null,
        createdAt: new Date().toISOString(),
      });
      if (opts.claudeAgentId) issue.agent.claudeAgentId = opts.claudeAgentId;
      return { batch: cur, value: { ...issue } };
    });
    return { issue: rec, created: true, included, lease: leaseOut };
  } catch (e) {
    const failures: string[] = [];
    for (const [what, fn] of undo.reverse()) {
      try {
        await fn();
      } catch (u) {
        failures.push(`${what}: ${(u as Error).message}`);
      }
    }
    if (failures.length && e instanceof JitpError) {
      throw new JitpError(e.code, `${e.message}; rollback also failed: ${failures.join('; ')}`, {
        hint: e.hint,
        details: e.details,
      });
    }
    throw e;
  }
}

function excludeFromRepo(w: WorktreeEnv, dir: string): void {
  const rel = relative(w.mainRoot, dir).split(sep).join('/');
  const exclude = join(w.commonDir, 'info', 'exclude');
  let text = '';
  try {
    text = readFileSync(exclude, 'utf8');
  } catch {
    mkdirSync(join(w.commonDir, 'info'), { recursive: true });
  }
  const line = `/${rel}/`;
  if (!text.split('\n').includes(line))
    writeFileSync(exclude, `${text}${text && !text.endsWith('\n') ? '\n' : ''}${line}\n`);
}
