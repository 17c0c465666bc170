// Issue 13 bypasses 3, 7 and 8 through the real bundle (`node dist/hook.cjs pre-tool-use`, the
// command hooks.json runs), with Claude-Code-shaped payloads.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { formatBindingLine } from '../../src/core/binding.js';
import { LocalLeaseStore } from '../../src/store/local/local-store.js';
import type { Lease } from '../../src/core/model.js';
import { makeRepo, tempDir, type TempRepo } from '../support/git.js';
import { DIST_HOOK } from '../support/paths.js';
import { writeSubagentTranscript } from '../support/transcript.js';
import { preToolUse } from '../support/hook-input.js';

let repo: TempRepo;
let transcripts: string;
const SESSION = 'sess-1';
let A: Lease;
let B: Lease;

function hook(payload: unknown) {
  const r = spawnSync(process.execPath, [DIST_HOOK, 'pre-tool-use'], {
    input: JSON.stringify(payload),
    encoding: 'utf8',
    cwd: repo.root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  const out = r.stdout.trim();
  const json = out ? JSON.parse(out) : undefined;
  return { status: r.status, json, reason: (json?.hookSpecificOutput?.permissionDecisionReason ?? '') as string };
}
const pre = (tool: string, tool_input: Record<string, unknown>, agent?: string) =>
  preToolUse(tool, tool_input, { session: SESSION, transcripts, cwd: repo.root, agent });
const bash = (command: string, agent?: string) => pre('Bash', { command, description: 'x' }, agent);

const subTranscript = (agentId: string, prompt: string) =>
  writeSubagentTranscript(transcripts, SESSION, agentId, prompt);

beforeEach(async () => {
  repo = makeRepo({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\n' });
  transcripts = tempDir('jitp-transcripts-');
  const store = new LocalLeaseStore({ storeDir: join(repo.root, '.git', 'jit-parallel') });
  A = await store.acquire({ issueId: 'issue-a', agentId: 'agent:claude', paths: ['src/a.ts'] });
  B = await store.acquire({ issueId: 'issue-b', agentId: 'agent:claude', paths: ['src/b.ts'] });
  subTranscript('a000000000000000a', `${formatBindingLine(A.id, A.bindSecret!)}\nwork on issue-a`);
});
afterEach(() => repo.cleanup());

describe('3: a sub-agent may not act on another lease through jitp', () => {
  test.each([
    'jitp claim release issue-b',
    'jitp --json claim evict ' + 'LEASE_B' + ' --reason x',
    'jitp claim release issue-a --agent agent:other',
    'cd src && npx jitp -C .. claim release issue-b',
    'node dist/jitp.mjs claim extend issue-b --paths src/b.ts',
    'echo "$(jitp claim renew issue-b)"',
  ])('bound sub-agent: %s is refused', (cmd) => {
    const r = hook(bash(cmd.replace('LEASE_B', B.id), 'a000000000000000a'));
    expect(r.status).toBe(0);
    expect(r.json?.hookSpecificOutput?.permissionDecision).toBe('deny');
    expect(r.reason).toMatch(/may not run/);
    expect(r.reason).toContain(`your lease ${A.id} (issue issue-a)`);
  });
  test('bound sub-agent: its own lease and read-only commands pass', () => {
    expect(hook(bash('jitp claim renew issue-a --json', 'a000000000000000a')).json).toBeUndefined();
    expect(
      hook(bash('jitp claim list && jitp claim status --issue issue-b', 'a000000000000000a')).json,
    ).toBeUndefined();
  });
  test('unbound sub-agent: refused any lease change, reads pass', () => {
    const r = hook(bash('jitp claim release issue-a', 'b000000000000000b'));
    expect(r.reason).toMatch(/not bound/);
    expect(hook(bash('jitp claim list', 'b000000000000000b')).json?.hookSpecificOutput).toBeUndefined();
  });
  test('the orchestrator itself is not restricted', () => {
    expect(hook(bash('jitp claim release issue-b')).json).toBeUndefined();
  });
});

describe('8: a binding line below line 1', () => {
  test('is refused, saying exactly what to fix', () => {
    const prompt = `Please do this carefully.\n${formatBindingLine(A.id, A.bindSecret!)}\nrest`;
    const r = hook(pre('Agent', { description: 'd', prompt, subagent_type: 'general-purpose' }));
    expect(r.json?.hookSpecificOutput?.permissionDecision).toBe('deny');
    expect(r.reason).toMatch(/binding line on line 2, but only line 1 binds/);
    expect(r.reason).toMatch(/nothing before the/);
  });
  test('on line 1 it passes; a prompt with no binding line passes', () => {
    const ok = `${formatBindingLine(A.id, A.bindSecret!)}\nwork`;
    expect(hook(pre('Agent', { description: 'd', prompt: ok, subagent_type: 'x' })).json).toBeUndefined();
    expect(hook(pre('Agent', { description: 'd', prompt: 'explore', subagent_type: 'Explore' })).json).toBeUndefined();
  });
});

describe('7: ids in suggested commands are quoted', () => {
  test('a legacy id with a substitution is quoted in the refusal; running the suggestion runs nothing', async () => {
    const store = new LocalLeaseStore({ storeDir: join(repo.root, '.git', 'jit-parallel') });
    // The store itself does not check ids (older stores, other tools): the message must cope.
    await store.acquire({ issueId: 'x$(touch pwned)', agentId: 'agent:other', paths: ['README.md'] });
    writeFileSync(join(repo.root, 'README.md'), 'r\n');
    const r = hook(pre('Write', { file_path: join(repo.root, 'README.md'), content: 'x' }));
    expect(r.reason).toContain("jitp claim release 'x$(touch pwned)'");
    const suggested = /`(jitp claim release [^`]*)`/.exec(r.reason)![1]!;
    const sh = spawnSync('sh', ['-c', `jitp() { :; }; ${suggested}`], { cwd: repo.root });
    expect(sh.status).toBe(0);
    expect(existsSync(join(repo.root, 'pwned'))).toBe(false);
  });
});

describe("2: the store files are not readable through agents' tools", () => {
  const store = () => join(repo.root, '.git', 'jit-parallel');
  test.each([
    ['Read', () => ({ file_path: join(store(), 'state.json') })],
    ['Read', () => ({ file_path: join(repo.root, '.git', 'jit-parallel', '..', 'jit-parallel', 'events.jsonl') })],
    ['NotebookRead', () => ({ notebook_path: join(store(), 'state.json') })],
    ['Grep', () => ({ pattern: 'bindSecret', path: store() })],
    ['Grep', () => ({ pattern: 'bindSecret', path: join(repo.root, '.git') })],
    ['Glob', () => ({ pattern: '**/*.json', path: join(repo.root, '.git') })],
  ])('%s of the store is refused (main agent and sub-agents)', (tool, input) => {
    for (const agent of [undefined, 'a000000000000000a', 'b000000000000000b']) {
      const r = hook(pre(tool, input(), agent));
      expect(r.json?.hookSpecificOutput?.permissionDecision).toBe('deny');
      expect(r.reason).toMatch(/is the lease store/);
    }
  });
  test.each([
    'cat .git/jit-parallel/state.json',
    'cd .git && cat jit-parallel/state.json',
    'grep -r bindSecret .git',
    'cat "$(git rev-parse --git-common-dir)/jit-parallel/state.json"',
    'tar cf - .git | cat',
  ])('sub-agent Bash %s is refused', (cmd) => {
    const r = hook(bash(cmd, 'b000000000000000b'));
    expect(r.json?.hookSpecificOutput?.permissionDecision).toBe('deny');
  });
  test('ordinary reads pass', () => {
    expect(hook(pre('Read', { file_path: join(repo.root, 'src/a.ts') }, 'a000000000000000a')).json).toBeUndefined();
    expect(hook(pre('Grep', { pattern: 'x' }, 'a000000000000000a')).json).toBeUndefined();
    expect(hook(bash('cat src/a.ts .gitignore; git status', 'a000000000000000a')).json).toBeUndefined();
  });
  test('with no live lease a Read answers at once with nothing', () => {
    const r2 = makeRepo({ 'a.txt': 'a\n' });
    const r = spawnSync(process.execPath, [DIST_HOOK, 'pre-tool-use'], {
      input: JSON.stringify({ ...pre('Read', { file_path: join(r2.root, 'a.txt') }), cwd: r2.root }),
      encoding: 'utf8',
      cwd: r2.root,
    });
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
    r2.cleanup();
  });
});
