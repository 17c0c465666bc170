// The skill's continuous-dispatch loop with the real `claude` binary (issue 15):
// `claude -p "/jit-parallel loop-a loop-b loop-c loop-d"` in a repository set up by `jitp init`,
// four tasks, max parallel 2, loop-d depending on loop-c, and loop-a and loop-b both needing
// src/shared.ts (only loop-a predicts it). The scripted orchestrator follows SKILL.md's
// "Continuous dispatch" steps, deciding each turn from jitp's REAL answers in the conversation:
// `jitp init`, `jitp next $ARGUMENTS` → claim → prompt → background Agent call, back to
// `jitp next` until it says null; when a sub-agent's notification arrives, save its report,
// `jitp finish <its id>`, back to `jitp next`. loop-b is refused src/shared.ts, waits with the
// `jitp claim wait` its refusal offers, and gets the file when loop-a's sub-agent stops.
// No --allowedTools: `jitp` runs by the skill's allowed-tools in the first turn and by the rule
// `jitp init` wrote in the turns the notifications start (docs/claude-client-facts.md, h).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test as testAlways } from 'vitest';
import { budget } from '../support/budget.js';
import { claudeEnv } from '../support/claude-env.js';
import { expectOk, runClaude } from '../support/claude.js';
import { makeRepo, type TempRepo } from '../support/git.js';
import {
  bash,
  blocksOf,
  editFile,
  firstUserIncludes,
  readFile,
  say,
  startModelServer,
  toolUse,
  writeFile,
  type Actor,
  type MessagesBody,
  type ModelServer,
  type OutBlock,
  type TextBlock,
  type ToolResultBlock,
  type ToolUseBlock,
  type TurnContext,
  toolResultText,
} from '../support/model-server.js';
import { DIST_JITP, NO_CLIENT, ROOT } from '../support/paths.js';
import { endOnScriptError, jsonOf, toolOutput } from '../support/skill-script.js';
import { readSnapshotSync } from '../../src/store/local/snapshot-read.js';

const test = testAlways.skipIf(NO_CLIENT);
// 17-30 s measured on a loaded 2-core machine (load 3-4); the client's own limit is scaled again by
// runClaude when it starts. Both follow the machine's speed now (test/support/budget.ts).
const CLIENT_MS = 240_000;
const TEST_MS = NO_CLIENT ? 5_000 : budget(CLIENT_MS + 120_000);

const IDS = ['loop-a', 'loop-b', 'loop-c', 'loop-d'] as const;
type Id = (typeof IDS)[number];
const ARGS = IDS.join(' ');
const SHARED_START = 'export const shared: string[] = [];\n';
const SHARED_BY_A = "export const shared: string[] = ['hello'];\n";
const SHARED_BY_BOTH = "export const shared: string[] = ['hello', 'bye'];\n";
const CONTENT: Record<Id, string> = {
  'loop-a': "export const a = 'hello';\n",
  'loop-b': "export const b = 'bye';\n",
  'loop-c': 'export let count = 0;\n',
  'loop-d': "import { count } from './c';\nexport const d = count * 2;\n",
};

let repo: TempRepo;
let server: ModelServer;
let home: string;
beforeEach(async () => {
  repo = makeRepo({
    'src/a.ts': "export const a = 'a';\n",
    'src/b.ts': "export const b = 'b';\n",
    'src/c.ts': "export const c = 'c';\n",
    'src/d.ts': "export const d = 'd';\n",
    'src/shared.ts': SHARED_START,
  });
  // The set-up the skill asks for: `jitp init` (its permission rule, config, merge line), then
  // the user's tasks and settings, committed.
  execFileSync(process.execPath, [DIST_JITP, 'init'], { cwd: repo.root, env: { ...process.env, HOME: repo.root } });
  unlinkSync(join(repo.root, '.jit-parallel/tasks/example.md'));
  const task = (id: Id, title: string, files: string[], body: string, deps = '') =>
    repo.write(
      `.jit-parallel/tasks/${id}.md`,
      `---\nid: ${id}\ntitle: ${title}\nstate: ready\n${deps}files:\n${files.map((f) => `  - ${f}\n`).join('')}---\n` +
        `# ${title}\n\n${body}\n`,
    );
  task('loop-a', 'Greet in a', ['src/a.ts', 'src/shared.ts'], 'LOOPTASK-A: greet in src/a.ts, register in the list.');
  // loop-b's text does not name the shared file: its sub-agent finds out it needs it.
  task('loop-b', 'Farewell in b', ['src/b.ts'], 'LOOPTASK-B: say bye in src/b.ts, register it too.');
  task('loop-c', 'Counter in c', ['src/c.ts'], 'LOOPTASK-C: a counter in src/c.ts.');
  task('loop-d', 'Double in d', ['src/d.ts'], 'LOOPTASK-D: double the counter in src/d.ts.', 'depends_on: [loop-c]\n');
  const cfg = join(repo.root, '.jit-parallel.yaml');
  writeFileSync(cfg, `${readFileSync(cfg, 'utf8')}\nplan:\n  maxParallel: 2\ntest:\n  command: node -e 0\n`);
  repo.commit('set up jit-parallel');
  // The folder trusted, as after the client's trust dialog (else project settings do not apply).
  home = claudeEnv().HOME!;
  writeFileSync(
    join(home, '.claude.json'),
    JSON.stringify({ projects: { [repo.root]: { hasTrustDialogAccepted: true } } }),
  );
  server = await startModelServer();
});
afterEach(async () => {
  await server.close();
  repo.cleanup();
  rmSync(home, { recursive: true, force: true });
});

const abs = (rel: string) => join(repo.root, rel);
const read = (rel: string) => readFileSync(abs(rel), 'utf8');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const storeLeases = (): Array<{ issueId: string; waiting?: unknown }> => {
  const f = abs('.git/jit-parallel/state.json');
  return existsSync(f) ? readSnapshotSync(abs('.git/jit-parallel')).leases : [];
};

function report(id: Id, files: string[]): string {
  const json = { issue: id, filesChanged: files, testsAdded: [], checks: [], needsOutsideScope: [], problems: [] };
  return `Done.\n\n\`\`\`json\n${JSON.stringify(json, null, 2)}\n\`\`\`\n`;
}

/** A sub-agent that reads and rewrites its own file. */
const plain = (id: 'loop-c' | 'loop-d'): Actor => ({
  name: id,
  match: firstUserIncludes(`LOOPTASK-${id.slice(-1).toUpperCase()}:`),
  turns: [[readFile(abs(`src/${id.slice(-1)}.ts`))], [writeFile(abs(`src/${id.slice(-1)}.ts`), CONTENT[id])]],
  finalText: report(id, [`src/${id.slice(-1)}.ts`]),
});

/** loop-a: changes its two files, then stops only once loop-b waits for src/shared.ts. */
const subA = (seen: Record<string, unknown>): Actor => ({
  name: 'loop-a',
  match: firstUserIncludes('LOOPTASK-A:'),
  turns: [
    [readFile(abs('src/a.ts')), readFile(abs('src/shared.ts'))],
    [writeFile(abs('src/a.ts'), CONTENT['loop-a']), writeFile(abs('src/shared.ts'), SHARED_BY_A)],
    async () => {
      const bWaits = () => storeLeases().some((l) => l.issueId === 'loop-b' && l.waiting);
      for (const until = Date.now() + budget(120_000); Date.now() < until && !bWaits();) await sleep(100);
      seen.aSawBWaiting = bWaits();
      // A text-only answer ends the sub-agent: this is its final answer, the report.
      return [say(report('loop-a', ['src/a.ts', 'src/shared.ts']))];
    },
  ],
});

/** loop-b: changes its file, is refused the shared one, waits as told, then changes it. */
const subB = (seen: Record<string, unknown>): Actor => ({
  name: 'loop-b',
  match: firstUserIncludes('LOOPTASK-B:'),
  turns: [
    [readFile(abs('src/b.ts')), readFile(abs('src/shared.ts'))],
    [writeFile(abs('src/b.ts'), CONTENT['loop-b'])],
    [editFile(abs('src/shared.ts'), 'export const shared', 'export const sharedByB')],
    (ctx) => {
      // The refusal, as the model read it, carries the command to run.
      const refusal = ctx.toolResults.find((r) => r.is_error)?.text ?? '';
      seen.refusal = refusal;
      const cmd = /`(jitp claim wait [^`]+)`/.exec(refusal)?.[1] ?? 'echo no-wait-command-offered; exit 9';
      seen.waitCommand = cmd;
      return [toolUse('Bash', { command: cmd, description: 'wait for src/shared.ts', timeout: 600000 })];
    },
    [readFile(abs('src/shared.ts'))],
    [editFile(abs('src/shared.ts'), "['hello']", "['hello', 'bye']")],
  ],
  finalText: report('loop-b', ['src/b.ts', 'src/shared.ts']),
});

// ---------------------------------------------------------------------------------------------
// The orchestrator: each turn decides from the whole conversation, as a model following the
// skill would, so the order the sub-agents finish in (and retried requests) cannot confuse it.

interface History {
  uses: ToolUseBlock[];
  results: Map<string, { text: string; isError: boolean }>;
  /**
   * Completion notifications: the Agent call's tool_use_id and the sub-agent's final text. They
   * come as a message of their own when the orchestrator is idle, else inside a tool result.
   */
  notes: Array<{ toolUseId: string; result: string }>;
  /** The last answer was text only (the orchestrator ended a turn to wait). */
  lastAssistantText: boolean;
}

function historyOf(body: MessagesBody): History {
  const uses: ToolUseBlock[] = [];
  const results = new Map<string, { text: string; isError: boolean }>();
  const notes: History['notes'] = [];
  let lastAssistantText = false;
  const scan = (text: string) => {
    for (const n of text.matchAll(
      /<task-notification>[\s\S]*?<tool-use-id>([^<]+)<\/tool-use-id>[\s\S]*?<result>([\s\S]*?)<\/result>/g,
    ))
      notes.push({ toolUseId: n[1]!, result: n[2]! });
  };
  for (const [i, m] of body.messages.entries()) {
    for (const b of blocksOf(m)) {
      if (b.type === 'tool_use') uses.push(b as ToolUseBlock);
      if (b.type === 'tool_result') {
        const r = b as ToolResultBlock;
        const text = toolResultText(r);
        results.set(r.tool_use_id, { text, isError: r.is_error === true });
        // A notification that arrives while the orchestrator is busy rides on the next tool result.
        scan(text);
      }
      if (i > 0 && m.role === 'user' && b.type === 'text') scan(String((b as TextBlock).text));
    }
    if (m.role === 'assistant') lastAssistantText = !blocksOf(m).some((b) => b.type === 'tool_use');
  }
  return { uses, results, notes, lastAssistantText };
}

const cmdOf = (u: ToolUseBlock) => (u.name === 'Bash' ? String(u.input.command) : '');
const idIn = (s: string) => /\b(loop-[a-d])\b/.exec(s)?.[1] as Id | undefined;

function step(ctx: TurnContext, seen: Record<string, unknown>): OutBlock[] {
  const h = historyOf(ctx.body);
  const out = (u: ToolUseBlock, exitOneIsAnswer = false) => {
    const r = h.results.get(u.id);
    if (!r) throw new Error(`no result for ${cmdOf(u) || u.name}`);
    if (r.isError && !(exitOneIsAnswer && /Exit code 1\b/.test(r.text)))
      throw new Error(`${cmdOf(u) || u.name} failed: ${r.text}`);
    return toolOutput(r.text);
  };
  const bashes = (re: RegExp) => h.uses.filter((u) => re.test(cmdOf(u)));
  // 0. Once, first: jitp init (the skill's step 0), with the plan to show the user.
  if (!bashes(/^jitp init/).length)
    return [bash('jitp init --json', 'permission for later turns'), bash(`jitp plan ${ARGS} --json`, 'plan')];
  const claimed = bashes(/^jitp claim acquire /).map((u) => idIn(cmdOf(u))!);
  const prompted = bashes(/^jitp prompt /);
  const agents = h.uses.filter((u) => u.name === 'Agent');
  const startedIds = agents.map((u) => idIn(String(u.input.description))!);
  const reportsWritten = h.uses
    .filter((u) => u.name === 'Write' && String(u.input.file_path).includes('.jit-parallel/reports/'))
    .map((u) => idIn(String(u.input.file_path))!);
  const finished = bashes(/^jitp finish /).map((u) => idIn(cmdOf(u))!);
  // 2. A claim not yet rendered, a prompt not yet started.
  for (const id of claimed) {
    const claim = bashes(new RegExp(`^jitp claim acquire ${id} `)).at(-1)!;
    out(claim);
    if (!prompted.some((u) => idIn(cmdOf(u)) === id)) return [bash(`jitp prompt ${id}`, `prompt ${id}`)];
    if (!startedIds.includes(id)) {
      const p = out(prompted.find((u) => idIn(cmdOf(u)) === id)!);
      if (!p.startsWith('<!-- jitp-binding:')) throw new Error(`the prompt of ${id} does not bind: ${p.slice(0, 200)}`);
      return [
        toolUse('Agent', {
          description: `jit ${id}: work it`,
          prompt: p,
          subagent_type: 'general-purpose',
          run_in_background: true,
        }),
      ];
    }
  }
  // 3. A sub-agent finished: save its report (step 4), then finish its issue (step 5).
  const done = h.notes.map((n) => ({ id: startedIds[agents.findIndex((a) => a.id === n.toolUseId)]!, ...n }));
  const unsaved = done.filter((d) => d.id && !reportsWritten.includes(d.id));
  if (unsaved.length)
    return unsaved.map((d) => writeFile(abs(`.jit-parallel/reports/${d.id}.md`), d.result.trim() + '\n'));
  const unfinished = reportsWritten.filter((id) => !finished.includes(id));
  if (unfinished.length)
    return [bash(`jitp finish ${unfinished[0]} --reports .jit-parallel/reports --json`, `finish ${unfinished[0]}`)];
  // Recomputed from the conversation each turn (a retried request must not count twice).
  seen.finishes = bashes(/^jitp finish /).map((f) => jsonOf(out(f, true)));
  for (const j of seen.finishes as Array<{ ok: boolean; needsHuman: string[] }>)
    if (!j.ok) return [say(`finish needs a human: ${j.needsHuman.join('; ')}`)];
  // 1. Ask jitp next, unless its last answer is what this turn acts on.
  const last = h.uses.at(-1)!;
  if (!/^jitp next /.test(cmdOf(last)) || h.lastAssistantText) {
    if (/^jitp claim list/.test(cmdOf(last))) return [say('All four issues are done and committed.')];
    return [bash(`jitp next ${ARGS} --json`, 'next issue')];
  }
  seen.nexts = bashes(/^jitp next /).map((u) => jsonOf(out(u)));
  const n = jsonOf(out(last));
  if (n.next)
    return [bash(`jitp claim acquire ${n.next.id} --paths ${n.next.files.join(',')} --json`, `claim ${n.next.id}`)];
  const running = agents.length - h.notes.length;
  if (running > 0) return [say(`${running} sub-agent(s) running; waiting for them.`)];
  return [bash('jitp claim list --json', 'leases left')];
}

test(
  '/jit-parallel, continuous dispatch: next → background sub-agents → finish each → next, until done',
  async () => {
    const seen: Record<string, unknown> = { nexts: [], finishes: [] };
    const main = endOnScriptError(
      {
        name: 'main',
        match: firstUserIncludes('# Parallel issues: /jit-parallel'),
        turns: Array.from({ length: 80 }, () => (ctx: TurnContext) => step(ctx, seen)),
        finalText: 'out of turns',
      },
      seen,
    );
    server.setScript([subA(seen), subB(seen), plain('loop-c'), plain('loop-d'), main]);
    const run = await runClaude({
      cwd: repo.root,
      prompt: `/jit-parallel ${ARGS}`,
      server,
      pluginDir: ROOT,
      env: { HOME: home, JITP_JIT_BIN: '' },
      timeoutMs: CLIENT_MS,
    });
    if (process.env.JITP_E2E_DEBUG)
      for (const r of server.requests.filter((q) => q.kind === 'messages'))
        console.log(r.actor, r.turn, JSON.stringify(r.response).slice(0, 300));
    expect(seen.error, String(seen.error)).toBeUndefined();
    const res = expectOk(run);
    expect(server.unmatched()).toEqual([]);
    expect(res.result).toBe('All four issues are done and committed.');

    // The skill asked for the loop, with the ids, and the orchestrator ran it from there.
    const first = JSON.stringify((server.requestsOf('main')[0]!.body as MessagesBody).messages[0]);
    expect(first).toContain(`jitp next ${ARGS} --json`);
    const mainUses = historyOf(server.requestsOf('main').at(-1)!.body as MessagesBody).uses;
    const cmds = mainUses.map((u) =>
      u.name === 'Bash' ? cmdOf(u) : `${u.name} ${idIn(JSON.stringify(u.input)) ?? ''}`,
    );

    // Every task done in the tracker; one commit per finish, each with the convention's trailers.
    for (const id of IDS) expect(read(`.jit-parallel/tasks/${id}.md`)).toMatch(/^state: done$/m);
    const log = repo.git('log', '--format=%H', 'HEAD~4..HEAD').split('\n');
    expect(repo.git('log', '-1', '--format=%s', 'HEAD~4')).toBe('set up jit-parallel');
    const commits = log.map((sha) => ({
      msg: repo.git('log', '-1', '--format=%B', sha),
      files: repo.git('show', '--name-only', '--format=', sha).split('\n').sort(),
    }));
    const byId = new Map<string, { msg: string; files: string[] }>();
    for (const c of commits) {
      expect(c.msg).toMatch(/\n\njit: loop-[a-d]\n\nCo-Authored-By: Claude <noreply@anthropic.com>$/);
      byId.set(/\njit: (loop-[a-d])\n/.exec(c.msg)![1]!, c);
    }
    expect([...byId.keys()].sort()).toEqual([...IDS]);
    // loop-a's commit leaves the file it handed to the still-running loop-b to loop-b's commit.
    expect(byId.get('loop-a')!.files).toEqual(['.jit-parallel/tasks/loop-a.md', 'src/a.ts']);
    expect(byId.get('loop-b')!.files).toEqual(['.jit-parallel/tasks/loop-b.md', 'src/b.ts', 'src/shared.ts']);
    expect(byId.get('loop-c')!.files).toEqual(['.jit-parallel/tasks/loop-c.md', 'src/c.ts']);
    expect(byId.get('loop-d')!.files).toEqual(['.jit-parallel/tasks/loop-d.md', 'src/d.ts']);
    // File contents: each issue's change, and both changes to the shared file, loop-a's first.
    for (const id of IDS) expect(read(`src/${id.slice(-1)}.ts`)).toBe(CONTENT[id]);
    expect(read('src/shared.ts')).toBe(SHARED_BY_BOTH);
    expect(repo.git('show', 'HEAD:src/shared.ts') + '\n').toBe(SHARED_BY_BOTH);
    expect(repo.git('status', '--porcelain')).toBe('?? .jit-parallel/reports/');

    // The hand-off: loop-b was refused once, ran the offered wait, got the file when loop-a stopped.
    expect(seen.aSawBWaiting).toBe(true);
    expect(seen.waitCommand).toBe('jitp claim wait src/shared.ts --issue loop-b --timeout 9m');
    const waited = server.toolResultsOf('loop-b').find((r) => r.toolName === 'Bash')!;
    expect(waited.is_error, waited.text).toBe(false);
    expect(waited.text).toMatch(/src\/shared\.ts is now in lease \S+ \(issue loop-b\).*handed off from/);
    // Nothing refused twice, and no jitp call asked for permission in any turn: across every
    // conversation the only failed tool call is loop-b's first edit of the shared file. (The result
    // JSON's permission_denials is not enough: it covers only the session's last turn, which a
    // notification started.)
    const failed = ['main', ...IDS].flatMap((a) =>
      server
        .toolResultsOf(a)
        .filter((r) => r.is_error)
        .map((r) => [a, r.toolName, r.input?.file_path ?? r.input?.command]),
    );
    expect(failed).toEqual([['loop-b', 'Edit', abs('src/shared.ts')]]);
    expect(String(seen.refusal)).toContain('loop-a');

    // The loop: every next asked with the ids; never more than 2 running; loop-d only after loop-c
    // was finished (done); each issue started once and finished once; it ended on next = null.
    expect(cmds.filter((c) => c.startsWith('jitp next')).every((c) => c === `jitp next ${ARGS} --json`)).toBe(true);
    const nexts = seen.nexts as Array<{ next: { id: string } | null; running: string[] }>;
    for (const n of nexts) expect(n.running.length).toBeLessThanOrEqual(2);
    expect(
      nexts
        .filter((n) => n.next)
        .map((n) => n.next!.id)
        .sort(),
    ).toEqual([...IDS]);
    expect(
      cmds
        .filter((c) => c.startsWith('Agent'))
        .map((c) => c.split(' ')[1])
        .sort(),
    ).toEqual([...IDS]);
    expect(
      cmds
        .filter((c) => c.startsWith('jitp finish'))
        .map((c) => idIn(c))
        .sort(),
    ).toEqual([...IDS]);
    expect(cmds.indexOf('Agent loop-d')).toBeGreaterThan(cmds.findIndex((c) => c.startsWith('jitp finish loop-c')));
    expect(nexts.at(-1)!.next).toBeNull();
    for (const f of seen.finishes as Array<{ ok: boolean; verify: { strayReports: unknown[] } }>) {
      expect(f.ok).toBe(true);
      expect(f.verify.strayReports).toEqual([]);
    }
    // No lease left.
    const left = JSON.parse(
      execFileSync(process.execPath, [DIST_JITP, 'claim', 'list', '--json'], { cwd: repo.root, encoding: 'utf8' }),
    );
    expect(left.leases).toEqual([]);
    console.log(`continuous dispatch: ${cmds.length} orchestrator tool calls, ${run.durationMs} ms`);
  },
  TEST_MS,
);
