import type { CommandSpec } from '../command.js';
import { flag, str } from '../command.js';
import { resolveIssues } from '../../dispatch/context.js';
import { workspaceOf } from '../workspace.js';
import { trackerChanges } from '../../dispatch/issue-done.js';
import { renderCommitMessage } from '../../render/commit-message.js';

export const command: CommandSpec = {
  name: 'commit-message',
  summary: 'Write the commit message for a batch of issues (references/commit-convention.md)',
  usage: 'jitp commit-message <issue…> [--conventional] [--summary <text>] [--no-co-author] [--files] [--json]',
  help: [
    'Subject `jit: <summary>` (at most 72 characters; --conventional: `feat|fix|docs…: <summary>`),',
    'a bullet per issue `- <title> (<short-id>)`, a line `jit: <short-ids>`, and the Co-Authored-By',
    'trailer from config commit.coAuthor. Titles are flattened to one line and stripped of control',
    'characters, so no title can add lines or trailers. Prints only the message, ready for',
    '`jitp commit-message <ids> | git commit -F -`.',
    "--files prints instead the tracker files to stage (changed files under .jit/, or the issues' task files), one " +
      'per line:',
    '`git add -- $(jitp commit-message <ids> --files)`.',
    '',
    'JSON: {"subject", "body", "trailers": [..], "message", "conventional": bool,',
    '  "issues": [{"id","shortId","title"}], "stage": [".jit/…"]}',
    'Exit codes: 0 ok, 2 bad arguments or invalid commit.coAuthor, 4 unknown or ambiguous issue id, 7 git.',
  ].join('\n'),
  options: {
    conventional: { type: 'boolean', description: 'Conventional Commits subject (also config commit.conventional)' },
    summary: { type: 'string', arg: '<text>', description: 'Subject summary instead of the titles' },
    'no-co-author': { type: 'boolean', description: 'Leave out the Co-Authored-By trailer' },
    files: { type: 'boolean', description: 'Print the .jit/ files to stage instead of the message' },
  },
  positionals: { min: 1, names: '<issue…>' },
  async run(ctx) {
    const ws = workspaceOf(ctx);
    const config = await ws.config();
    const source = await ws.source();
    const issues = resolveIssues(source, ctx.args.positionals);
    const conventional = flag(ctx.args.values.conventional) || config.commit.conventional;
    const msg = renderCommitMessage(
      issues.map((i) => ({ id: i.id, shortId: i.shortId, title: i.title, labels: i.labels })),
      {
        conventional,
        coAuthor: flag(ctx.args.values['no-co-author']) ? null : config.commit.coAuthor,
        summary: str(ctx.args.values.summary) ?? null,
      },
    );
    const stage = await trackerChanges(ws.root, issues);
    const json = {
      ...msg,
      conventional,
      issues: issues.map((i) => ({ id: i.id, shortId: i.shortId, title: i.title })),
      stage,
    };
    if (flag(ctx.args.values.files)) return { json, text: stage.join('\n') };
    return { json, text: msg.message };
  },
};
