// Issue 13, item 2, the gap bind-once left: a sub-agent whose calls all came while nothing was
// live (so no binding was recorded) learns a later lease's secret and binds to it. A first binding
// is refused for a lease acquired after the sub-agent started (hooks/runtime/first-binding.ts).
// Attacker first, through the real bundle (`node dist/hook.cjs <event>`, the command hooks.json
// runs), with Claude-Code-shaped payloads; HOME holds the client's transcripts.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { formatBindingLine } from '../../src/core/binding.js';
import type { Lease } from '../../src/core/model.js';
import { LocalLeaseStore } from '../../src/store/local/local-store.js';
import { makeRepo, tempDir, type TempRepo } from '../support/git.js';
import { DIST_HOOK, ROOT } from '../support/paths.js';
import { writeSubagentTranscript } from '../support/transcript.js';
import { stateText } from '../support/state-edit.js';
import { preToolUse } from '../support/hook-input.js';

let repo: TempRepo;
let home: string;
let transcripts: string;
let storeDir: string;
let store: LocalLeaseStore;
const SESSION = 'sess-1';
const SUB = 'a0000000000000b01';

function run(event: string, payload: unknown, cwd = repo.root, hookFile = DIST_HOOK) {
  const r = spawnSync(process.execPath, [hookFile, event], {
    input: JSON.stringify(payload),
    encoding: 'utf8',
    cwd,
    env: { PATH: process.env.PATH, HOME: home },
  });
  const out = r.stdout.trim();
  const json = out ? JSON.parse(out) : undefined;
  return {
    status: r.status,
    stdout: out,
    json,
    decision: json?.hookSpecificOutput?.permissionDecision as string | undefined,
    reason: (json?.hookSpecificOutput?.permissionDecisionReason ?? '') as string,
  };
}
const pre = (tool: string, tool_input: Record<string, unknown>, agent: string | undefined, cwd = repo.root) =>
  preToolUse(tool, tool_input, { session: SESSION, transcripts, cwd, agent });
const write = (file: string, agent: string | undefined, cwd = repo.root) =>
  run('pre-tool-use', pre('Write', { file_path: file, content: 'x' }, agent, cwd), cwd);
const bash = (command: string, agent: string) => run('pre-tool-use', pre('Bash', { command }, agent));
const start = (agent: string, cwd = repo.root, hookFile = DIST_HOOK) =>
  run(
    'subagent-start',
    {
      session_id: SESSION,
      transcript_path: join(transcripts, `${SESSION}.jsonl`),
      cwd,
      prompt_id: 'p1',
      agent_id: agent,
      agent_type: 'general-purpose',
      hook_event_name: 'SubagentStart',
    },
    cwd,
    hookFile,
  );
/** The client creates the sub-agent's transcript, holding its initial prompt, once it started. */
const transcript = (agent: string, prompt: string) => writeSubagentTranscript(transcripts, SESSION, agent, prompt);
const transcriptFile = (agent: string) => join(transcripts, SESSION, 'subagents', `agent-${agent}.jsonl`);
/** Rewrites its first line in place (same file: its birth time stays), as an attacker would with `>`. */
const forge = (agent: string, lease: Lease) => {
  const file = transcriptFile(agent);
  const born = statSync(file).birthtimeMs;
  transcript(agent, `${formatBindingLine(lease.id, lease.bindSecret!)}\nforged`);
  expect(statSync(file).birthtimeMs).toBe(born);
};
const startRecord = (agent: string) => join(storeDir, 'agents', `${agent}.start.json`);
const bindRecord = (agent: string) => JSON.parse(readFileSync(join(storeDir, 'agents', `${agent}.json`), 'utf8'));
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const file = (rel: string) => join(repo.root, rel);

beforeEach(() => {
  repo = makeRepo({ 'src/a.ts': 'a\n', 'src/c.ts': 'c\n', 'README.md': 'r\n' });
  home = tempDir('jitp-home-');
  transcripts = join(home, '.claude', 'projects', repo.root.replace(/[^A-Za-z0-9]/g, '-'));
  mkdirSync(transcripts, { recursive: true });
  writeFileSync(join(transcripts, `${SESSION}.jsonl`), '{"type":"user"}\n');
  storeDir = join(repo.root, '.git', 'jit-parallel');
  store = new LocalLeaseStore({ storeDir });
});
afterEach(() => repo.cleanup());

describe('the gap: started while a lease was live, every call while none was, a later secret', () => {
  test('a lease acquired after the sub-agent started does not bind it, with the reason and the fix', async () => {
    await store.acquire({ issueId: 'issue-a', agentId: 'agent:claude', paths: ['src/a.ts'] });
    start(SUB); // something is live: no binding is recorded at the start
    transcript(SUB, 'explore the code base');
    await store.release({ issueId: 'issue-a', agentId: 'agent:claude' });
    expect(write(file('README.md'), SUB).json).toBeUndefined(); // nothing live: fast path, no record
    expect(existsSync(join(storeDir, 'agents', `${SUB}.json`))).toBe(false);
    await pause(60);
    const C = await store.acquire({ issueId: 'issue-c', agentId: 'agent:claude', paths: ['src/c.ts'] });
    forge(SUB, C); // it stole C's secret (through a path the hook could not see) and rewrote line 1
    const r = write(file('src/c.ts'), SUB);
    expect(r.decision).toBe('deny');
    expect(r.reason).toContain(`lease ${C.id} of issue issue-c`); // the file's refusal
    // ...and why it is unbound: what, why, what to do.
    expect(r.reason).toContain(`sub-agent ${SUB} was not bound to lease ${C.id} (issue issue-c)`);
    expect(r.reason).toMatch(/acquired at \S+Z, after this sub-agent started \(\S+Z, from start record\)/);
    expect(r.reason).toContain('`jitp prompt issue-c`');
    expect(r.reason).toMatch(/dispatches a NEW sub-agent/);
    // Nothing reached the store, and the refusal is its binding for good.
    expect(stateText(storeDir)).not.toContain(SUB);
    expect(bindRecord(SUB).lease).toBeNull();
    expect(write(file('src/c.ts'), SUB).decision).toBe('deny');
  });

  test('a lease acquired before the sub-agent started binds it (acquire, then dispatch)', async () => {
    const A = await store.acquire({ issueId: 'issue-a', agentId: 'agent:claude', paths: ['src/a.ts'] });
    await pause(30); // model latency is seconds; past the slack so the start is clearly later
    start(SUB);
    transcript(SUB, `${formatBindingLine(A.id, A.bindSecret!)}\nwork on issue-a`);
    expect(write(file('src/a.ts'), SUB).json).toBeUndefined();
    expect(bindRecord(SUB).lease).toBe(A.id);
    expect(stateText(storeDir)).toContain(SUB);
  });

  test('no store folder before: SubagentStart makes it and the record; a later lease cannot bind', async () => {
    expect(existsSync(storeDir)).toBe(false);
    start(SUB);
    transcript(SUB, 'explore');
    expect(JSON.parse(readFileSync(startRecord(SUB), 'utf8')).at).toMatch(/Z$/);
    expect(existsSync(join(storeDir, 'state.json'))).toBe(false);
    await pause(60);
    const C = await store.acquire({ issueId: 'issue-c', agentId: 'agent:claude', paths: ['src/c.ts'] });
    forge(SUB, C);
    expect(write(file('src/c.ts'), SUB).decision).toBe('deny');
    expect(stateText(storeDir)).not.toContain(SUB);
  });
});

describe('the start record cannot be moved by the sub-agent', () => {
  beforeEach(async () => {
    await store.acquire({ issueId: 'issue-a', agentId: 'agent:claude', paths: ['src/a.ts'] });
    start(SUB);
    transcript(SUB, 'explore');
  });

  test('its tools are refused the record: Write, Edit, Bash writes and removals, reads', () => {
    const rec = startRecord(SUB);
    for (const r of [
      write(rec, SUB),
      run('pre-tool-use', pre('Edit', { file_path: rec, old_string: '20', new_string: '29' }, SUB)),
      run('pre-tool-use', pre('Read', { file_path: rec }, SUB)),
      bash(`echo '{"at":"2099-01-01T00:00:00Z"}' > .git/jit-parallel/agents/${SUB}.start.json`, SUB),
      bash(`rm .git/jit-parallel/agents/${SUB}.start.json`, SUB),
      bash(`rm -rf .git/jit-parallel/agents`, SUB),
      bash(`sed -i s/20/29/ .git/jit-parallel/agents/*.start.json`, SUB),
    ])
      expect(r.decision, r.stdout).toBe('deny');
  });

  test('rewritten in place with a later time (a path the hook cannot see): its birth time says when', async () => {
    await store.release({ issueId: 'issue-a', agentId: 'agent:claude' });
    await pause(60);
    const C = await store.acquire({ issueId: 'issue-c', agentId: 'agent:claude', paths: ['src/c.ts'] });
    writeFileSync(startRecord(SUB), `${JSON.stringify({ at: new Date(Date.now() + 3_600_000).toISOString() })}\n`);
    forge(SUB, C);
    expect(write(file('src/c.ts'), SUB).decision).toBe('deny');
    expect(bindRecord(SUB).lease).toBeNull();
  });

  test('deleted and made anew later: the transcript’s birth time still says when', async () => {
    await store.release({ issueId: 'issue-a', agentId: 'agent:claude' });
    await pause(60);
    const C = await store.acquire({ issueId: 'issue-c', agentId: 'agent:claude', paths: ['src/c.ts'] });
    unlinkSync(startRecord(SUB));
    await pause(30);
    writeFileSync(startRecord(SUB), `${JSON.stringify({ at: new Date().toISOString() })}\n`);
    forge(SUB, C);
    const r = write(file('src/c.ts'), SUB);
    expect(r.decision).toBe('deny');
    expect(r.reason).toMatch(/from its transcript/);
  });

  test('a second SubagentStart of the same id (resumed) keeps the first record', async () => {
    const first = readFileSync(startRecord(SUB), 'utf8');
    await pause(30);
    start(SUB);
    expect(readFileSync(startRecord(SUB), 'utf8')).toBe(first);
  });
});

describe('no start record (no SubagentStart ran): the transcript’s birth time', () => {
  test('a transcript older than the lease: refused, saying where the start came from', async () => {
    transcript(SUB, 'explore');
    await pause(60);
    const C = await store.acquire({ issueId: 'issue-c', agentId: 'agent:claude', paths: ['src/c.ts'] });
    forge(SUB, C);
    const r = write(file('src/c.ts'), SUB);
    expect(r.decision).toBe('deny');
    expect(r.reason).toMatch(/after this sub-agent started \(\S+, from its transcript\)/);
  });
  test('a transcript made after the lease: bound', async () => {
    const C = await store.acquire({ issueId: 'issue-c', agentId: 'agent:claude', paths: ['src/c.ts'] });
    await pause(30);
    transcript(SUB, `${formatBindingLine(C.id, C.bindSecret!)}\nwork`);
    expect(write(file('src/c.ts'), SUB).json).toBeUndefined();
    expect(bindRecord(SUB).lease).toBe(C.id);
  });
});

describe('clock slack: file times run a tick behind the clock that stamps acquiredAt', () => {
  // The start taken from the record's `at` alone: the record and transcript are made after the
  // lease, so their file times are later and the earliest is the `at` written here.
  const startAt = async (msBeforeAcquire: number) => {
    const C = await store.acquire({ issueId: 'issue-c', agentId: 'agent:claude', paths: ['src/c.ts'] });
    await pause(30);
    mkdirSync(join(storeDir, 'agents'), { recursive: true });
    const at = new Date(Date.parse(C.acquiredAt) - msBeforeAcquire).toISOString();
    writeFileSync(startRecord(SUB), `${JSON.stringify({ at })}\n`);
    transcript(SUB, `${formatBindingLine(C.id, C.bindSecret!)}\nwork`);
    return write(file('src/c.ts'), SUB);
  };
  test('acquired 10 ms after the start: within the slack, bound', async () => {
    expect((await startAt(10)).json).toBeUndefined();
    expect(bindRecord(SUB).lease).not.toBeNull();
  });
  test('acquired 30 ms after the start: refused', async () => {
    expect((await startAt(30)).decision).toBe('deny');
    expect(bindRecord(SUB).lease).toBeNull();
  });
});

describe('worktrees', () => {
  test('started in its own worktree (isolation): a lease taken on it later binds it by place', async () => {
    await store.acquire({ issueId: 'issue-a', agentId: 'agent:claude', paths: ['src/a.ts'] });
    const wt = repo.addWorktree('agent-iso');
    start(SUB, wt);
    transcript(SUB, 'work in your worktree');
    await pause(60);
    const W = await store.acquire({ issueId: 'issue-w', agentId: 'agent:claude', paths: ['src/c.ts'], worktree: wt });
    expect(write(join(wt, 'src/c.ts'), SUB, wt).json).toBeUndefined();
    expect(bindRecord(SUB).lease).toBe(W.id);
  });
  test('started in the main checkout, it moves into a later lease’s worktree: refused', async () => {
    await store.acquire({ issueId: 'issue-a', agentId: 'agent:claude', paths: ['src/a.ts'] });
    start(SUB);
    transcript(SUB, 'explore');
    await pause(60);
    const wt = repo.addWorktree('wt-late');
    const W = await store.acquire({ issueId: 'issue-w', agentId: 'agent:claude', paths: ['src/c.ts'], worktree: wt });
    const r = write(join(wt, 'src/c.ts'), SUB, wt);
    expect(r.decision).toBe('deny');
    expect(r.reason).toContain(`was not bound to lease ${W.id}`);
    expect(bindRecord(SUB).lease).toBeNull();
  });
});

test('no parallel work: after a SubagentStart the front door still answers alone (hook-pre never loads)', () => {
  // A copy of dist/ without the live edit path: had the start record made the store look live,
  // the front door would try to load it and print the failure policy's message.
  const dist = join(tempDir('jitp-dist-'), 'dist');
  cpSync(join(ROOT, 'dist'), dist, { recursive: true });
  const hook = join(dist, 'hook.cjs');
  expect(start(SUB, repo.root, hook).stdout).toBe('');
  expect(readdirSync(join(storeDir, 'agents')).sort()).toEqual([`${SUB}.json`, `${SUB}.start.json`]);
  rmSync(join(dist, 'hook-pre.cjs'));
  const r = run('pre-tool-use', pre('Write', { file_path: file('src/a.ts'), content: 'x' }, SUB), repo.root, hook);
  expect(r.stdout).toBe('');
  expect(existsSync(join(storeDir, 'state.json'))).toBe(false);
  // The same copy does fail once a lease is live: the check above can tell.
  writeFileSync(join(storeDir, 'events.jsonl'), '{}\n');
  expect(
    run('pre-tool-use', pre('Write', { file_path: file('src/a.ts'), content: 'x' }, SUB), repo.root, hook).stdout,
  ).toMatch(/hook-pre\.cjs/);
});
