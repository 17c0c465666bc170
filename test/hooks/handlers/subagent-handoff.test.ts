// The hooks' side of the lock hand-off (issue 15), through the built hook (dist/hook.cjs) and the
// built CLI as real processes: a bound sub-agent refused a sibling's file is told the exact
// `jitp claim wait` command; the hook lets it run that for its own lease only; and the sibling's
// SubagentStop marks its lease finished, which hands the file to the waiting process.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { formatBindingLine } from '../../../src/core/binding.js';
import type { Lease } from '../../../src/core/model.js';
import { LocalLeaseStore } from '../../../src/store/local/local-store.js';
import { makeRepo, tempDir, type TempRepo } from '../../support/git.js';
import { DIST_HOOK, DIST_JITP } from '../../support/paths.js';
import { writeSubagentTranscript } from '../../support/transcript.js';

const SESSION = 'sess-w';
const AG = 'agent:orch';
let repo: TempRepo;
let transcripts: string;
let store: LocalLeaseStore;
let A: Lease;
let B: Lease;

function hook(event: string, payload: Record<string, unknown>) {
  const r = spawnSync(process.execPath, [DIST_HOOK, event], {
    input: JSON.stringify({ session_id: SESSION, cwd: repo.root, ...payload }),
    encoding: 'utf8',
    cwd: repo.root,
    env: { PATH: process.env.PATH, HOME: repo.root, JIT_AGENT_ID: AG },
  });
  const out = r.stdout.trim();
  return { status: r.status, json: out ? JSON.parse(out) : undefined };
}
const pre = (agent: string, tool: string, tool_input: Record<string, unknown>) =>
  hook('pre-tool-use', {
    transcript_path: join(transcripts, `${SESSION}.jsonl`),
    hook_event_name: 'PreToolUse',
    tool_name: tool,
    tool_input,
    tool_use_id: 'toolu_1',
    agent_id: agent,
    agent_type: 'general-purpose',
  });
const denial = (r: ReturnType<typeof hook>): string | undefined =>
  r.json?.hookSpecificOutput?.permissionDecision === 'deny'
    ? r.json.hookSpecificOutput.permissionDecisionReason
    : undefined;

beforeEach(async () => {
  repo = makeRepo({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\n' });
  transcripts = tempDir('jitp-transcripts-');
  store = new LocalLeaseStore({ storeDir: join(repo.root, '.git', 'jit-parallel') });
  A = await store.acquire({ issueId: 'issue-a', agentId: AG, paths: ['src/a.ts'] });
  B = await store.acquire({ issueId: 'issue-b', agentId: AG, paths: ['src/b.ts'] });
  writeSubagentTranscript(transcripts, SESSION, 'agentA', `${formatBindingLine(A.id, A.bindSecret!)}\nwork on a`);
  writeSubagentTranscript(transcripts, SESSION, 'agentB', `${formatBindingLine(B.id, B.bindSecret!)}\nwork on b`);
  // Each binds at its first edit of its own file.
  expect(denial(pre('agentA', 'Write', { file_path: join(repo.root, 'src/a.ts'), content: 'A\n' }))).toBeUndefined();
  expect(denial(pre('agentB', 'Write', { file_path: join(repo.root, 'src/b.ts'), content: 'B\n' }))).toBeUndefined();
});
afterEach(() => repo.cleanup());

describe('refused, told to wait, waits, gets it when the sibling stops', () => {
  test('the whole hand-off through the hook processes', async () => {
    const refused = denial(
      pre('agentA', 'Edit', { file_path: join(repo.root, 'src/b.ts'), old_string: 'B', new_string: 'AB' }),
    );
    expect(refused).toBeDefined();
    const cmd = /`(jitp claim wait [^`]+)`/.exec(refused!)?.[1];
    expect(cmd).toBe('jitp claim wait src/b.ts --issue issue-a --timeout 9m');
    // The hook lets the sub-agent run exactly that (its own lease), and not the same for its sibling's issue.
    expect(denial(pre('agentA', 'Bash', { command: cmd! }))).toBeUndefined();
    expect(denial(pre('agentA', 'Bash', { command: 'jitp claim wait src/a.ts --issue issue-b' }))).toMatch(
      /not your own/,
    );
    // Run it (what the sub-agent's Bash call does).
    const args = cmd!.split(' ').slice(1);
    const p = spawn(process.execPath, [DIST_JITP, ...args, '--json'], {
      cwd: repo.root,
      env: { PATH: process.env.PATH, HOME: repo.root, JIT_AGENT_ID: AG },
    });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    const exit = new Promise<number | null>((r) => p.on('close', r));
    for (let i = 0; i < 50 && !(await store.read()).leases.find((l) => l.id === A.id)?.waiting; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect((await store.read()).leases.find((l) => l.id === A.id)?.waiting?.path).toBe('src/b.ts');
    // The sibling's sub-agent stops.
    const stop = hook('subagent-stop', { agent_id: 'agentB', hook_event_name: 'SubagentStop' });
    expect(stop.status).toBe(0);
    expect(await exit).toBe(0);
    expect(JSON.parse(out).handedOffFrom).toEqual([{ leaseId: B.id, issueId: 'issue-b' }]);
    const leases = (await store.read()).leases;
    expect(leases.find((l) => l.id === B.id)!.finishedAt).toBeDefined();
    // Now the edit goes through: the same Edit is not refused a second time.
    expect(
      denial(pre('agentA', 'Edit', { file_path: join(repo.root, 'src/b.ts'), old_string: 'B', new_string: 'AB' })),
    ).toBeUndefined();
  });

  test('SubagentStop marks the bound lease finished; a sub-agent with no lease changes nothing', async () => {
    hook('subagent-stop', { agent_id: 'agentB', hook_event_name: 'SubagentStop' });
    const snap = await store.read();
    expect(snap.leases.find((l) => l.id === B.id)!.finishedAt).toMatch(/^\d{4}-/);
    expect(snap.leases.find((l) => l.id === A.id)!.finishedAt).toBeUndefined();
    const v = snap.version;
    hook('subagent-stop', { agent_id: 'agentNobody', hook_event_name: 'SubagentStop' });
    const after = await store.read();
    expect(after.version).toBe(v);
    expect(after.leases.every((l) => l.id === B.id || !l.finishedAt)).toBe(true);
    const log = readFileSync(join(repo.root, '.git', 'jit-parallel', 'events.jsonl'), 'utf8');
    expect(log).toMatch(/"type":"finish","by":"claude:agentB"/);
  });

  test('a finished lease still refuses everyone who does not wait for it', async () => {
    hook('subagent-stop', { agent_id: 'agentB', hook_event_name: 'SubagentStop' });
    expect(denial(pre('agentA', 'Write', { file_path: join(repo.root, 'src/b.ts'), content: 'x' }))).toMatch(/held by/);
  });
});
