import type { CommandSpec } from '../command.js';
import { EXIT } from '../../platform/errors.js';
import { runVerify } from '../../dispatch/verify-run.js';
import { verifyText } from '../../dispatch/verify-text.js';
import { VERIFY_OPTIONS, verifyInputs } from '../verify-shared.js';
import { workspaceOf } from '../workspace.js';

export const command: CommandSpec = {
  name: 'verify',
  summary: "Post-flight: check the batch's changes against its leases and reports, run the tests once",
  usage: 'jitp verify [<issue…>] [--reports <dir>] [--test "<cmd>" | --no-test] [--json]',
  help: [
    'For each issue (default: every issue with a live lease): the files it changed (working tree vs HEAD in',
    "the shared checkout; its branch and worktree in worktree mode) against its lease's paths; changed files",
    'no lease covers; files changed by two issues; in worktree mode, files that leaked into the main checkout.',
    "With --reports <dir>, parses the sub-agents' final answers saved there (one file each, named <short-id>.md",
    'or carrying "issue" in the JSON block): files they claim but did not change, needs outside scope, problems,',
    'failed checks, malformed reports. Then runs the test command once (config test.command, else detected).',
    '',
    'JSON: {"ok": bool, "needsHuman": [string], "issues": ' +
      '[{"id","shortId","title","leaseId","mode":"shared"|"worktree",',
    '  "changed":[…],"outsideLease":[…],"reportedButUnchanged":[…],"needsOutsideScope":[{"path","why"}],' +
      '"problems":[…],',
    '  "failedChecks":[{"command","result"}],"report":"ok"|"missing"|"malformed","reportError"?,"findings":[…]}],',
    '  "unleased":[…], "heldByOthers":[{"path","leaseId","issueId"}] (changes under leases outside the batch; not ' +
      'staged),',
    '  "shared":[{"path","issues":[…]}], "leaked":[{"path","issue"}], "strayReports":[{"file","error"}],',
    '  "otherReports":[{"file","issue"}] (reports of tracker issues outside the batch: listed, never a finding),',
    '  "handedOn":[{"path","issue","toIssue"}] (handed to a waiter outside the batch whose lease is live: its',
    '  commit takes the file, not this one),',
    '  "stage":[…] (paths to `git add` for the batch), "tests": ' +
      '{"command","source","exitCode","ok","durationMs","outputTail"}|null}',
    'Exit codes: 0 all clean, 1 something needs a human (see needsHuman), 2 bad arguments, 4 unknown issue id,',
    '5 lease store unreadable, 7 git.',
  ].join('\n'),
  options: VERIFY_OPTIONS,
  async run(ctx) {
    const { reportsDir, test } = verifyInputs(ctx);
    const v = await runVerify(workspaceOf(ctx), {
      ids: ctx.args.positionals,
      reportsDir,
      test,
      progress: ctx.progress,
      warn: ctx.warn,
    });
    return {
      exitCode: v.result.ok ? EXIT.OK : EXIT.FAILURE,
      json: { ...v.result, tests: v.tests },
      text: verifyText(v.result, v.tests, !!reportsDir),
    };
  },
};
