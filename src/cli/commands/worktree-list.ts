import type { CommandSpec } from '../command.js';
import { readBatch } from '../../worktree/batch.js';
import { worktreeEnv } from '../../worktree/context.js';
import { workspaceOf } from '../workspace.js';
import { listWorktrees } from '../../worktree/git.js';
import { table, type Cell } from '../../render/table.js';
import { PLAIN } from '../../render/style.js';

export const command: CommandSpec = {
  name: 'worktree list',
  summary: "List the batch's worktrees and any other git worktrees of the repository",
  usage: 'jitp worktree list [--json]',
  help: [
    'JSON: {"batch": id|null, "base": sha|null, "worktrees": [{"path", "branch", "head", "issue"|null,',
    '       "short"|null, "missing": bool, "prunable": bool}]}',
    '"missing": the batch records a worktree git no longer knows (deleted folder); `jitp cleanup` prunes it.',
    'Exit codes: 0 ok, 2 corrupt batch file, 7 git failure.',
  ].join('\n'),
  positionals: { max: 0 },
  async run(ctx) {
    const w = await worktreeEnv(workspaceOf(ctx), ctx.progress);
    const batch = readBatch(w.mainRoot);
    const recs = await listWorktrees(w.mainRoot);
    const byPath = new Map(recs.map((r) => [r.path, r]));
    const rows: Array<{
      path: string;
      branch: string | null;
      head: string | null;
      issue: string | null;
      short: string | null;
      missing: boolean;
      prunable: boolean;
    }> = [];
    for (const r of recs.slice(1)) {
      const issue = batch?.issues.find((i) => i.worktree === r.path);
      rows.push({
        path: r.path,
        branch: r.branch ?? null,
        head: r.head ?? null,
        issue: issue?.id ?? null,
        short: issue?.short ?? null,
        missing: false,
        prunable: !!r.prunable,
      });
    }
    for (const i of batch?.issues ?? []) {
      if (i.worktree && !byPath.has(i.worktree))
        rows.push({
          path: i.worktree,
          branch: i.branch,
          head: null,
          issue: i.id,
          short: i.short,
          missing: true,
          prunable: false,
        });
    }
    const st = ctx.style ?? PLAIN;
    const text = rows.length
      ? table(
          [
            ['issue', 'branch', 'path', ''],
            ...rows.map((r): Cell[] => [
              r.short ?? '-',
              r.branch ?? { text: '(detached)', paint: st.dim },
              r.path,
              { text: [r.missing && 'missing', r.prunable && 'prunable'].filter(Boolean).join(' '), paint: st.yellow },
            ]),
          ],
          { header: st.bold, shrink: [1, 2], ...(ctx.width ? { width: ctx.width } : {}) },
        ).join('\n')
      : 'no linked worktrees';
    return { json: { batch: batch?.id ?? null, base: batch?.base ?? null, worktrees: rows }, text };
  },
};
