import type { CommandSpec } from '../command.js';
import { flag } from '../command.js';
import { EXIT } from '../../platform/errors.js';
import { finishIssues } from '../../dispatch/finish.js';
import { readBatch } from '../../worktree/batch.js';
import { verifyText } from '../../dispatch/verify-text.js';
import { oneLine } from '../../render/text.js';
import { VERIFY_OPTIONS, verifyInputs } from '../verify-shared.js';
import { workspaceOf } from '../workspace.js';
import { jitpCommand } from '../../core/shell-quote.js';

export const command: CommandSpec = {
  name: 'finish',
  summary: 'Post-flight in one step: verify, mark the issues done, stage, one commit, release their leases',
  usage: 'jitp finish <issue…> [--reports <dir>] [--test "<cmd>" | --no-test] [--no-commit] [--json]',
  help: [
    'Runs `jitp verify` on the issues; when it needs a human, stops there with its findings and changes',
    'nothing. Otherwise marks each issue done (as `jitp issue done`), stages exactly the paths verify lists',
    'under "stage" plus the tracker files the state change touched, and makes one commit of only those paths',
    '(whatever else is staged stays staged) with the message of `jitp commit-message <issue…>`; the',
    "pre-commit backstop runs, with the issues' leases named as the committer's. Then releases the",
    "issues' leases. With --no-commit it stops after staging and keeps the leases (`jitp finish` again commits).",
    'Safe to run again after any failure: an issue already done, with its tracker file committed and',
    'nothing uncommitted under its lease, counts as finished (a leftover lease is released); the rest go',
    'through verify again. An issue worked in its own worktree (worktree mode) is finished only after',
    '`jitp merge` merged its branch: then only its state change is committed (run it with --no-test; the',
    'merge queue ran the tests).',
    '',
    'JSON: {"ok": bool, "needsHuman": [string], "issues": [{"id","shortId","title",',
    '  "status": "finished"|"already-finished"|"staged"|"not-finished", "done": {"from","via","file","changed",',
    '  "error"?,"note"?}|null, "releasedLeases": [lease id]}],',
    '  "verify": (the `jitp verify --json` object)|null, "staged": [path], "commit": {"sha","message"}|null}',
    'Exit codes: 0 finished (or nothing left to do), 1 needs a human (verify, or an issue jit would not mark',
    'done; nothing staged or committed), 2 bad arguments or a malformed issue file, 4 unknown or ambiguous',
    'id, 5 lease store problem, 7 git (the commit failed: the issues stay done and staged, the leases kept).',
  ].join('\n'),
  options: {
    ...VERIFY_OPTIONS,
    'no-commit': { type: 'boolean', description: 'Stop after staging (leases kept); run again to commit' },
  },
  positionals: { min: 1, names: '<issue…>' },
  async run(ctx) {
    const { reportsDir, test } = verifyInputs(ctx);
    const commit = !flag(ctx.args.values['no-commit']);
    const ws = workspaceOf(ctx);
    const merged = (readBatch(ws.mainRoot)?.issues ?? []).filter((i) => i.merge.state === 'merged').map((i) => i.id);
    const r = await finishIssues(ws, {
      ids: ctx.args.positionals,
      merged: new Set(merged),
      reportsDir,
      test,
      commit,
      progress: ctx.progress,
      warn: ctx.warn,
    });
    const json = {
      ok: r.ok,
      needsHuman: r.needsHuman,
      issues: r.issues.map((i) => ({
        id: i.id,
        shortId: i.shortId,
        title: i.title,
        status: i.status,
        done: i.done
          ? {
              from: i.done.from,
              via: i.done.via,
              file: i.done.file,
              changed: i.done.changed,
              ...(i.done.error ? { error: i.done.error } : {}),
              ...(i.done.note ? { note: i.done.note } : {}),
            }
          : null,
        releasedLeases: i.releasedLeases,
      })),
      verify: r.verify ? { ...r.verify.result, tests: r.verify.tests } : null,
      staged: r.staged,
      commit: r.commit,
    };
    const lines: string[] = [];
    const fromVerify = new Set(r.verify?.result.needsHuman ?? []);
    // verify's own report when it is what stopped the run; it ends with what needs a human.
    if (r.verify && fromVerify.size) lines.push(verifyText(r.verify.result, r.verify.tests, !!reportsDir), '');
    for (const i of r.issues)
      lines.push(
        `${i.shortId}  ${i.status}${i.done?.error ? ` (${oneLine(i.done.error)})` : ''}` +
          `${i.releasedLeases.length ? `; released ${i.releasedLeases.join(', ')}` : ''}`,
      );
    const more = r.needsHuman.filter((n) => !fromVerify.has(n));
    if (more.length) lines.push('', 'NEEDS A HUMAN:', ...more.map((n) => `  - ${oneLine(n)}`));
    if (!r.ok)
      lines.push(
        '',
        `nothing was committed; fix the above, then run again: ${jitpCommand('finish', ...ctx.args.positionals)}`,
      );
    else if (r.commit) lines.push('', `committed ${r.commit.sha.slice(0, 12)}: ${r.commit.message.split('\n')[0]}`);
    else if (r.staged.length && !commit)
      lines.push(
        '',
        `staged ${r.staged.length} path(s), leases kept; commit with: ` +
          jitpCommand('finish', ...ctx.args.positionals),
      );
    else lines.push('', 'nothing left to commit');
    return { exitCode: r.ok ? EXIT.OK : EXIT.FAILURE, json, text: lines.join('\n') };
  },
};
