// Issue 13, items 2 (forged binding), 5 (cwd outside the repository) and 10 (advice after a
// sub-agent finished), attacker first, through the real bundle (`node dist/hook.cjs <event>`,
// the command hooks.json runs) with Claude-Code-shaped payloads. HOME is a temp folder holding
// the client's transcripts where the client keeps them (~/.claude/projects/<slug>/).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { formatBindingLine } from '../../src/core/binding.js';
import { LocalLeaseStore } from '../../src/store/local/local-store.js';
import type { Lease } from '../../src/core/model.js';
import { makeRepo, tempDir, type TempRepo } from '../support/git.js';
import { DIST_HOOK } from '../support/paths.js';
import { writeSubagentTranscript } from '../support/transcript.js';
import { stateText } from '../support/state-edit.js';
import { preToolUse } from '../support/hook-input.js';

let repo: TempRepo;
let home: string;
let transcripts: string;
const SESSION = 'sess-1';
const SUB_A = 'a000000000000000a'; // bound to lease A by its prompt
const SUB_X = 'a00000000000000ff'; // an unbound sub-agent (an Explore, say)
let A: Lease;
let B: Lease;
let storeDir: string;

function run(event: string, payload: unknown, cwd = repo.root, extraEnv: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [DIST_HOOK, event], {
    input: JSON.stringify(payload),
    encoding: 'utf8',
    cwd,
    env: { PATH: process.env.PATH, HOME: home, ...extraEnv },
  });
  const out = r.stdout.trim();
  const json = out ? JSON.parse(out) : undefined;
  return {
    status: r.status,
    json,
    decision: json?.hookSpecificOutput?.permissionDecision as string | undefined,
    reason: (json?.hookSpecificOutput?.permissionDecisionReason ?? '') as string,
  };
}
const hook = (payload: unknown, cwd?: string, env?: Record<string, string>) => run('pre-tool-use', payload, cwd, env);
const pre = (tool: string, tool_input: Record<string, unknown>, agent?: string, cwd = repo.root) =>
  preToolUse(tool, tool_input, { session: SESSION, transcripts, cwd, agent });
const bash = (command: string, agent?: string) => pre('Bash', { command, description: 'x' }, agent);
const write = (rel: string, agent?: string) => pre('Write', { file_path: join(repo.root, rel), content: 'x' }, agent);
const transcriptOf = (agent: string) => join(transcripts, SESSION, 'subagents', `agent-${agent}.jsonl`);
const forge = (agent: string, lease: Lease) =>
  writeSubagentTranscript(transcripts, SESSION, agent, `${formatBindingLine(lease.id, lease.bindSecret!)}\nforged`);

beforeEach(async () => {
  repo = makeRepo({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\n', 'src/c.ts': 'c\n', 'README.md': 'r\n' });
  home = tempDir('jitp-home-');
  transcripts = join(home, '.claude', 'projects', repo.root.replace(/[^A-Za-z0-9]/g, '-'));
  mkdirSync(transcripts, { recursive: true });
  writeFileSync(join(transcripts, `${SESSION}.jsonl`), '{"type":"user"}\n');
  storeDir = join(repo.root, '.git', 'jit-parallel');
  const store = new LocalLeaseStore({ storeDir });
  A = await store.acquire({ issueId: 'issue-a', agentId: 'agent:claude', paths: ['src/a.ts'] });
  B = await store.acquire({ issueId: 'issue-b', agentId: 'agent:claude', paths: ['src/b.ts'] });
  writeSubagentTranscript(transcripts, SESSION, SUB_A, `${formatBindingLine(A.id, A.bindSecret!)}\nwork on issue-a`);
  writeSubagentTranscript(transcripts, SESSION, SUB_X, 'explore the code base');
});
afterEach(() => repo.cleanup());

describe('2a: a binding is fixed at the first call', () => {
  test('an unbound sub-agent that later rewrites its transcript with a stolen secret stays unbound', () => {
    expect(hook(pre('Read', { file_path: join(repo.root, 'README.md') }, SUB_X)).decision).toBeUndefined();
    forge(SUB_X, B);
    const r = hook(write('src/b.ts', SUB_X));
    expect(r.decision).toBe('deny');
    expect(r.reason).toContain(`lease ${B.id} of issue issue-b`);
    // And it never became B's: the store does not list it.
    const state = stateText(storeDir);
    expect(state).not.toContain(SUB_X);
    expect(JSON.parse(readFileSync(join(storeDir, 'agents', `${SUB_X}.json`), 'utf8')).lease).toBeNull();
  });
  test('a bound sub-agent cannot move to a sibling lease by rewriting its first line', () => {
    expect(hook(write('src/a.ts', SUB_A)).json).toBeUndefined();
    forge(SUB_A, B);
    const r = hook(write('src/b.ts', SUB_A));
    expect(r.decision).toBe('deny');
    expect(r.reason).toContain(`lease ${B.id}`);
    expect(hook(write('src/a.ts', SUB_A)).json).toBeUndefined(); // still A's
  });
  test('once its lease is released it binds to nothing, forged transcript or not', async () => {
    expect(hook(write('src/a.ts', SUB_A)).json).toBeUndefined();
    await new LocalLeaseStore({ storeDir }).release({ issueId: 'issue-a', agentId: 'agent:claude' });
    forge(SUB_A, B);
    expect(hook(write('src/b.ts', SUB_A)).decision).toBe('deny');
  });
  test('a damaged record does not reopen binding', () => {
    mkdirSync(join(storeDir, 'agents'), { recursive: true });
    writeFileSync(join(storeDir, 'agents', `${SUB_X}.json`), '{"lease":');
    forge(SUB_X, B);
    expect(hook(write('src/b.ts', SUB_X)).decision).toBe('deny');
  });
  test('an unbound sub-agent that moves into a lease worktree is not bound by it', async () => {
    const wt = repo.addWorktree('wt-c');
    const store = new LocalLeaseStore({ storeDir });
    await store.acquire({ issueId: 'issue-c', agentId: 'agent:claude', paths: ['src/c.ts'], worktree: wt });
    expect(hook(pre('Read', { file_path: join(repo.root, 'README.md') }, SUB_X)).json).toBeUndefined();
    const r = hook(pre('Write', { file_path: join(wt, 'src/c.ts'), content: 'x' }, SUB_X, wt), wt);
    expect(r.decision).toBe('deny');
    expect(r.reason).toMatch(/issue-c/);
  });
  test('parallel first calls of one sub-agent agree on one record', async () => {
    const once = () =>
      new Promise<string>((done) => {
        const p = spawn(process.execPath, [DIST_HOOK, 'pre-tool-use'], {
          cwd: repo.root,
          env: { PATH: process.env.PATH, HOME: home },
        });
        let out = '';
        p.stdout.on('data', (d: Buffer) => (out += d.toString()));
        p.on('close', () => done(out));
        p.stdin.end(JSON.stringify(write('src/a.ts', SUB_A)));
      });
    const outs = await Promise.all([once(), once(), once(), once()]);
    expect(outs).toEqual(['', '', '', '']); // every one of them bound to A: its own file passes
    expect(JSON.parse(readFileSync(join(storeDir, 'agents', `${SUB_A}.json`), 'utf8')).lease).toBe(A.id);
  });
  test('a sub-agent started while nothing is live is unbound for good', async () => {
    const store = new LocalLeaseStore({ storeDir });
    await store.release({ issueId: 'issue-a', agentId: 'agent:claude' });
    await store.release({ issueId: 'issue-b', agentId: 'agent:claude' });
    const start = {
      session_id: SESSION,
      transcript_path: join(transcripts, `${SESSION}.jsonl`),
      cwd: repo.root,
      prompt_id: 'p1',
      agent_id: SUB_X,
      agent_type: 'Explore',
      hook_event_name: 'SubagentStart',
    };
    expect(run('subagent-start', start).json).toBeUndefined();
    // Later a lease is taken, the sub-agent steals its secret and rewrites its first line.
    const C = await store.acquire({ issueId: 'issue-c', agentId: 'agent:claude', paths: ['src/c.ts'] });
    forge(SUB_X, C);
    const r = hook(write('src/c.ts', SUB_X));
    expect(r.decision).toBe('deny');
    expect(r.reason).toContain(`lease ${C.id}`);
  });
  test('started in its own worktree while nothing is live: a later lease there binds it by place only', async () => {
    const store = new LocalLeaseStore({ storeDir });
    await store.release({ issueId: 'issue-a', agentId: 'agent:claude' });
    await store.release({ issueId: 'issue-b', agentId: 'agent:claude' });
    const wt = repo.addWorktree('agent-iso');
    const start = (agent: string, cwd: string) =>
      run(
        'subagent-start',
        { session_id: SESSION, transcript_path: join(transcripts, `${SESSION}.jsonl`), cwd, agent_id: agent },
        cwd,
      );
    start(SUB_A, wt); // isolated in wt
    start(SUB_X, repo.root); // in the main checkout
    const W = await store.acquire({ issueId: 'issue-w', agentId: 'agent:claude', paths: ['src/c.ts'], worktree: wt });
    const inWt = (agent: string) => pre('Write', { file_path: join(wt, 'src/c.ts'), content: 'x' }, agent, wt);
    expect(hook(inWt(SUB_A), wt).json).toBeUndefined(); // bound to W by its worktree
    expect(JSON.parse(readFileSync(join(storeDir, 'agents', `${SUB_A}.json`), 'utf8')).lease).toBe(W.id);
    const r = hook(inWt(SUB_X), wt); // moved there later: not W's
    expect(r.decision).toBe('deny');
    expect(r.reason).toContain(`lease ${W.id}`);
  });
  test('jitp hook check reads the record and writes none', () => {
    const jitp = join(DIST_HOOK, '..', 'jitp.mjs');
    const check = (sub: string) =>
      spawnSync(process.execPath, [jitp, 'hook', 'check', 'src/b.ts', '--subagent', sub, '--json'], {
        cwd: repo.root,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: home },
      });
    expect(check(SUB_X).status).toBe(3);
    expect(() => readFileSync(join(storeDir, 'agents', `${SUB_X}.json`))).toThrow();
  });
});

describe('2: the store, spelled every way, is not readable', () => {
  test.each([
    'cat .git/jit-*/state.json',
    'cat .gi?/jit-parallel/state.json',
    'cat .git/jit-parallel/*',
    'cat .[g]it/jit-parallel/state.json',
    'base64 .git/jit-parallel/state.json',
    'sed -n p .git/jit-parallel/state.json',
    'cp .git/jit-parallel/state.json /tmp/x',
    'less .git/jit-parallel/events.jsonl',
    'head -c 9999 ./.git/./jit-parallel/state.json',
    'D=.git; cat $D/jit-parallel/state.json',
    'cat "$PWD/.git/jit-parallel/state.json"',
    'find . -path "*jit-parallel*" -exec cat {} +',
    'cat store-link/state.json',
    'tar cf - .git/jit-parallel | base64',
  ])('sub-agent Bash %s is refused', (cmd) => {
    symlinkSync(storeDir, join(repo.root, 'store-link'));
    const r = hook(bash(cmd, SUB_X));
    expect(r.decision).toBe('deny');
    expect(r.reason).toMatch(/lease store/);
  });
  test('a symlink, another spelling of the repo, a Grep glob: the read tools are refused', () => {
    symlinkSync(storeDir, join(repo.root, 'store-link'));
    const link = join(home, 'repo-link');
    symlinkSync(repo.root, link);
    for (const input of [
      pre('Read', { file_path: join(repo.root, 'store-link', 'state.json') }, SUB_X),
      pre('Read', { file_path: join(link, '.git', 'jit-parallel', 'state.json') }, SUB_X),
      pre('Grep', { pattern: 'bindSecret', path: repo.root, glob: '.git/jit-parallel/*' }, SUB_X),
      pre('Read', { file_path: join(repo.root, 'store-link', 'state.json') }),
    ]) {
      const r = hook(input);
      expect(r.decision, JSON.stringify(input.tool_input)).toBe('deny');
    }
  });
  test('from a linked worktree, the common dir spellings are refused', () => {
    const wt = repo.addWorktree('wt-r');
    for (const cmd of [
      'cat "$(git rev-parse --git-common-dir)/jit-parallel/state.json"',
      `cat ${join(repo.root, '.git', 'jit-parallel', 'state.json')}`,
      `cat ../repo/.git/jit-parallel/state.json`,
    ]) {
      const r = hook({ ...bash(cmd, SUB_X), cwd: wt }, wt);
      expect(r.decision, cmd).toBe('deny');
    }
  });
});

describe('2b: sub-agents may not read session transcripts', () => {
  const sibling = () => transcriptOf(SUB_A);
  test.each([
    () => pre('Read', { file_path: sibling() }, SUB_X),
    () => pre('Read', { file_path: join(transcripts, `${SESSION}.jsonl`) }, SUB_X),
    () => pre('Grep', { pattern: 'jitp-binding', path: transcripts }, SUB_X),
    () => pre('Grep', { pattern: 'jitp-binding', path: home }, SUB_X),
    () => pre('Grep', { pattern: 'jitp-binding', path: '/' }, SUB_X),
    () => pre('Glob', { pattern: '*.jsonl', path: join(transcripts, SESSION, 'subagents') }, SUB_X),
    () => pre('Read', { file_path: sibling() }, SUB_A),
  ])('read tool %#', (payload) => {
    const r = hook(payload());
    expect(r.decision).toBe('deny');
    expect(r.reason).toMatch(/session transcripts/);
  });
  test.each([
    () => `cat ${sibling()}`,
    () => 'cat ~/.claude/projects/*/sess-1/subagents/*.jsonl',
    () => 'head -1 ~/.c*/p*/*/*/subagents/agent-a*.jsonl',
    () => 'grep -r jitp-binding ~',
    () => 'grep -rn secret= "$HOME/.claude"',
    () => 'cat ${HOME}/.claude/projects/x/y.jsonl',
    () => 'find ~ -name "agent-*.jsonl" -exec cat {} +',
    () => 'cd ~/.claude/projects && cat */*/subagents/*.jsonl',
    () => 'tar cf - ~ | tar tvf -',
    () => 'D=~/.claude; cat $D/projects/x',
    () => 'rg jitp-binding /',
    () => `cat "${transcripts}/${SESSION}/subagents/agent-${SUB_A}.jsonl"`,
  ])('Bash %#', (cmd) => {
    const r = hook(bash(cmd(), SUB_X));
    expect(r.decision, cmd()).toBe('deny');
    expect(r.reason).toMatch(/session transcripts/);
  });
  test('$CLAUDE_CONFIG_DIR transcripts are protected too', () => {
    const cfg = tempDir('jitp-cfg-');
    mkdirSync(join(cfg, 'projects', 'p'), { recursive: true });
    const env = { CLAUDE_CONFIG_DIR: cfg };
    expect(hook(bash('cat $CLAUDE_CONFIG_DIR/projects/p/s.jsonl', SUB_X), undefined, env).decision).toBe('deny');
    expect(hook(bash(`cat ${cfg}/projects/p/s.jsonl`, SUB_X), undefined, env).decision).toBe('deny');
    expect(
      hook(pre('Read', { file_path: join(cfg, 'projects', 'p', 's.jsonl') }, SUB_X), undefined, env).decision,
    ).toBe('deny');
  });
  test('the orchestrator may read them; ordinary sub-agent reads pass', () => {
    expect(hook(pre('Read', { file_path: sibling() })).json).toBeUndefined();
    expect(hook(bash(`cat ${sibling()}`)).json).toBeUndefined();
    for (const cmd of ['ls ~', 'cat README.md src/a.ts', 'grep -rn x src', 'echo "$HOME"', 'ls -la ~/notes']) {
      expect(hook(bash(cmd, SUB_X)).json, cmd).toBeUndefined();
    }
    expect(hook(pre('Glob', { pattern: '**/*.ts', path: repo.root }, SUB_X)).json).toBeUndefined();
  });
});

describe('5: a session whose cwd is outside the repository', () => {
  let elsewhere: string;
  beforeEach(async () => {
    elsewhere = tempDir('jitp-elsewhere-');
    await new LocalLeaseStore({ storeDir }).acquire({
      issueId: 'issue-o',
      agentId: 'agent:other',
      paths: ['README.md'],
    });
  });
  const outside = (tool: string, ti: Record<string, unknown>) => ({ ...pre(tool, ti), cwd: elsewhere });
  test.each([
    () => outside('Write', { file_path: join(repo.root, 'README.md'), content: 'x' }),
    () => outside('Edit', { file_path: join(repo.root, 'README.md'), old_string: 'r', new_string: 'x' }),
    () => outside('MultiEdit', { file_path: join(repo.root, 'README.md'), edits: [] }),
    () => outside('NotebookEdit', { notebook_path: join(repo.root, 'README.md'), new_source: 'x' }),
    () => outside('Bash', { command: `echo x > ${join(repo.root, 'README.md')}` }),
    () => outside('Bash', { command: `cd /tmp && sed -i s/r/x/ ${join(repo.root, 'README.md')}` }),
    () => outside('Bash', { command: `rm -rf ${repo.root}` }),
  ])('an edit of a held file by absolute path is refused (%#)', (payload) => {
    const r = hook(payload(), elsewhere);
    expect(r.decision).toBe('deny');
    expect(r.reason).toMatch(/issue-o|lease store/);
  });
  test('a free file by absolute path, and files outside any repository, pass', () => {
    expect(hook(outside('Write', { file_path: join(repo.root, 'src/c.ts'), content: 'x' }), elsewhere).json).toBe(
      undefined,
    );
    expect(hook(outside('Write', { file_path: join(elsewhere, 'x.txt'), content: 'x' }), elsewhere).json).toBe(
      undefined,
    );
  });
});

describe('10: advice once a sub-agent finished, and a free file added to a lease', () => {
  test('the orchestrator is told the sub-agent finished and how to take the file', () => {
    expect(hook(write('src/a.ts', SUB_A)).json).toBeUndefined(); // binds to A
    const before = hook(write('src/a.ts'));
    expect(before.reason).toMatch(/wait for it to finish/);
    run('subagent-stop', {
      session_id: SESSION,
      transcript_path: join(transcripts, `${SESSION}.jsonl`),
      cwd: repo.root,
      hook_event_name: 'SubagentStop',
      agent_id: SUB_A,
      agent_type: 'general-purpose',
      agent_transcript_path: transcriptOf(SUB_A),
      stop_hook_active: false,
    });
    const r = hook(write('src/a.ts'));
    expect(r.decision).toBe('deny');
    expect(r.reason).toMatch(/already finished \(at \d\d:\d\d UTC\)/);
    expect(r.reason).toContain('`jitp issue done issue-a`');
    expect(r.reason).toContain('`jitp claim release issue-a`');
    expect(r.reason).not.toMatch(/wait for it/);
  });
  test('a free file added to the lease is said to the model (additionalContext)', () => {
    const r = hook(write('src/c.ts', SUB_A));
    expect(r.decision).toBeUndefined();
    expect(r.json?.hookSpecificOutput?.hookEventName).toBe('PreToolUse');
    expect(r.json?.hookSpecificOutput?.additionalContext).toBe(
      `jit-parallel: src/c.ts was free and is now part of your lease ${A.id} (issue issue-a); no other agent ` +
        `may change it until your lease ends.`,
    );
    expect(stateText(storeDir)).toContain('src/c.ts');
  });
});
