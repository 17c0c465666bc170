import type { CommandSpec } from '../command.js';
import { flag, str } from '../command.js';
import { testCommandFor } from '../../render/test-command-fs.js';
import { EXIT, usageError } from '../../platform/errors.js';
import { requireBatch, updateBatch } from '../../worktree/batch.js';
import { worktreeEnv } from '../../worktree/context.js';
import { workspaceOf } from '../workspace.js';
import { branchExists } from '../../worktree/git.js';
import { commitOf, git } from '../../platform/git.js';
import { renderMatrix } from '../../merge/matrix.js';
import { preview } from '../../merge/preview.js';
import { mergeOrder, readiness } from '../../merge/queue.js';
import { continueQueue, issueFacts, skipQueue, startQueue, type QueueEnv } from '../../merge/queue-run.js';
import { markMergedDone } from '../../dispatch/merged-done.js';
import { createPullRequests } from '../../merge/pull-requests.js';
import { prCommands, renderReport } from '../../merge/render.js';

export const command: CommandSpec = {
  name: 'merge',
  summary: "Preview conflicts between the batch's branches, then merge them back (queue with tests)",
  usage:
    'jitp merge [--strategy consolidated|individual [--create-prs]] [--dry-run] [--test "<cmd>" | --no-test] ' +
    '[--no-done] [--continue | --skip]',
  help: [
    'Preview: `git merge-tree --write-tree` for each branch against the integration tip and for every',
    'pair of branches, without touching any worktree; printed as a matrix (. clean, X<n> n files).',
    'consolidated (default): merges branches one at a time into the integration branch in the main',
    'checkout, in dependency order then plan order; after each merge runs the test command (--test,',
    'else config merge.test, else test.command, else the one detected as verify does: package.json',
    'scripts.test, Cargo.toml, …), saying which first; --no-test skips them. On a conflict or a red',
    'test it stops with the repository as git left it (conflict kept), records the reason in',
    '.jit-parallel/batch.yaml and prints how to go on: `jitp merge --continue` (after resolving/fixing)',
    'or `jitp merge --skip`',
    '(aborts that one merge, saying so; its work stays on its branch).',
    'Each branch that really merged (tests passed, or it was already in the integration branch; never a',
    'conflict or a red test) is finished as `jitp issue done` does: its issue is marked done in the tracker,',
    'the tracker files that changed are committed on the integration branch ("Mark <short> done (merged',
    '<branch>)"), and its leases are released; the output says so per issue. --no-done leaves issues and',
    'leases as they are. A refused state change (jit gates, gh) keeps the lease and is reported; the queue',
    'goes on.',
    'individual: merges nothing; prints the push and pull-request commands for each ready branch. With',
    '--create-prs it runs them: `git push -u origin <branch>`, then `gh pr create` with a body that links the',
    'issue (`Closes #12` for GitHub issues) and says what merge checked; gh owns the login (`gh auth login`).',
    '',
    'JSON: {"strategy", "integration", "preview": {"tip", "nodes": [short], "results": [{"a","b","clean",',
    '       "files":[..], "error"?}]} | null, "order": [short], "steps": [{"issue","short","branch","outcome",',
    '       "detail","files"?,"commit"?,"done"?: {"state": "done"|"already"|"untracked"|"failed", "via",',
    '       "file", "commit", "releasedLeases": [id], "note"?, "error"?}}],',
    '       "stopped": null | {"issue","short","because","files","next":[cmd]},',
    '       "done": bool, "pullRequests": [{"issue","short","branch","commands":[..],"url"?,"error"?}]}',
    'outcome: merged | conflict | test-failed | merge-failed | skipped | not-ready.',
    'Exit codes: 0 done (or preview clean with --dry-run), 1 stopped or conflicts found by --dry-run,',
    '2 usage, 4 no batch, 7 git failure (or gh failed), 8 gh missing or not logged in.',
  ].join('\n'),
  options: {
    strategy: { type: 'string', arg: '<s>', description: 'consolidated | individual (default: config merge.strategy)' },
    'dry-run': { type: 'boolean', description: 'Preview and planned order only; merge nothing' },
    test: { type: 'string', arg: '<cmd>', description: 'Test command run after each merge (default: detected)' },
    'no-test': { type: 'boolean', description: 'Merge without running the tests between merges' },
    'no-done': { type: 'boolean', description: 'Do not mark merged issues done or release their leases' },
    continue: { type: 'boolean', description: 'Go on after resolving a conflict or fixing a red test' },
    skip: { type: 'boolean', description: 'Drop the stopped issue from the queue (its branch keeps the work)' },
    'create-prs': { type: 'boolean', description: 'individual: push each ready branch and open its PR with gh' },
  },
  positionals: { max: 0 },
  async run(ctx) {
    const w = await worktreeEnv(workspaceOf(ctx), ctx.progress);
    const v = ctx.args.values;
    const strategyOpt = str(v.strategy);
    if (strategyOpt && strategyOpt !== 'consolidated' && strategyOpt !== 'individual')
      throw usageError(`unknown strategy: ${strategyOpt}`, 'use --strategy consolidated or --strategy individual');
    if (flag(v.continue) && flag(v.skip)) throw usageError('--continue and --skip exclude each other');
    const createPrs = flag(v['create-prs']);
    if (createPrs && strategyOpt === 'consolidated')
      throw usageError('--create-prs goes with --strategy individual', 'jitp merge --strategy individual --create-prs');
    const testOpt = str(v.test);
    if (flag(v['no-test']) && testOpt !== undefined) throw usageError('--test and --no-test exclude each other');
    // --test, else merge.test, else the command verify and finish run (test.command, else detected).
    const detected = testCommandFor(w.mainRoot, w.config.merge.test ?? w.config.test.command);
    const chosen = flag(v['no-test'])
      ? { command: null, source: '--no-test' }
      : testOpt !== undefined
        ? { command: testOpt || null, source: '--test' }
        : { command: detected?.command ?? null, source: detected?.source ?? 'none found' };
    const test = chosen.command;
    const resumeTest = flag(v['no-test']) || testOpt !== undefined ? test : undefined;
    ctx.progress(
      test
        ? `tests between merges: ${test} (from ${chosen.source}); ` + '--no-test skips them'
        : chosen.source === '--no-test'
          ? 'tests between merges: skipped (--no-test)'
          : 'tests between merges: none (no test command found: set test.command in .jit-parallel.yaml, ' +
            'or pass --test "<cmd>")',
    );
    const q: QueueEnv = { mainRoot: w.mainRoot, commonDir: w.commonDir, env: w.env, progress: ctx.progress };
    if (!flag(v['no-done'])) {
      const doneEnv = { root: w.mainRoot, env: w.env, source: w.source, store: w.store };
      const github = { repo: w.config.github.repo };
      q.onMerged = (i) => markMergedDone({ ...doneEnv, github }, i);
    }
    if (flag(v.continue) || flag(v.skip)) {
      const r = flag(v.continue) ? await continueQueue(q, resumeTest) : await skipQueue(q, resumeTest);
      const b = requireBatch(w.mainRoot);
      return {
        json: {
          strategy: 'consolidated',
          integration: b.integration,
          preview: null,
          order: [],
          steps: r.steps,
          stopped: r.stopped,
          done: r.done,
          pullRequests: [],
        },
        text: renderReport(r),
        exitCode: r.stopped ? EXIT.FAILURE : EXIT.OK,
      };
    }
    const batch = requireBatch(w.mainRoot);
    // --create-prs implies individual.
    const strategy = (strategyOpt ?? (createPrs ? 'individual' : batch.strategy)) as 'consolidated' | 'individual';
    const tip =
      (await git(w.mainRoot, commitOf(`refs/heads/${batch.integration}`))) ??
      (await git(w.mainRoot, commitOf('HEAD')))!;
    const candidates = [];
    for (const i of batch.issues)
      if (
        i.branch &&
        i.merge.state !== 'merged' &&
        i.merge.state !== 'skipped' &&
        (await branchExists(w.mainRoot, i.branch))
      )
        candidates.push(i);
    const labels = new Map<string, string>();
    for (const i of candidates) {
      let l = i.short;
      for (let n = 2; [...labels.values()].includes(l); n++) l = `${i.short}~${n}`;
      labels.set(i.id, l);
    }
    const nodes = candidates.map((i) => ({ label: labels.get(i.id)!, rev: `refs/heads/${i.branch}` }));
    const total = nodes.length + (nodes.length * (nodes.length - 1)) / 2;
    let lastPct = -1;
    const results = await preview(w.mainRoot, tip, nodes, {
      onDone: (d, t) => {
        const pct = Math.floor((d / t) * 10);
        if (pct !== lastPct) ctx.progress(`preview: ${d}/${t} merges computed`);
        lastPct = pct;
      },
    });
    const previewJson = { tip: batch.integration, nodes: nodes.map((n) => n.label), results };
    const matrix = nodes.length
      ? renderMatrix({
          tipLabel: `${batch.integration} (${tip.slice(0, 12)})`,
          nodes: nodes.map((n) => n.label),
          results,
        })
      : 'no unmerged branches in the batch';
    const order = mergeOrder(batch.issues).order.map((id) => batch.issues.find((i) => i.id === id)!.short);
    const conflicts = results.some((r) => !r.clean);
    if (flag(v['dry-run'])) {
      const text = [
        matrix,
        '',
        `${strategy} order: ${order.join(' -> ') || '(empty)'}`,
        `(${total} merges previewed; nothing was changed)`,
      ].join('\n');
      return {
        json: {
          strategy,
          integration: batch.integration,
          preview: previewJson,
          order,
          steps: [],
          stopped: null,
          done: false,
          pullRequests: [],
        },
        text,
        exitCode: conflicts ? EXIT.FAILURE : EXIT.OK,
      };
    }
    if (!ctx.json) ctx.progress(matrix);
    if (strategy === 'individual') {
      const ready = [];
      // Each branch gets its own PR: an unmerged dependency does not hold it back (the PRs are
      // listed in merge order instead, and the reviewer merges them in that order).
      const byOrder = mergeOrder(batch.issues).order;
      const sorted = [...candidates].sort((a, b) => byOrder.indexOf(a.id) - byOrder.indexOf(b.id));
      for (const i of sorted) {
        const r = readiness(i, await issueFacts(w.mainRoot, batch, i), batch);
        if (r.ready || r.reason === 'dependency-not-merged')
          ready.push({ id: i.id, short: i.short, branch: i.branch!, title: i.title });
      }
      const created = createPrs
        ? await createPullRequests(
            w.mainRoot,
            ready.map((i) => ({
              ...i,
              label: labels.get(i.id)!,
              waitsFor: batch.issues
                .filter((d) => batch.issues.find((x) => x.id === i.id)!.dependencies.includes(d.id))
                .filter((d) => d.merge.state !== 'merged')
                .map((d) => d.short),
            })),
            { integration: batch.integration, preview: results, env: ctx.env, repo: w.config.github.repo },
          )
        : null;
      const prs = prCommands(ready, batch.integration).map((p, k) =>
        created ? { ...p, url: created[k]!.url, ...(created[k]!.error ? { error: created[k]!.error } : {}) } : p,
      );
      await updateBatch(w.mainRoot, w.commonDir, (b) => {
        if (!b) return { batch: undefined, value: undefined };
        b.strategy = 'individual';
        for (const p of prs)
          Object.assign(b.issues.find((i) => i.id === p.issue)!.merge, {
            state: 'ready',
            reason: null,
            at: new Date().toISOString(),
          });
        return { batch: b, value: undefined };
      });
      const text = [
        matrix,
        '',
        prs.length
          ? 'each branch is ready for its own pull request (listed in merge order: dependencies first):'
          : 'no branch is ready (no commits, or uncommitted work in its worktree)',
        ...(created
          ? prs.map(
              (p) =>
                `  ${p.short.padEnd(10)} ${'url' in p && p.url ? p.url : `FAILED: ${'error' in p ? p.error : ''}`}`,
            )
          : prs.flatMap((p) => [`  # ${p.short}`, ...p.commands.map((c) => `  ${c}`)])),
      ].join('\n');
      return {
        json: {
          strategy,
          integration: batch.integration,
          preview: previewJson,
          order,
          steps: [],
          stopped: null,
          done: true,
          pullRequests: prs,
        },
        text,
        exitCode: created?.some((c) => c.error) ? EXIT.FAILURE : EXIT.OK,
      };
    }
    const r = await startQueue(q, test);
    return {
      json: {
        strategy,
        integration: batch.integration,
        preview: previewJson,
        order,
        steps: r.steps,
        stopped: r.stopped,
        done: r.done,
        pullRequests: [],
      },
      text: renderReport(r),
      exitCode: r.stopped ? EXIT.FAILURE : EXIT.OK,
    };
  },
};
