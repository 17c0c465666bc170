import type { CommandSpec } from '../command.js';
import { str } from '../command.js';
import { EXIT } from '../../platform/errors.js';
import { resolveIssues } from '../../dispatch/context.js';
import { workspaceOf } from '../workspace.js';
import { markDoneOrExplain, type DoneOutcome } from '../../dispatch/issue-done.js';
import { releaseIssueLeases } from '../../dispatch/leases.js';
import { jitpCommand } from '../../core/shell-quote.js';

export const command: CommandSpec = {
  name: 'issue done',
  summary: 'Mark issues done in their tracker and release their leases',
  usage: 'jitp issue done <issue…> [--comment <text>] [--json]',
  help: [
    'With a jit store: `jit issue update <id> --state done` when the jit CLI is on PATH (its gates and',
    'events apply; if jit refuses, the file is left alone and the refusal reported); without the CLI,',
    '.jit/issues/<uuid>.json is rewritten atomically with state "done" and a new updated_at, every other',
    "field kept as it was, and jit's issue_state_changed + issue_completed events appended to .jit/events.jsonl.",
    "Task files: the front matter's `state:` line becomes `state: done`; the rest of the file is kept.",
    'GitHub issues (source: github): `gh issue close <n> --reason completed` (with --comment, gh posts it',
    'as the closing comment); gh does the authentication, a missing or logged-out gh is exit 8.',
    'Then every live lease of each issue is released (reason "issue done").',
    '',
    'JSON: {"ok": bool, "issues": [{"id","shortId","from","via":"jit-cli"|"file"|"gh"|"none","file","changed",',
    '  "releasedLeases":[…],"error"?,"note"?}]}',
    'Exit codes: 0 ok, 1 an issue could not be marked done (see error), 2 bad arguments or a malformed issue file,',
    '4 unknown or ambiguous id, 5 lease store problem, 7 not a git repository or a gh call failed,',
    '8 gh missing or not logged in.',
  ].join('\n'),
  options: {
    comment: { type: 'string', arg: '<text>', description: 'GitHub issues: closing comment' },
  },
  positionals: { min: 1, names: '<issue…>' },
  async run(ctx) {
    const ws = workspaceOf(ctx);
    const source = await ws.source();
    const issues = resolveIssues(source, ctx.args.positionals);
    const results: (DoneOutcome & { releasedLeases: string[] })[] = [];
    for (const issue of issues) {
      const outcome = await markDoneOrExplain(
        ws.root,
        issue,
        ctx.env,
        jitpCommand('issue done', issue.shortId),
        { done: results.map((r) => r.id) },
        { github: { repo: (await ws.config()).github.repo, comment: str(ctx.args.values.comment) } },
      );
      // A refused state change keeps the lease: the work is not finished.
      const releasedLeases = outcome.error ? [] : await releaseIssueLeases(await ws.store(), issue.id, 'issue done');
      results.push({ ...outcome, releasedLeases });
    }
    const ok = results.every((r) => !r.error);
    const text = results
      .map((r) => {
        const what = r.error
          ? `NOT done: ${r.error}`
          : r.changed
            ? `done (was ${r.from}; via ${r.via === 'jit-cli' ? 'jit CLI' : r.via === 'gh' ? `gh, ${r.file}` : r.file})`
            : `unchanged: ${r.note}`;
        const rel = r.releasedLeases.length ? `; released ${r.releasedLeases.join(', ')}` : '';
        return `${r.shortId}  ${what}${rel}`;
      })
      .join('\n');
    return { exitCode: ok ? EXIT.OK : EXIT.FAILURE, json: { ok, issues: results }, text };
  },
};
