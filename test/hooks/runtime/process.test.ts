// The bundled hook as the client runs it: real hook JSON on stdin of `node dist/hook.mjs <event>`,
// stdout and exit code checked. Build first (`npm run build`); dist-fresh.test.ts keeps it current.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { formatBindingLine } from '../../../src/core/binding.js';
import { LocalLeaseStore } from '../../../src/store/local/local-store.js';
import type { Lease, StoreSnapshot } from '../../../src/core/model.js';
import { makeRepo, tempDir, type TempRepo } from '../../support/git.js';
import { DIST_HOOK, DIST_JITP } from '../../support/paths.js';
import { writeSubagentTranscript } from '../../support/transcript.js';
import { readSnapshotSync } from '../../../src/store/local/snapshot-read.js';
import { editState } from '../../support/state-edit.js';
import { preToolUse } from '../../support/hook-input.js';

let repo: TempRepo;
let storeDir: string;
let transcripts: string;
const SESSION = 'sess-1';

function runHook(event: string, payload: unknown, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [DIST_HOOK, event], {
    input: typeof payload === 'string' ? payload : JSON.stringify(payload),
    encoding: 'utf8',
    cwd: repo.root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  const out = r.stdout.trim();
  return { status: r.status, stdout: out, json: out ? JSON.parse(out) : undefined, stderr: r.stderr };
}

const pre = (tool: string, tool_input: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  preToolUse(tool, tool_input, { session: SESSION, transcripts, cwd: repo.root, extra });
const write = (file: string, extra: Record<string, unknown> = {}) =>
  pre('Write', { file_path: file, content: 'x' }, extra);
const sub = (id: string) => ({ agent_id: id, agent_type: 'general-purpose' });

const subTranscript = (agentId: string, prompt: string) =>
  writeSubagentTranscript(transcripts, SESSION, agentId, prompt);

/** The same, without waiting: for races between hook processes. */
function runHookAsync(event: string, payload: unknown): Promise<{ status: number | null; stdout: string }> {
  return new Promise((resolvePromise, reject) => {
    const p = spawn(process.execPath, [DIST_HOOK, event], {
      cwd: repo.root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (status) => resolvePromise({ status, stdout: out.trim() }));
    p.stdin.end(JSON.stringify(payload));
  });
}

const snapshot = (): StoreSnapshot => readSnapshotSync(storeDir);
const leaseOf = (id: string): Lease => snapshot().leases.find((l) => l.id === id)!;
const isDeny = (r: ReturnType<typeof runHook>) => r.json?.hookSpecificOutput?.permissionDecision === 'deny';
const reason = (r: ReturnType<typeof runHook>): string => r.json?.hookSpecificOutput?.permissionDecisionReason ?? '';

let A: Lease;
let B: Lease;
async function seed() {
  const store = new LocalLeaseStore({ storeDir });
  A = await store.acquire({ issueId: 'issue-a', agentId: 'agent:orch', paths: ['src/a.ts'] });
  B = await store.acquire({ issueId: 'issue-b', agentId: 'agent:orch', paths: ['src/b.ts', 'lib/**'] });
}

beforeEach(() => {
  repo = makeRepo({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\n', 'lib/x.ts': 'x\n', 'README.md': 'r\n' });
  storeDir = join(repo.root, '.git', 'jit-parallel');
  transcripts = tempDir('jitp-transcripts-');
});
afterEach(() => repo.cleanup());

describe('no parallel work active', () => {
  test('no store at all: exit 0, no output', () => {
    const r = runHook('pre-tool-use', write(join(repo.root, 'src/a.ts')));
    expect(r).toMatchObject({ status: 0, stdout: '' });
  });
  test('only expired leases: exit 0, no output; SessionStart says nothing', async () => {
    const store = new LocalLeaseStore({ storeDir });
    await store.acquire({ issueId: 'old', agentId: 'agent:o', paths: ['src/a.ts'], ttlSecs: 1 });
    await new Promise((r) => setTimeout(r, 1100));
    expect(runHook('pre-tool-use', write(join(repo.root, 'src/a.ts')))).toMatchObject({ status: 0, stdout: '' });
    expect(
      runHook('session-start', {
        session_id: SESSION,
        cwd: repo.root,
        hook_event_name: 'SessionStart',
        source: 'startup',
      }),
    ).toMatchObject({ status: 0, stdout: '' });
  });
  test('not a git repository: exit 0, no output', () => {
    const dir = tempDir('jitp-norepo-');
    expect(runHook('pre-tool-use', { ...write(join(dir, 'x')), cwd: dir })).toMatchObject({ status: 0, stdout: '' });
  });
  test('unknown event argument: exit 0, no output', () => {
    expect(runHook('no-such-event', {})).toMatchObject({ status: 0, stdout: '' });
  });
});

describe('malformed input and unreadable store (failure policy)', () => {
  test.each([
    ['not JSON', 'this is not json'],
    ['truncated JSON', JSON.stringify({ tool_name: 'Write', tool_input: { file_path: '/x' } }).slice(0, 25)],
    ['empty stdin', ''],
    ['JSON of the wrong shape', '[1,2,3]'],
  ])('%s: fail open with a visible warning, exit 0', (_n, raw) => {
    const r = runHook('pre-tool-use', raw);
    expect(r.status).toBe(0);
    expect(r.json.systemMessage).toMatch(/not valid PreToolUse JSON.*failure: open/);
  });
  test('failure: closed in the config denies malformed input', () => {
    writeFileSync(join(repo.root, '.jit-parallel.yaml'), 'failure: closed\n');
    const r = runHook('pre-tool-use', '{"tool_name": "Wri');
    expect(r.status).toBe(0);
    expect(isDeny(r)).toBe(true);
    expect(reason(r)).toMatch(/failure: closed/);
  });
  test('corrupt state file: warn (open) or deny (closed), never exit 1', async () => {
    mkdirSync(storeDir, { recursive: true });
    writeFileSync(join(storeDir, 'state.json'), '{"leases": [ {"id": ');
    const open = runHook('pre-tool-use', write(join(repo.root, 'src/a.ts')));
    expect(open.status).toBe(0);
    expect(open.json.systemMessage).toMatch(/lease store cannot be read.*doctor/);
    writeFileSync(join(repo.root, '.jit-parallel.yaml'), 'failure: closed\n');
    const closed = runHook('pre-tool-use', write(join(repo.root, 'src/a.ts')));
    expect(closed.status).toBe(0);
    expect(isDeny(closed)).toBe(true);
  });
});

describe('leases live', () => {
  beforeEach(seed);

  test('main agent: held file denied with holder, issue, expiry; free file silent', () => {
    const r = runHook('pre-tool-use', write(join(repo.root, 'src/a.ts')));
    expect(r.status).toBe(0);
    expect(isDeny(r)).toBe(true);
    expect(reason(r)).toMatch(
      new RegExp(`held by lease ${A.id} of issue issue-a, held by agent:orch until \\d\\d:\\d\\d UTC, in (29|30) min`),
    );
    expect(runHook('pre-tool-use', write(join(repo.root, 'README.md')))).toMatchObject({ status: 0, stdout: '' });
  });

  test(
    "main agent: a lease under the skills' default identity agent:claude is its own when JIT_AGENT_ID is " + 'unset',
    async () => {
      await new LocalLeaseStore({ storeDir }).acquire({
        issueId: 'issue-own',
        agentId: 'agent:claude',
        paths: ['src/own.ts'],
      });
      expect(runHook('pre-tool-use', write(join(repo.root, 'src/own.ts')))).toMatchObject({ status: 0, stdout: '' });
      expect(
        isDeny(runHook('pre-tool-use', write(join(repo.root, 'src/own.ts')), { JIT_AGENT_ID: 'agent:other' })),
      ).toBe(true);
    },
  );

  test('main agent: its own lease (JIT_AGENT_ID, nobody bound) is editable', () => {
    expect(runHook('pre-tool-use', write(join(repo.root, 'src/a.ts')), { JIT_AGENT_ID: 'agent:orch' })).toMatchObject({
      stdout: '',
    });
  });

  test('sub-agent binds from the first line of its own prompt, then edits its files', () => {
    subTranscript('agentA', `${formatBindingLine(A.id, A.bindSecret!)}\nWork on issue-a.`);
    const own = runHook('pre-tool-use', write(join(repo.root, 'src/a.ts'), sub('agentA')));
    expect(own).toMatchObject({ status: 0, stdout: '' });
    expect(leaseOf(A.id).meta?.claudeAgentIds).toEqual(['agentA']);
    // Now the lease is the sub-agent's: the main agent may no longer edit it even as agent:orch.
    expect(isDeny(runHook('pre-tool-use', write(join(repo.root, 'src/a.ts')), { JIT_AGENT_ID: 'agent:orch' }))).toBe(
      true,
    );
    // Held by another lease: denied, told to report instead.
    const other = runHook('pre-tool-use', write(join(repo.root, 'lib/deep/y.ts'), sub('agentA')));
    expect(isDeny(other)).toBe(true);
    expect(reason(other)).toMatch(new RegExp(`${B.id} of issue issue-b.*report the change needed`));
    // Free file: extend policy adds it to the lease.
    const ext = runHook('pre-tool-use', write(join(repo.root, 'src/new.ts'), sub('agentA')));
    expect(JSON.parse(ext.stdout).hookSpecificOutput.additionalContext).toMatch(/src\/new\.ts was free .* your lease/);
    expect(leaseOf(A.id).paths).toContain('src/new.ts');
  });

  test('two bound sub-agents racing for the same free file: exactly one gets it, the other is refused', async () => {
    subTranscript('agentA', `${formatBindingLine(A.id, A.bindSecret!)}\n`);
    subTranscript('agentB', `${formatBindingLine(B.id, B.bindSecret!)}\n`);
    // Bind both first, so the race is only about the extension.
    runHook('pre-tool-use', write(join(repo.root, 'src/a.ts'), sub('agentA')));
    runHook('pre-tool-use', write(join(repo.root, 'src/b.ts'), sub('agentB')));
    for (let round = 0; round < 5; round++) {
      const file = join(repo.root, `src/contested-${round}.ts`);
      const [ra, rb] = await Promise.all([
        runHookAsync('pre-tool-use', write(file, sub('agentA'))),
        runHookAsync('pre-tool-use', write(file, sub('agentB'))),
      ]);
      const outcomes = [ra, rb].map((r) =>
        // An extension is allowed with a note to the model (additionalContext), no decision.
        r.stdout === '' ? 'allowed' : (JSON.parse(r.stdout).hookSpecificOutput?.permissionDecision ?? 'allowed'),
      );
      expect(outcomes.sort(), `round ${round}`).toEqual(['allowed', 'deny']);
      const holders = snapshot().leases.filter((l) => l.paths.includes(`src/contested-${round}.ts`));
      expect(holders).toHaveLength(1);
    }
  });

  test('strict and warn policies for a free file', () => {
    subTranscript('agentA', `${formatBindingLine(A.id, A.bindSecret!)}\n`);
    writeFileSync(join(repo.root, '.jit-parallel.yaml'), 'policy: strict\n');
    const r = runHook('pre-tool-use', write(join(repo.root, 'src/new.ts'), sub('agentA')));
    expect(reason(r)).toMatch(/not in your lease.*strict/);
    writeFileSync(join(repo.root, '.jit-parallel.yaml'), 'policy: warn\n');
    const w = runHook('pre-tool-use', write(join(repo.root, 'src/new.ts'), sub('agentA')));
    expect(w.json.systemMessage).toMatch(/policy is warn/);
    expect(w.json.hookSpecificOutput).toBeUndefined();
    writeFileSync(join(repo.root, '.jit-parallel.yaml'), 'policy: "off"\n');
    expect(runHook('pre-tool-use', write(join(repo.root, 'src/b.ts'), sub('agentA')))).toMatchObject({ stdout: '' });
  });

  test('a forged binding (wrong secret, or the line not first) does not bind', () => {
    subTranscript('agentF', `${formatBindingLine(A.id, '0'.repeat(32))}\n`);
    const r = runHook('pre-tool-use', write(join(repo.root, 'src/a.ts'), sub('agentF')));
    expect(isDeny(r)).toBe(true);
    expect(leaseOf(A.id).meta?.claudeAgentIds).toBeUndefined();
    subTranscript('agentG', `Fix the bug.\n${formatBindingLine(A.id, A.bindSecret!)}\n`);
    expect(isDeny(runHook('pre-tool-use', write(join(repo.root, 'src/a.ts'), sub('agentG'))))).toBe(true);
  });

  test('the lease store is refused to every agent; other git internals are not lease paths', () => {
    subTranscript('agentA', `${formatBindingLine(A.id, A.bindSecret!)}\n`);
    expect(reason(runHook('pre-tool-use', write(join(storeDir, 'state.json'))))).toMatch(/lease store/);
    expect(isDeny(runHook('pre-tool-use', pre('Bash', { command: 'rm -rf .git' }, sub('agentA'))))).toBe(true);
    expect(
      isDeny(
        runHook('pre-tool-use', pre('Bash', { command: `echo x > ${join(storeDir, 'state.json')}` }, sub('agentA'))),
      ),
    ).toBe(true);
    const v = snapshot().version;
    expect(runHook('pre-tool-use', write(join(repo.root, '.git', 'info', 'exclude'), sub('agentA')))).toMatchObject({
      stdout: '',
    });
    expect(
      snapshot()
        .leases.find((l) => l.id === A.id)!
        .paths.some((p) => p.includes('.git')),
    ).toBe(false);
    expect(snapshot().version).toBe(v); // not extended, nothing written
  });

  test('unbound sub-agent: held denied, free allowed with a warning', () => {
    expect(isDeny(runHook('pre-tool-use', write(join(repo.root, 'src/b.ts'), sub('agentU'))))).toBe(true);
    const r = runHook('pre-tool-use', write(join(repo.root, 'README.md'), sub('agentU')));
    expect(r.json.systemMessage).toMatch(/not bound to any lease/);
  });

  test('path tricks: `..` and a symlink to a held file are the held file', () => {
    subTranscript('agentA', `${formatBindingLine(A.id, A.bindSecret!)}\n`);
    expect(isDeny(runHook('pre-tool-use', write(`${repo.root}/src/../src/./b.ts`, sub('agentA'))))).toBe(true);
    symlinkSync(join(repo.root, 'src/b.ts'), join(repo.root, 'innocent.ts'));
    const r = runHook('pre-tool-use', write(join(repo.root, 'innocent.ts'), sub('agentA')));
    expect(isDeny(r)).toBe(true);
    expect(reason(r)).toMatch(B.id);
  });

  test('case-insensitive file system: another spelling of a held file is the held file', () => {
    // JITP_CASE_INSENSITIVE=1 makes core/paths treat the repository as on a case-folding file system.
    subTranscript('agentA', `${formatBindingLine(A.id, A.bindSecret!)}\n`);
    const env = { JITP_CASE_INSENSITIVE: '1' };
    const r = runHook('pre-tool-use', write(join(repo.root, 'SRC/B.TS'), sub('agentA')), env);
    expect(isDeny(r)).toBe(true);
    expect(reason(r)).toMatch(B.id);
    expect(isDeny(runHook('pre-tool-use', write(join(repo.root, 'SRC/B.TS'), sub('agentA'))))).toBe(false);
  });

  test('Bash: sed -i on a held file denied; read-only commands silent', () => {
    subTranscript('agentA', `${formatBindingLine(A.id, A.bindSecret!)}\n`);
    const r = runHook('pre-tool-use', pre('Bash', { command: "sed -i 's/b/B/' src/b.ts" }, sub('agentA')));
    expect(isDeny(r)).toBe(true);
    expect(reason(r)).toMatch(/`sed -i` would write src\/b.ts, which is held by lease/);
    expect(
      runHook('pre-tool-use', pre('Bash', { command: 'git status && grep -rn b src | head' }, sub('agentA'))),
    ).toMatchObject({ status: 0, stdout: '' });
    expect(isDeny(runHook('pre-tool-use', pre('Bash', { command: 'git stash' }, sub('agentA'))))).toBe(true);
    expect(isDeny(runHook('pre-tool-use', pre('Bash', { command: 'prettier --write .' }, sub('agentA'))))).toBe(true);
  });

  test('heartbeat: a stale renewal is refreshed by activity, a fresh one is not rewritten', () => {
    subTranscript('agentA', `${formatBindingLine(A.id, A.bindSecret!)}\n`);
    runHook('pre-tool-use', write(join(repo.root, 'src/a.ts'), sub('agentA')));
    const v1 = snapshot().version;
    runHook('pre-tool-use', write(join(repo.root, 'src/a.ts'), sub('agentA')));
    expect(snapshot().version).toBe(v1); // renewed less than TTL/3 ago: no write
    const old = new Date(Date.now() - 20 * 60_000).toISOString();
    editState(storeDir, (ls) => ls.map((l) => (l.id === A.id ? { ...l, renewedAt: old } : l)));
    runHook('pre-tool-use', write(join(repo.root, 'src/a.ts'), sub('agentA')));
    expect(Date.parse(leaseOf(A.id).renewedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  test('worktree mode: a sub-agent bound to worktree W may not write outside W', async () => {
    const wt = repo.addWorktree('wt-c');
    const store = new LocalLeaseStore({ storeDir });
    await store.acquire({ issueId: 'issue-c', agentId: 'agent:orch', paths: ['src/c.ts'], worktree: wt });
    const inside = runHook('pre-tool-use', { ...write(join(wt, 'src/c.ts'), sub('agentW')), cwd: wt });
    expect(inside).toMatchObject({ status: 0, stdout: '' });
    const outside = runHook('pre-tool-use', { ...write(join(repo.root, 'src/c.ts'), sub('agentW')), cwd: wt });
    expect(reason(outside)).toMatch(/outside your worktree/);
  });

  test(
    'Agent spawn: a binding for a released lease or with a wrong secret is refused; a good one is ' + 'silent',
    async () => {
      const spawn = (prompt: string) =>
        runHook('pre-tool-use', pre('Agent', { description: 'd', prompt, subagent_type: 'general-purpose' }));
      expect(spawn(`${formatBindingLine(A.id, A.bindSecret!)}\nwork`)).toMatchObject({ status: 0, stdout: '' });
      expect(spawn('no binding, e.g. an Explore agent')).toMatchObject({ status: 0, stdout: '' });
      expect(reason(spawn(`${formatBindingLine(A.id, 'f'.repeat(32))}\nwork`))).toMatch(/wrong secret/);
      await new LocalLeaseStore({ storeDir }).release({ issueId: 'issue-a', agentId: 'agent:orch' });
      expect(reason(spawn(`${formatBindingLine(A.id, A.bindSecret!)}\nwork`))).toMatch(
        new RegExp(`${A.id}.*(does not exist|expired)`),
      );
    },
  );

  test('a store lock held too long ends in the failure policy well inside the client timeout', () => {
    subTranscript('agentA', `${formatBindingLine(A.id, A.bindSecret!)}\n`);
    runHook('pre-tool-use', write(join(repo.root, 'src/a.ts'), sub('agentA'))); // bind first
    // A live holder (this test process) that never lets go.
    const holder = {
      pid: process.pid,
      host: hostname(),
      nonce: 'n'.repeat(16),
      acquiredAt: new Date().toISOString(),
      op: 'test',
    };
    writeFileSync(join(storeDir, 'lock'), JSON.stringify(holder));
    const t = Date.now();
    const r = runHook('pre-tool-use', write(join(repo.root, 'src/new.ts'), sub('agentA'))); // extend needs the lock
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(r.status).toBe(0);
    expect(r.json.systemMessage).toMatch(/could not extend lease.*lock.*failure: open/);
  });

  test('jitp hook check: the same decisions, read-only, with exit code 3 on a refusal', () => {
    const check = (...args: string[]) => {
      const r = spawnSync(process.execPath, [DIST_JITP, 'hook', 'check', ...args, '--json'], {
        cwd: repo.root,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      });
      return { status: r.status, json: JSON.parse(r.stdout) };
    };
    const main = check('src/a.ts', 'README.md');
    expect(main.status).toBe(3);
    expect(main.json.actor).toEqual({ kind: 'main' });
    expect(main.json.results.map((r: { decision: string }) => r.decision)).toEqual(['deny', 'allow']);
    subTranscript('agentA', `${formatBindingLine(A.id, A.bindSecret!)}\n`);
    runHook('pre-tool-use', write(join(repo.root, 'src/a.ts'), sub('agentA'))); // binds
    const v = snapshot().version;
    const asSub = check('src/a.ts', 'src/free.ts', '--subagent', 'agentA');
    expect(asSub.status).toBe(0);
    expect(asSub.json.actor).toEqual({ kind: 'sub-agent', subagentId: 'agentA', leaseId: A.id });
    expect(asSub.json.results.map((r: { decision: string }) => r.decision)).toEqual(['allow', 'extend']);
    expect(snapshot().version).toBe(v); // nothing written
  });

  test('SessionStart: one paragraph naming the leases', () => {
    const r = runHook('session-start', {
      session_id: SESSION,
      cwd: repo.root,
      hook_event_name: 'SessionStart',
      source: 'startup',
    });
    const ctx: string = r.json.hookSpecificOutput.additionalContext;
    expect(r.json.hookSpecificOutput.hookEventName).toBe('SessionStart');
    expect(ctx).toContain(`issue issue-a (lease ${A.id}`);
    expect(ctx).toContain('lib/**');
    expect(ctx.split('\n')).toHaveLength(1);
  });

  test('SubagentStop of a sub-agent that never edited is still recorded against its lease', () => {
    subTranscript('agentR', `${formatBindingLine(B.id, B.bindSecret!)}\nread-only review`);
    const agent_transcript_path = join(transcripts, SESSION, 'subagents', 'agent-agentR.jsonl');
    runHook('subagent-stop', {
      session_id: SESSION,
      cwd: repo.root,
      agent_id: 'agentR',
      agent_transcript_path,
      hook_event_name: 'SubagentStop',
    });
    const events = readFileSync(join(storeDir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.find((e) => e.note === 'subagent-stop')).toMatchObject({
      by: 'claude:agentR',
      leaseId: B.id,
      issueId: 'issue-b',
    });
    expect(leaseOf(B.id).meta?.claudeAgentIds).toBeUndefined(); // recorded, not bound
  });

  test('SubagentStart/Stop are recorded in the event log', () => {
    subTranscript('agentA', `${formatBindingLine(A.id, A.bindSecret!)}\n`);
    runHook('subagent-start', {
      session_id: SESSION,
      cwd: repo.root,
      agent_id: 'agentA',
      agent_type: 'general-purpose',
      hook_event_name: 'SubagentStart',
    });
    runHook('pre-tool-use', write(join(repo.root, 'src/a.ts'), sub('agentA')));
    const stop = runHook('subagent-stop', {
      session_id: SESSION,
      cwd: repo.root,
      agent_id: 'agentA',
      hook_event_name: 'SubagentStop',
    });
    expect(stop).toMatchObject({ status: 0, stdout: '' });
    const events = readFileSync(join(storeDir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.find((e) => e.note === 'subagent-start')).toMatchObject({ type: 'note', by: 'claude:agentA' });
    expect(events.find((e) => e.note === 'subagent-stop')).toMatchObject({
      type: 'note',
      by: 'claude:agentA',
      leaseId: A.id,
      issueId: 'issue-a',
    });
  });
});
