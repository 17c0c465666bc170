import type { CommandSpec } from '../command.js';
import { flag } from '../command.js';
import { EXIT, JitpError } from '../../platform/errors.js';
import { findIssue, requireBatch } from '../../worktree/batch.js';
import { worktreeEnv } from '../../worktree/context.js';
import { workspaceOf } from '../workspace.js';
import { removeIssue } from '../../worktree/remove.js';
import { jitpCommand } from '../../core/shell-quote.js';

export const command: CommandSpec = {
  name: 'worktree remove',
  summary: "Remove an issue's worktree (refuses uncommitted or untracked work unless --force)",
  usage: 'jitp worktree remove <issue> [--force]',
  help: [
    'Removes the worktree folder when it holds no uncommitted or untracked files. The branch is',
    'deleted only when its commits are in the integration branch; otherwise it is kept (nothing is',
    'lost) and the output says so. With --force, first lists what will be lost, then removes.',
    '',
    'JSON: {"issue", "short", "removedWorktree", "deletedBranch", "releasedLease", "refusals": [..], "lost": [..]}',
    'Exit codes: 0 removed, 1 refused (dirty/untracked/locked), 4 issue not in the batch.',
  ].join('\n'),
  options: {
    force: { type: 'boolean', description: 'Remove even with uncommitted/untracked files (lists them first)' },
  },
  positionals: { min: 1, max: 1, names: '<issue>' },
  async run(ctx) {
    const w = await worktreeEnv(workspaceOf(ctx), ctx.progress);
    const batch = requireBatch(w.mainRoot);
    const issue = findIssue(batch, ctx.args.positionals[0]!);
    const force = flag(ctx.args.values.force);
    const o = await removeIssue(w, batch, issue, { mode: 'remove', force });
    if (o.verdict.losses.length) for (const l of o.verdict.losses) ctx.warn(`--force discards ${l}`);
    const json = {
      issue: o.issue,
      short: o.short,
      removedWorktree: o.removedWorktree,
      deletedBranch: o.deletedBranch,
      releasedLease: o.releasedLease,
      refusals: o.verdict.refusals,
      lost: o.verdict.losses,
    };
    if (!o.verdict.allowed) {
      if (ctx.json) return { json, exitCode: EXIT.FAILURE };
      throw new JitpError('E_REFUSED', `refusing to remove ${issue.worktree}: ${o.verdict.refusals.join('; ')}`, {
        hint:
          `commit the work in that worktree, or ` +
          `\`${jitpCommand('worktree remove', issue.short)} --force\` to discard it`,
      });
    }
    const lines = [
      o.removedWorktree ? `removed ${issue.worktree}` : `no worktree on disk for ${issue.short}`,
      o.deletedBranch
        ? `deleted branch ${issue.branch}`
        : issue.branch
          ? `kept branch ${issue.branch} (its commits are not in ${batch.integration} yet)`
          : '',
      o.releasedLease ? 'released the lease' : '',
    ].filter(Boolean);
    return { json, text: lines.join('\n') };
  },
};
