import type { CommandSpec } from '../command.js';
import { flag } from '../command.js';
import { EXIT } from '../../platform/errors.js';
import { readBatch, updateBatch } from '../../worktree/batch.js';
import { worktreeEnv } from '../../worktree/context.js';
import { workspaceOf } from '../workspace.js';
import { gitRun, worktreeAdmin } from '../../worktree/git.js';
import { removeIssue } from '../../worktree/remove.js';

export const command: CommandSpec = {
  name: 'cleanup',
  summary: 'Remove merged worktrees and branches, prune stale worktree records, release leases',
  usage: 'jitp cleanup [--force] [--dry-run]',
  help: [
    'For each issue of the batch: removes its worktree and branch only when every commit is in the',
    'integration branch and the worktree has no uncommitted or untracked files. Anything else is',
    'refused and listed. --force removes them anyway, after listing on stderr what will be lost.',
    'Also judges sub-agent worktrees under .claude/worktrees/ that are not in the batch by the same rule.',
    'Always runs `git worktree prune` (records of folders deleted by hand). When every issue is',
    'cleaned, the batch file is archived under .jit-parallel/batches/<id>/batch.yaml.',
    '',
    'JSON: {"cleaned": [{"issue","short","removedWorktree","deletedBranch","releasedLease","lost":[..]}],',
    '       "refused": [{"issue","short","reasons":[..]}], "pruned": [line], "batchArchived": bool}',
    '(entries for .claude/worktrees/ folders have "issue": null and a "worktree" path)',
    'Exit codes: 0 everything cleaned, 1 something refused, 7 git failure.',
  ].join('\n'),
  options: {
    force: { type: 'boolean', description: 'Also remove unmerged/dirty work (lists what is lost first)' },
    'dry-run': { type: 'boolean', description: 'Say what would be removed and refused; change nothing' },
  },
  positionals: { max: 0 },
  async run(ctx) {
    const w = await worktreeEnv(workspaceOf(ctx), ctx.progress);
    const force = flag(ctx.args.values.force);
    const dry = flag(ctx.args.values['dry-run']);
    const prune = await worktreeAdmin(w.commonDir, () =>
      gitRun(w.mainRoot, ['worktree', 'prune', '--verbose', ...(dry ? ['--dry-run'] : [])]),
    );
    const pruned = (prune.stdout + prune.stderr).split('\n').filter(Boolean);
    const batch = readBatch(w.mainRoot);
    const cleaned: unknown[] = [];
    const refused: Array<{ issue: string | null; short: string; reasons: string[] }> = [];
    const lines: string[] = pruned.map((p) => `pruned: ${p}`);
    for (const issue of batch?.issues ?? []) {
      if (!issue.worktree && !issue.branch) continue;
      if (dry) {
        const { removalFacts } = await import('../../worktree/remove.js');
        const { decideRemoval } = await import('../../worktree/safety.js');
        const v = decideRemoval(await removalFacts(w, batch!, issue), { mode: 'cleanup', force });
        if (v.allowed)
          lines.push(
            `would remove ${issue.short}: ${issue.worktree ?? '(no worktree)'} ${issue.branch ?? ''}${v.losses.length ? ` LOSING ${v.losses.join('; ')}` : ''}`,
          );
        else {
          refused.push({ issue: issue.id, short: issue.short, reasons: v.refusals });
          lines.push(`would refuse ${issue.short}: ${v.refusals.join('; ')}`);
        }
        continue;
      }
      const o = await removeIssue(w, batch!, issue, { mode: 'cleanup', force });
      for (const l of o.verdict.losses) ctx.warn(`--force discards ${issue.short} ${l}`);
      if (!o.verdict.allowed) {
        refused.push({ issue: issue.id, short: issue.short, reasons: o.verdict.refusals });
        lines.push(`refused ${issue.short} (${issue.worktree ?? issue.branch}): ${o.verdict.refusals.join('; ')}`);
      } else {
        cleaned.push({
          issue: o.issue,
          short: o.short,
          removedWorktree: o.removedWorktree,
          deletedBranch: o.deletedBranch,
          releasedLease: o.releasedLease,
          lost: o.verdict.losses,
        });
        lines.push(
          `cleaned ${issue.short}: ${[o.removedWorktree && 'worktree removed', o.deletedBranch && `branch ${issue.branch} deleted`, o.releasedLease && 'lease released'].filter(Boolean).join(', ') || 'nothing left to remove'}`,
        );
      }
    }
    // Sub-agent worktrees outside the batch (`.claude/worktrees/`, the client's folder and the
    // WorktreeCreate fallback): orphans there are where disk quietly goes.
    const { listWorktrees, currentBranch } = await import('../../worktree/git.js');
    const { removeLooseWorktree } = await import('../../worktree/remove.js');
    const { join, relative, isAbsolute } = await import('node:path');
    const claudeDir = join(w.mainRoot, '.claude', 'worktrees');
    const inBatch = new Set((batch?.issues ?? []).map((i) => i.worktree).filter(Boolean));
    const integration = batch?.integration ?? (await currentBranch(w.mainRoot)) ?? 'HEAD';
    for (const rec of (await listWorktrees(w.mainRoot)).slice(1)) {
      const rel = relative(claudeDir, rec.path);
      if (inBatch.has(rec.path) || rel.startsWith('..') || isAbsolute(rel)) continue;
      const o = await removeLooseWorktree(w, rec.path, rec.branch ?? null, integration, { force, dryRun: dry });
      for (const l of o.verdict.losses) ctx.warn(`--force discards ${rec.path}: ${l}`);
      if (!o.verdict.allowed) {
        refused.push({ issue: null, short: rec.path, reasons: o.verdict.refusals });
        lines.push(`${dry ? 'would refuse' : 'refused'} ${rec.path}: ${o.verdict.refusals.join('; ')}`);
      } else if (dry) lines.push(`would remove ${rec.path} ${rec.branch ?? ''}`);
      else {
        cleaned.push({
          issue: null,
          short: null,
          worktree: rec.path,
          removedWorktree: o.removedWorktree,
          deletedBranch: o.deletedBranch,
          releasedLease: false,
          lost: o.verdict.losses,
        });
        lines.push(
          `cleaned ${rec.path}: ${[o.removedWorktree && 'worktree removed', o.deletedBranch && `branch ${rec.branch} deleted`].filter(Boolean).join(', ')}`,
        );
      }
    }
    let batchArchived = false;
    if (batch && !dry && !refused.some((r) => r.issue !== null)) {
      const { renameSync, mkdirSync } = await import('node:fs');
      const { batchPaths, batchRunDir } = await import('../../worktree/batch.js');
      await updateBatch(w.mainRoot, w.commonDir, (b) => {
        if (b && b.issues.every((i) => !i.worktree && !i.branch)) {
          const dir = batchRunDir(w.mainRoot, b.id);
          mkdirSync(dir, { recursive: true });
          renameSync(batchPaths(w.mainRoot).file, `${dir}/batch.yaml`);
          batchArchived = true;
        }
        return { batch: undefined, value: undefined };
      });
      if (batchArchived)
        lines.push(`batch ${batch.id} finished; archived to .jit-parallel/batches/${batch.id}/batch.yaml`);
    }
    if (refused.length)
      lines.push(
        '',
        `refused ${refused.length}: merge them first (\`jitp merge\`), commit or remove the files, or \`jitp cleanup --force\` to discard`,
      );
    if (!lines.length) lines.push('nothing to clean');
    return {
      json: { cleaned, refused, pruned, batchArchived },
      text: lines.join('\n'),
      exitCode: refused.length ? EXIT.FAILURE : EXIT.OK,
    };
  },
};
