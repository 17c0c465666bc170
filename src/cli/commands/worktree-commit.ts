import type { CommandSpec } from '../command.js';
import { commitWorktree } from '../../worktree/commit.js';
import { worktreeEnv } from '../../worktree/context.js';
import { workspaceOf } from '../workspace.js';

export const command: CommandSpec = {
  name: 'worktree commit',
  summary: "Commit an issue's work in its worktree on its branch, with the convention's message",
  usage: 'jitp worktree commit <issue> [--json]',
  help: [
    "Stages everything that changed in the issue's worktree (staged, unstaged and new files; jitp's and",
    "the tracker's bookkeeping under .jit/ and .jit-parallel/ left out) and commits only those paths on the",
    "issue's branch, with the message `jitp commit-message <issue>` writes (config commit.*). The pre-commit",
    'backstop runs. Nothing changed: nothing committed, exit 0 (safe to run again). Run it for each issue',
    'after `jitp verify`, before `jitp merge`.',
    '',
    'JSON: {"issue": {"id","shortId","title"}, "worktree", "branch", "committed": bool, "commit": sha|null,',
    '       "files": [path], "skipped": [path], "message"}',
    'Exit codes: 0 committed or nothing to commit, 1 the worktree is gone or on another branch,',
    '2 invalid commit.coAuthor, 4 unknown issue or no worktree for it, 7 git (the commit failed).',
  ].join('\n'),
  positionals: { min: 1, max: 1, names: '<issue>' },
  async run(ctx) {
    const w = await worktreeEnv(workspaceOf(ctx), ctx.progress);
    const r = await commitWorktree(w, ctx.args.positionals[0]!);
    const text = r.committed
      ? [
          `committed ${r.files.length} path${r.files.length === 1 ? '' : 's'} on ${r.branch} ` +
            `(${r.commit!.slice(0, 12)}): ${r.message.split('\n')[0]}`,
          ...r.files.map((f) => `  ${f}`),
        ]
      : [`nothing to commit in ${r.worktree} (${r.branch})`];
    if (r.skipped.length) text.push(`left out (bookkeeping): ${r.skipped.join(', ')}`);
    return { json: r, text: text.join('\n') };
  },
};
