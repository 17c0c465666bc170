// The worktree skill with the real client: `claude -p "/jit-worktree 3f2a 9c1d" --plugin-dir <repo>`
// in the example repository. The scripted model follows skills/jit-worktree/SKILL.md step by step
// through the Bash tool, reading jitp's real outputs: plan, worktree add, one prompt per worktree,
// two sub-agents in ONE message each writing in its own worktree, reports saved, verify, one
// `jitp worktree commit` per issue, the merge queue, `jitp finish`, `jitp cleanup`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test as testAlways } from 'vitest';
import { expectOk, runClaude } from '../support/claude.js';
import {
  agent,
  bash,
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
import { EDITS, ISSUES, reportFor } from '../../scripts/demo-fixture.mjs';

/** Skips, saying how to enable it, without the pinned client (`npm run setup:client`). */
const test = testAlways.skipIf(NO_CLIENT);

let base: string;
let root: string;
let server: ModelServer;
useDemoSession('jitp-wt-e2e-', (s) => ({ base, root, server } = s));

const KEYS = ['slug', 'words'] as const;
const SHORT = { slug: '3f2a1b2c', words: '9c1d0e0f' };
/** Each issue's worktree, from the real `jitp worktree add --json` (filled in by the main script). */
const worktrees: Record<string, string> = {};

/** A sub-agent: reads its files in its worktree, writes its fix and test there, reports. */
function sub(key: (typeof KEYS)[number]): Actor {
  const files = Object.keys(EDITS[key] as Record<string, string>);
  return {
    name: `sub-${key}`,
    match: firstUserIncludes(ISSUES[key].id),
    turns: [
      () => files.map((rel) => readFile(join(worktrees[key]!, rel))),
      () =>
        Object.entries(EDITS[key] as Record<string, string>).map(([rel, content]) =>
          writeFile(join(worktrees[key]!, rel), content),
        ),
    ],
    finalText: reportFor(key),
  };
}

function mainScript(seen: Record<string, unknown>): Actor {
  const ids = KEYS.map((k) => SHORT[k]).join(' ');
  return endOnScriptError(
    {
      name: 'main',
      match: firstUserIncludes('# Parallel issues in worktrees: /jit-worktree'),
      turns: [
        // 1. pre-flight
        [bash('jitp plan 3f2a 9c1d --json', 'plan')],
        // 2. worktrees (this also claims)
        (ctx: TurnContext): OutBlock[] => {
          seen.plan = jsonOf(resultFor(ctx, 'jitp plan'));
          return [bash(`jitp worktree add ${ids} --json`, 'worktrees')];
        },
        // 3. one prompt per worktree
        (ctx: TurnContext): OutBlock[] => {
          const add = jsonOf(resultFor(ctx, 'jitp worktree add'));
          seen.add = add;
          for (const w of add.worktrees as { issue: string; worktree: string }[])
            worktrees[KEYS.find((k) => ISSUES[k].id === w.issue)!] = w.worktree;
          return KEYS.map((k) => bash(`jitp prompt ${SHORT[k]} --worktree ${worktrees[k]}`, `prompt ${k}`));
        },
        // ...and one message with one Agent call per issue, no isolation
        (ctx: TurnContext): OutBlock[] =>
          KEYS.map((k) => agent(resultFor(ctx, `jitp prompt ${SHORT[k]}`), { description: `jit ${SHORT[k]}` })),
        // save the reports in the main checkout
        (ctx: TurnContext): OutBlock[] =>
          ctx.toolResults
            .filter((t) => t.toolName === 'Agent')
            .map((r) => {
              const id = /"issue": "([0-9a-f-]+)"/.exec(r.text)![1]!;
              return writeFile(join(root, '.jit-parallel/reports', `${id.slice(0, 8)}.md`), r.text);
            }),
        // 4. verify, commit each branch, merge
        [bash(`jitp verify ${ids} --reports .jit-parallel/reports --no-test --json`, 'verify')],
        (ctx: TurnContext): OutBlock[] => {
          const v = jsonOf(resultFor(ctx, 'jitp verify', true));
          seen.verify = v;
          if (!v.ok) return [say(`verify needs a human: ${v.needsHuman.join('; ')}`)];
          return KEYS.map((k) => bash(`jitp worktree commit ${SHORT[k]} --json`, `commit ${k}`));
        },
        (ctx: TurnContext): OutBlock[] => {
          seen.commits = KEYS.map((k) => jsonOf(resultFor(ctx, `jitp worktree commit ${SHORT[k]}`)));
          return [bash('jitp merge --dry-run --json', 'preview')];
        },
        (ctx: TurnContext): OutBlock[] => {
          seen.preview = jsonOf(resultFor(ctx, 'jitp merge --dry-run'));
          return [bash('jitp merge --strategy consolidated --json', 'merge')];
        },
        // 5. done and clean up
        (ctx: TurnContext): OutBlock[] => {
          // The merge marks each merged issue done and releases its lease (the skill's step 5).
          seen.merge = jsonOf(resultFor(ctx, 'jitp merge --strategy'));
          return [bash('jitp cleanup --json', 'cleanup')];
        },
        (ctx: TurnContext): OutBlock[] => {
          seen.cleanup = jsonOf(resultFor(ctx, 'jitp cleanup', true));
          return [bash('jitp claim list --json', 'leases left')];
        },
      ],
      finalText: 'Both issues are merged, done and cleaned up.',
    },
    seen,
  );
}

const SKILL_E2E = '/jit-worktree 3f2a 9c1d: worktrees, two sub-agents, verify, worktree commit, merge, finish, cleanup';
test(
  SKILL_E2E,
  async () => {
    const seen: Record<string, unknown> = {};
    server.setScript([sub('slug'), sub('words'), mainScript(seen)]);
    const wtDir = join(base, 'textkit.worktrees');
    mkdirSync(wtDir);
    const run = await runClaude({
      cwd: root,
      prompt: '/jit-worktree 3f2a 9c1d',
      server,
      pluginDir: ROOT,
      // The worktrees live beside the project (worktree.dir, `../{repo}.worktrees`): a session
      // without a person to ask must be allowed that folder up front, as a user would be asked.
      args: ['--allowedTools', 'Bash', '--add-dir', wtDir],
      env: { JITP_JIT_BIN: '' },
      timeoutMs: 180_000,
    });
    if (process.env.JITP_E2E_DEBUG)
      for (const a of ['sub-slug', 'sub-words']) console.log(a, JSON.stringify(server.toolResultsOf(a)).slice(0, 3000));
    expect(seen.error, String(seen.error)).toBeUndefined();
    const res = expectOk(run);
    expect(server.unmatched()).toEqual([]);

    // The skill's text reached the model, with the commands the script ran.
    const firstText = JSON.stringify((server.requestsOf('main')[0]!.body as { messages: unknown[] }).messages[0]);
    for (const s of [
      'jitp worktree add',
      'jitp worktree commit <id>',
      'jitp finish <id> --no-test --json',
      'jitp cleanup',
    ])
      expect(firstText).toContain(s);

    // Both sub-agents started from one message and wrote only in their own worktrees.
    expect((res.subagent_stats as { spawned: number }).spawned).toBe(2);
    const v = seen.verify as { ok: boolean; issues: { mode: string; changed: string[] }[] };
    expect(v.ok, JSON.stringify(v, null, 1)).toBe(true);
    expect(v.issues.map((i) => [i.mode, i.changed])).toEqual(KEYS.map((k) => ['worktree', ISSUES[k].files]));

    // Each branch got one commit with the convention's message, holding exactly its files.
    const git = (...a: string[]) => execFileSync('git', a, { cwd: root, encoding: 'utf8' }).trim();
    const commits = seen.commits as { committed: boolean; commit: string; files: string[]; message: string }[];
    expect(commits.map((c) => [c.committed, c.files])).toEqual(KEYS.map((k) => [true, ISSUES[k].files]));
    for (const [i, k] of KEYS.entries())
      expect(git('log', '-1', '--format=%B', commits[i]!.commit)).toMatch(
        new RegExp(`^jit: .*\\n\\n- .* \\(${SHORT[k]}\\)\\n\\njit: ${SHORT[k]}\\n`),
      );

    // Merged into main, finished (states done, committed), cleaned up, no lease left.
    for (const k of KEYS)
      for (const [rel, content] of Object.entries(EDITS[k] as Record<string, string>))
        expect(readFileSync(join(root, rel), 'utf8')).toBe(content);
    type Step = { outcome: string; short: string; done?: { state: string; commit?: string; releasedLeases: string[] } };
    const m = seen.merge as { done: boolean; steps: Step[] };
    expect(m.done).toBe(true);
    expect(m.steps.map((st) => [st.outcome, st.done?.state])).toEqual([
      ['merged', 'done'],
      ['merged', 'done'],
    ]);
    for (const st of m.steps) {
      // Each issue's tracker change is a commit of its own, and its lease is released.
      const files = git('show', '--name-only', '--format=', st.done!.commit!).split('\n');
      expect(files.some((f) => f.startsWith('.jit/issues/'))).toBe(true);
      expect(st.done!.releasedLeases.length).toBe(1);
    }
    const state = (id: string) => JSON.parse(readFileSync(join(root, '.jit/issues', `${id}.json`), 'utf8')).state;
    expect(KEYS.map((k) => state(ISSUES[k].id))).toEqual(['done', 'done']);
    expect((seen.cleanup as { refused: unknown[] }).refused).toEqual([]);
    for (const k of KEYS) expect(existsSync(worktrees[k]!)).toBe(false);
    expect(jsonOf(server.toolResultsOf('main').at(-1)!.text).leases).toEqual([]);
    expect(git('status', '--porcelain')).toBe('');
    expect(res.permission_denials).toEqual([]);
  },
  300_000,
);
