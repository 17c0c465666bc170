import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CommandSpec } from '../command.js';
import { flag, str } from '../command.js';
import { EXIT, isJitpError, JitpError } from '../../platform/errors.js';
import { newIssue, updateBatch } from '../../worktree/batch.js';
import { addWorktree, ensureBatch } from '../../worktree/create.js';
import { worktreeEnv } from '../../worktree/context.js';
import { workspaceOf } from '../workspace.js';
import { shortId } from '../../worktree/naming.js';
import { parseBatchList } from '../../sources/batch.js';
import { infoOf } from '../../worktree/issues.js';

export const command: CommandSpec = {
  name: 'batch load',
  summary: 'Start (or extend) a batch from a YAML/JSON list of tasks, one worktree each',
  usage: 'jitp batch load <file> [--no-worktrees] [--base <rev>]',
  help: [
    'File: a list, or {tasks: [...]}; each task: title (required), instructions, files (paths the',
    'task may change), depends_on (ids of other tasks in the file), id (default t<n>). Read by the',
    'same parser as `--batch <file>` of `jitp plan`.',
    '  tasks:',
    '    - id: api',
    '      title: Add the /health endpoint',
    '      instructions: Return 200 with {"ok": true}.',
    '      files: [src/server.ts]',
    'Adds the tasks to .jit-parallel/batch.yaml and creates a worktree for each (like `jitp worktree',
    'add`) unless --no-worktrees (then WorktreeCreate hooks or `jitp worktree add` create them later).',
    '',
    'JSON: {"batch": id, "loaded": [{"id","short","title"}], "worktrees": [{"issue","branch","worktree"}],',
    '       "errors": [{"issue","code","message"}]}',
    'Exit codes: 0 ok, 1 some worktree failed, 2 malformed file (message names the line/task).',
  ].join('\n'),
  options: {
    'no-worktrees': { type: 'boolean', description: 'Only record the tasks; create worktrees later' },
    base: { type: 'string', arg: '<rev>', description: 'Base for a new batch (default HEAD)' },
  },
  positionals: { min: 1, max: 1, names: '<file>' },
  async run(ctx) {
    const file = resolve(ctx.cwd, ctx.args.positionals[0]!);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new JitpError('E_TASKS_READ', `cannot read ${file}: ${(e as Error).message}`, {
        hint: 'check the path',
      });
    }
    const parsed = parseBatchList(text, file);
    for (const p of parsed.problems) ctx.warn(`${p.file}${p.line ? `:${p.line}` : ''}: ${p.message}`);
    if (!parsed.issues.length)
      throw new JitpError('E_TASKS_EMPTY', `${file} holds no usable task`, {
        hint: 'each task needs a title; see `jitp batch load --help`',
      });
    const tasks = parsed.issues.map(infoOf);
    const w = await worktreeEnv(workspaceOf(ctx), ctx.progress);
    const batch = await ensureBatch(w, { baseRef: str(ctx.args.values.base) });
    await updateBatch(w.mainRoot, w.commonDir, (b) => {
      const cur = b ?? batch;
      for (const t of tasks) {
        if (cur.issues.some((i) => i.id === t.id)) continue;
        cur.issues.push(
          newIssue({
            id: t.id,
            short: shortId(t.id),
            title: t.title,
            dependencies: t.dependencies,
            instructions: t.instructions,
            files: t.files,
          }),
        );
      }
      return { batch: cur, value: undefined };
    });
    const made: unknown[] = [];
    const errors: unknown[] = [];
    const lines = [`loaded ${tasks.length} task(s) into batch ${batch.id} (base ${batch.base.slice(0, 12)})`];
    let exitCode: number = EXIT.OK;
    if (!flag(ctx.args.values['no-worktrees'])) {
      for (const t of tasks) {
        try {
          const r = await addWorktree(w, t);
          made.push({ issue: t.id, branch: r.issue.branch, worktree: r.issue.worktree });
          lines.push(`  ${r.created ? 'created' : 'exists '} ${r.issue.short}  ${r.issue.branch}  ${r.issue.worktree}`);
        } catch (e) {
          if (!isJitpError(e)) throw e;
          errors.push({ issue: t.id, code: e.code, message: e.message });
          lines.push(`  FAILED ${t.id}: ${e.message}`);
          exitCode = EXIT.FAILURE;
        }
      }
    }
    lines.push('next: `jitp spawn` runs one agent per task, `jitp status` shows progress');
    return {
      json: {
        batch: batch.id,
        loaded: tasks.map((t) => ({ id: t.id, short: shortId(t.id), title: t.title })),
        worktrees: made,
        errors,
      },
      text: lines.join('\n'),
      exitCode,
    };
  },
};
