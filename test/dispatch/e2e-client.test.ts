// THE user path, with the real client: `claude -p "/jit-parallel 3f2a 9c1d" --plugin-dir <repo>`
// in a repository with a jit store. The scripted model follows the skill's steps through the
// Bash tool, reading jitp's REAL outputs from the tool_results (plan → claims → prompts), starts
// two sub-agents in ONE message with the rendered prompts, each edits its files and reports;
// then `jitp finish` (verify, done, one commit, leases released). Asserts the commit, the issue
// states and that no lease is left.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test as testAlways } from 'vitest';
import { parseBindingLine } from '../../src/core/binding.js';
import { expectOk, runClaude } from '../support/claude.js';
import {
  agent,
  bash,
  editFile,
  firstUserIncludes,
  readFile,
  say,
  writeFile,
  type Actor,
  type ModelServer,
  type OutBlock,
  type TurnContext,
} from '../support/model-server.js';
import { NO_CLIENT, ROOT } from '../support/paths.js';
import { endOnScriptError, jsonOf, resultFor, useDemoSession } from '../support/skill-script.js';
// @ts-expect-error plain ESM helper shared with the demo
import { committedFiles, EDITS, ISSUES, reportFor } from '../../scripts/demo-fixture.mjs';

// The real client is opt-in (npm run setup:client): without it these tests skip.
const test = testAlways.skipIf(NO_CLIENT);

let root: string;
let server: ModelServer;
useDemoSession('jitp-e2e-', (s) => ({ root, server } = s));

const SLUG = ISSUES.slug.id as string;
const WORDS = ISSUES.words.id as string;

/**
 * A sub-agent: reads, then writes its fix and its test (the client refuses a Write to an
 * existing file that was not read first), with absolute paths as the client uses them.
 * `trespass`: it also tries to edit a file another issue's lease holds.
 */
function sub(key: 'slug' | 'words', trespass?: { path: string; old: string; new: string }): Actor {
  const files = Object.keys(EDITS[key] as Record<string, string>);
  return {
    name: `sub-${key}`,
    match: firstUserIncludes(ISSUES[key].id),
    turns: [
      [...files, ...(trespass ? [trespass.path] : [])].map((rel) => readFile(join(root, rel))),
      [
        ...Object.entries(EDITS[key] as Record<string, string>).map(([rel, content]) =>
          writeFile(join(root, rel), content),
        ),
        ...(trespass ? [editFile(join(root, trespass.path), trespass.old, trespass.new)] : []),
      ],
    ],
    finalText: trespass
      ? reportFor(key).replace(
          '"needsOutsideScope": []',
          `"needsOutsideScope": [{ "path": "${trespass.path}", ` +
            '"why": "the edit was refused: another issue holds it" }]',
        )
      : reportFor(key),
  };
}

/** The orchestrator's side of the skill, step by step, reading jitp's real outputs. */
function mainScript(seen: Record<string, unknown>): Actor {
  const actor: Actor = {
    name: 'main',
    match: firstUserIncludes('# Parallel issues: /jit-parallel'),
    turns: [
      // 1. pre-flight, exactly as the skill says
      [say('Planning the batch.'), bash('jitp plan 3f2a 9c1d --json', 'plan the batch')],
      // 2. claims per issue of batch 1, with the predicted files read from the real plan
      (ctx: TurnContext): OutBlock[] => {
        const plan = jsonOf(resultFor(ctx, 'jitp plan'));
        seen.plan = plan;
        const batch: string[] = plan.batches[0];
        return batch.map((id) => {
          const files: string[] = plan.issues.find((i: { id: string }) => i.id === id).files;
          return bash(
            // As the skill says: no --agent, jitp acts as the session's one identity.
            `jitp claim acquire ${id.slice(0, 8)} --paths ${files.join(',')} --json`,
            `claim ${id.slice(0, 8)}`,
          );
        });
      },
      // 3. prompts
      (ctx: TurnContext): OutBlock[] => {
        seen.claims = ctx.toolResults.map((t) => jsonOf(t.text));
        return (seen.plan as { batches: string[][] }).batches[0]!.map((id) =>
          bash(`jitp prompt ${id.slice(0, 8)}`, `prompt ${id.slice(0, 8)}`),
        );
      },
      // 4. dispatch: ONE message, one Agent call per issue, prompt = jitp prompt's output verbatim
      (ctx: TurnContext): OutBlock[] => {
        const prompts = (seen.plan as { batches: string[][] }).batches[0]!.map((id) =>
          resultFor(ctx, `jitp prompt ${id.slice(0, 8)}`),
        );
        seen.prompts = prompts;
        return prompts.map((p, i) => agent(p, { description: `jit issue ${i + 1}` }));
      },
      // 5. save the reports (each Agent tool_result carries the sub-agent's final answer)
      (ctx: TurnContext): OutBlock[] => {
        const results = ctx.toolResults.filter((t) => t.toolName === 'Agent');
        seen.agentResults = results.map((r) => r.text);
        return results.map((r) => {
          const id = /"issue": "([0-9a-f-]+)"/.exec(r.text)![1]!;
          return writeFile(join(root, '.jit-parallel/reports', `${id.slice(0, 8)}.md`), r.text);
        });
      },
      // 6. post-flight: verify, done, one commit, leases released, in one command
      [bash(`jitp finish 3f2a1b2c 9c1d0e0f --reports .jit-parallel/reports --json`, 'finish')],
      // 7. what is left (only when finish went through; else a human is needed)
      (ctx: TurnContext): OutBlock[] => {
        const f = jsonOf(resultFor(ctx, 'jitp finish', true));
        seen.finish = f;
        seen.verify = f.verify;
        if (!f.ok) return [say(`finish needs a human: ${f.needsHuman.join('; ')}`)];
        return [bash('jitp claim list --json', 'leases left')];
      },
    ],
    finalText: 'Both issues are done and committed.',
  };
  return endOnScriptError(actor, seen);
}

test('/jit-parallel 3f2a 9c1d: plan, claim, prompt, two sub-agents in one message, verify, done, commit', async () => {
  const seen: Record<string, unknown> = {};
  const main = mainScript(seen);
  server.setScript([sub('slug'), sub('words'), main]);

  const run = await runClaude({
    cwd: root,
    prompt: '/jit-parallel 3f2a 9c1d',
    server,
    pluginDir: ROOT,
    args: ['--allowedTools', 'Bash'],
    env: { JITP_JIT_BIN: '' },
    timeoutMs: 120_000,
  });
  if (process.env.JITP_E2E_DEBUG) console.log(readFileSync(join(root, '.git/jit-parallel/events.jsonl'), 'utf8'));
  if (process.env.JITP_E2E_DEBUG)
    for (const a of ['sub-slug', 'sub-words']) console.log(a, JSON.stringify(server.toolResultsOf(a)).slice(0, 1500));
  expect(seen.error, String(seen.error)).toBeUndefined();
  const res = expectOk(run);
  expect(server.unmatched()).toEqual([]);

  // The slash command expanded to the skill's text with the ids.
  const first = server.requestsOf('main')[0]!.body as { messages: { content: unknown }[] };
  const firstText = JSON.stringify(first.messages[0]);
  expect(firstText).toContain('Issues to work: **3f2a 9c1d**');
  expect(firstText).toContain('jitp plan 3f2a 9c1d --json');
  expect(firstText).toContain('jitp finish <ids of the batch> --reports .jit-parallel/reports --json');

  // Plan: both in batch 1; the third issue was not asked for.
  expect((seen.plan as { batches: string[][] }).batches).toEqual([[SLUG, WORDS]]);
  // The claims got the predicted files.
  const claims = seen.claims as { lease?: { id: string; paths: string[] }; id?: string; paths?: string[] }[];
  const leaseOf = (c: (typeof claims)[number]) =>
    (c.lease ?? c) as { id: string; paths: string[]; bindSecret?: string };
  expect(claims.map((c) => leaseOf(c).paths)).toEqual([ISSUES.slug.files, ISSUES.words.files]);

  // Dispatch: both Agent calls in ONE model message, each prompt = jitp prompt's output, whose
  // first line binds it to its own lease.
  const dispatch = server
    .requestsOf('main')
    .find((r) => r.response?.some((b) => b.type === 'tool_use' && b.name === 'Agent'))!;
  const agentCalls = dispatch.response!.filter((b) => b.type === 'tool_use' && b.name === 'Agent') as {
    input: { prompt: string };
  }[];
  expect(agentCalls).toHaveLength(2);
  expect(agentCalls.map((a) => parseBindingLine(a.input.prompt)?.leaseId)).toEqual(claims.map((c) => leaseOf(c).id));
  expect(agentCalls.map((a) => a.input.prompt)).toEqual(seen.prompts);
  for (const key of ['slug', 'words'] as const)
    expect(server.requestsOf(`sub-${key}`).length).toBeGreaterThanOrEqual(2);
  expect((res.subagent_stats as { spawned: number }).spawned).toBe(2);

  // Verify (run by finish) was clean, including the test run.
  const v = seen.verify as { ok: boolean; tests: { ok: boolean; command: string }; issues: { report: string }[] };
  expect(v.ok).toBe(true);
  expect(v.tests).toMatchObject({ ok: true, command: 'npm test' });
  expect(v.issues.map((i) => i.report)).toEqual(['ok', 'ok']);

  // The commit: exactly the batch's files and the jit state change, with the convention.
  const git = (...a: string[]) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
  const f = seen.finish as { ok: boolean; commit: { sha: string }; issues: { status: string }[] };
  expect(f.ok).toBe(true);
  expect(f.issues.map((i) => i.status)).toEqual(['finished', 'finished']);
  expect(git('rev-parse', 'HEAD')).toBe(f.commit.sha);
  expect(git('rev-list', '--count', 'HEAD')).toBe('2');
  expect(git('show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual(committedFiles(['slug', 'words']));
  const msg = git('log', '-1', '--format=%B');
  expect(msg).toMatch(
    new RegExp(
      '^jit: slugify: strip accents.*\\(\\+1 more\\)\n\n' +
        '- slugify: strip accents instead of dropping accented letters \\(3f2a1b2c\\)\n' +
        '- wordCount: count words separated by tabs and newlines \\(9c1d0e0f\\)\n\n' +
        'jit: 3f2a1b2c 9c1d0e0f\n\nCo-Authored-By: Claude <noreply@anthropic.com>$',
    ),
  );
  expect(readFileSync(join(root, 'src/slugify.js'), 'utf8')).toBe(EDITS.slug['src/slugify.js']);

  // Issue states and leases.
  const state = (id: string) => JSON.parse(readFileSync(join(root, '.jit/issues', `${id}.json`), 'utf8')).state;
  expect([state(SLUG), state(WORDS), state(ISSUES.later.id)]).toEqual(['done', 'done', 'ready']);
  const left = jsonOf(server.toolResultsOf('main').at(-1)!.text);
  expect(left.leases).toEqual([]);
  const store = JSON.parse(
    execFileSync(process.execPath, [join(ROOT, 'dist/jitp.mjs'), 'claim', 'list', '--json'], {
      cwd: root,
      encoding: 'utf8',
    }),
  );
  expect(store.leases).toEqual([]);
  // The hooks bound each sub-agent to its own lease by the prompt's first line, and
  // `jitp finish` released both leases.
  const events = readFileSync(join(root, '.git/jit-parallel/events.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const leaseIds = claims.map((c) => leaseOf(c).id).sort();
  expect(
    events
      .filter((e) => e.type === 'bind')
      .map((e) => e.leaseId)
      .sort(),
  ).toEqual(leaseIds);
  expect(
    events
      .filter((e) => e.type === 'release')
      .map((e) => [e.leaseId, e.reason])
      .sort(),
  ).toEqual(leaseIds.map((id) => [id, 'issue done']));
  // Nothing left uncommitted but the saved reports (ignored by the example's .gitignore).
  expect(git('status', '--porcelain')).toBe('');
  expect(res.permission_denials).toEqual([]);
}, 240_000);

test(
  '/jit-parallel: a sub-agent denied a file held by the other issue reports it; verify stops the ' + 'batch',
  async () => {
    const seen: Record<string, unknown> = {};
    const trespass = {
      path: 'src/slugify.js',
      old: 'export function slugify(s) {',
      new: 'export function slugify(s) { // words was here',
    };
    server.setScript([sub('slug'), sub('words', trespass), mainScript(seen)]);
    const run = await runClaude({
      cwd: root,
      prompt: '/jit-parallel 3f2a 9c1d',
      server,
      pluginDir: ROOT,
      args: ['--allowedTools', 'Bash'],
      env: { JITP_JIT_BIN: '' },
      timeoutMs: 120_000,
    });
    expect(seen.error, String(seen.error)).toBeUndefined();
    expectOk(run);

    // The hooks refused the trespassing Edit before it happened and told the sub-agent why.
    const refused = server.toolResultsOf('sub-words').find((t) => t.toolName === 'Edit')!;
    expect(refused.is_error).toBe(true);
    expect(refused.text).toContain(ISSUES.slug.id.slice(0, 8));
    expect(readFileSync(join(root, 'src/slugify.js'), 'utf8')).not.toContain('words was here');
    // Its own files were written.
    expect(readFileSync(join(root, 'src/wordcount.js'), 'utf8')).toBe(EDITS.words['src/wordcount.js']);

    // finish's verify surfaced the report's needsOutsideScope and exited 1 having changed nothing;
    // the model stopped there.
    const v = seen.verify as { ok: boolean; needsHuman: string[]; issues: { needsOutsideScope: { path: string }[] }[] };
    expect(v.ok).toBe(false);
    expect(v.needsHuman).toEqual(['9c1d0e0f: needs changes outside its scope: src/slugify.js']);
    expect(v.issues[1]!.needsOutsideScope.map((n) => n.path)).toEqual(['src/slugify.js']);
    expect((seen.finish as { ok: boolean; needsHuman: string[] }).needsHuman).toEqual(v.needsHuman);
    expect(server.toolResultsOf('main').some((t) => String(t.input?.command ?? '').includes('claim list'))).toBe(false);
    // Nothing committed, nothing marked done, leases still held for the human to decide.
    expect(execFileSync('git', ['rev-list', '--count', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()).toBe('1');
    expect(JSON.parse(readFileSync(join(root, '.jit/issues', `${ISSUES.words.id}.json`), 'utf8')).state).toBe('ready');
    const store = JSON.parse(
      execFileSync(process.execPath, [join(ROOT, 'dist/jitp.mjs'), 'claim', 'list', '--json'], {
        cwd: root,
        encoding: 'utf8',
      }),
    );
    expect(store.leases).toHaveLength(2);
  },
  240_000,
);
