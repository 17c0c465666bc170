import type { CommandSpec } from '../command.js';
import { flag } from '../command.js';
import { EXIT } from '../../platform/errors.js';
import { cleanupBatch } from '../../worktree/cleanup.js';
import { worktreeEnv } from '../../worktree/context.js';
import { workspaceOf } from '../workspace.js';

export const command: CommandSpec = {
  name: 'cleanup',
  summary: 'Remove merged worktrees and branches, prune stale worktree records, release leases',
  usage: 'jitp cleanup [--force] [--dry-run]',
  help: [
    'For each issue of the batch: removes its worktree and branch only when every commit is in the',
    'integration branch and the worktree has no uncommitted or untracked files. Anything else is',
    'refused and listed. --force removes them anyway, after listing on stderr what will be lost.',
    'Also judges worktrees under .claude/worktrees/ that are not in the batch by the same rule, but only',
    "those jitp made (an identity file in their git dir); the client's own (`claude -w`) are kept and listed.",
    "Prunes the hooks' records of sub-agents (<git common dir>/jit-parallel/agents/) that no live lease",
    'holds and that stopped or are a day old.',
    'Always runs `git worktree prune` (records of folders deleted by hand). When every issue is',
    'cleaned, the batch file is archived under .jit-parallel/batches/<id>/batch.yaml.',
    '',
    'JSON: {"cleaned": [{"issue","short","removedWorktree","deletedBranch","releasedLease","lost":[..]}],',
    '       "refused": [{"issue","short","reasons":[..]}], "pruned": [line], "kept": [path],',
    '       "bindRecords": {"pruned": [agent id], "kept": [{"agentId","why"}]}, "batchArchived": bool}',
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
    const r = await cleanupBatch(w, {
      force: flag(ctx.args.values.force),
      dryRun: flag(ctx.args.values['dry-run']),
      warn: ctx.warn,
    });
    return {
      json: {
        cleaned: r.cleaned,
        refused: r.refused,
        pruned: r.pruned,
        kept: r.kept,
        bindRecords: r.bindRecords,
        batchArchived: r.batchArchived,
      },
      text: r.lines.join('\n'),
      exitCode: r.refused.length ? EXIT.FAILURE : EXIT.OK,
    };
  },
};
