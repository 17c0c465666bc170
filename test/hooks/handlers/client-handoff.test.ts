// The lock hand-off with the real `claude` binary (issue 15): two sub-agents started in one
// message; A is refused B's file, runs the `jitp claim wait` command the refusal gives it, gets
// the file when B's sub-agent stops (SubagentStop marks B's lease finished), and edits it. Both
// finish; nothing is refused twice.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe as describeAlways, expect, test as testAlways } from 'vitest';
import { formatBindingLine } from '../../../src/core/binding.js';
import type { Lease, StoreSnapshot } from '../../../src/core/model.js';
import { LocalLeaseStore } from '../../../src/store/local/local-store.js';
import { expectOk, runClaude } from '../../support/claude.js';
import { makeRepo, type TempRepo } from '../../support/git.js';
import {
  agent,
  editFile,
  firstUserIncludes,
  readFile,
  startModelServer,
  writeFile,
  type ModelServer,
  type OutBlock,
} from '../../support/model-server.js';
import { DIST_JITP, NO_CLIENT, ROOT } from '../../support/paths.js';
import { readSnapshotSync } from '../../../src/store/local/snapshot-read.js';

const describe = describeAlways.skipIf(NO_CLIENT);
const test = testAlways.skipIf(NO_CLIENT);
const AG = 'agent:orch';

let repo: TempRepo;
let server: ModelServer;
let storeDir: string;
beforeEach(async () => {
  repo = makeRepo({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\n' });
  const tasks = join(repo.root, '.jit-parallel', 'tasks');
  mkdirSync(tasks, { recursive: true });
  for (const k of ['a', 'b'])
    writeFileSync(
      join(tasks, `issue-${k}.md`),
      `---\nid: issue-${k}\nstate: todo\n---\n# E2E-WAIT-${k.toUpperCase()} change src/${k}.ts\nEdit src/${k}.ts.\n`,
    );
  storeDir = join(repo.root, '.git', 'jit-parallel');
  server = await startModelServer();
});
afterEach(async () => {
  await server.close();
  repo.cleanup();
});

const snapshot = (): StoreSnapshot => readSnapshotSync(storeDir);
const read = (rel: string) => readFileSync(join(repo.root, rel), 'utf8');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The sub-agent prompt exactly as the skill gets it: `jitp prompt <id>`. */
function prompt(id: string): string {
  const r = spawnSync(process.execPath, [DIST_JITP, 'prompt', id], {
    cwd: repo.root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: repo.root, JIT_AGENT_ID: AG },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout;
}

describe('real client: lock hand-off between two sub-agents', () => {
  test('A is refused B’s file, waits with jitp claim wait, gets it when B stops; both finish', async () => {
    const store = new LocalLeaseStore({ storeDir });
    const A: Lease = await store.acquire({ issueId: 'issue-a', agentId: AG, paths: ['src/a.ts'] });
    const B: Lease = await store.acquire({ issueId: 'issue-b', agentId: AG, paths: ['src/b.ts'] });
    const promptA = prompt('issue-a');
    const promptB = prompt('issue-b');
    // The rendered prompt binds the sub-agent and tells it when to run `jitp claim wait`.
    expect(promptA.startsWith(formatBindingLine(A.id, A.bindSecret!))).toBe(true);
    expect(promptA).toMatch(/the refusal gives you a `jitp claim wait <file> --issue <your issue> --timeout 9m`/);
    const a = join(repo.root, 'src/a.ts');
    const b = join(repo.root, 'src/b.ts');
    let waitCommand = '';
    let waitStartedAt = 0;
    let bStoppedAt = 0;
    server.setScript([
      {
        name: 'subA',
        match: firstUserIncludes('E2E-WAIT-A'),
        turns: [
          [readFile(a), readFile(b)],
          [writeFile(a, 'by A\n')],
          [editFile(b, 'b', 'b (A wants this too)')],
          (ctx) => {
            // The refusal of the edit above, as the model read it: it carries the command to run.
            const refusal = ctx.toolResults.find((r) => r.is_error)?.text ?? '';
            waitCommand = /`(jitp claim wait [^`]+)`/.exec(refusal)?.[1] ?? 'echo no-wait-command-offered; exit 9';
            waitStartedAt = Date.now();
            const call: OutBlock = {
              type: 'tool_use',
              name: 'Bash',
              input: { command: waitCommand, description: 'wait for src/b.ts', timeout: 600000 },
            };
            return [call];
          },
          // The wait returned: read the file again (B changed it) and make the edit.
          [readFile(b)],
          [editFile(b, 'by B', 'by B, then A')],
        ],
        finalText: 'A done',
      },
      {
        name: 'subB',
        match: firstUserIncludes('E2E-WAIT-B'),
        turns: [
          [readFile(b)],
          async (ctx) => {
            // Hold B's work until A was refused and asks for its wait, so the order is fixed.
            await ctx.server.waitFor((r) => r.actor === 'subA' && r.turn === 3, 60_000);
            return [writeFile(b, 'by B\n')];
          },
          async () => {
            // Stop only once A's wait is recorded in the store: the hand-off is what ends it.
            for (let i = 0; i < 300 && !snapshot().leases.find((l) => l.id === A.id)?.waiting; i++) await sleep(100);
            bStoppedAt = Date.now();
            return [{ type: 'text', text: 'B done' }];
          },
        ],
        finalText: 'B done',
      },
      {
        name: 'main',
        match: firstUserIncludes('E2E-WAIT-MAIN'),
        turns: [[agent(promptA, { description: 'issue a' }), agent(promptB, { description: 'issue b' })]],
      },
    ]);
    const res = expectOk(
      await runClaude({
        cwd: repo.root,
        prompt: 'E2E-WAIT-MAIN start two agents',
        server,
        pluginDir: ROOT,
        timeoutMs: 180_000,
        env: { JIT_AGENT_ID: AG },
        args: ['--allowedTools', 'Bash'],
      }),
    );
    // The refusal offered exactly this command, for A's own issue.
    expect(waitCommand).toBe('jitp claim wait src/b.ts --issue issue-a --timeout 9m');
    // The wait ended with the hand-off (exit 0), after B stopped.
    const waited = server.toolResultsOf('subA').find((r) => r.toolName === 'Bash');
    expect(waited?.is_error).toBe(false);
    expect(waited?.text).toMatch(
      new RegExp(`src/b\\.ts is now in lease ${A.id} \\(issue issue-a\\).*handed off from ${B.id}`),
    );
    // Both changes are in the file, B's first; A's own file too.
    expect(read('src/b.ts')).toBe('by B, then A\n');
    expect(read('src/a.ts')).toBe('by A\n');
    // Refused once, never twice: the only denial is A's first edit of src/b.ts.
    expect(res.permission_denials.map((d) => [d.tool_name, d.tool_input.file_path])).toEqual([['Edit', b]]);
    // The store: B finished and handed src/b.ts to A.
    const s = snapshot();
    const la = s.leases.find((l) => l.id === A.id)!;
    const lb = s.leases.find((l) => l.id === B.id)!;
    expect(la.paths).toEqual(['src/a.ts', 'src/b.ts']);
    expect(la.waiting).toBeUndefined();
    expect(lb.finishedAt).toBeDefined();
    expect(lb.handedOff).toMatchObject([{ path: 'src/b.ts', toLeaseId: A.id }]);
    expect(la.finishedAt).toBeDefined(); // A stopped too
    // Informative: how long the wait took from B's stop (poll backoff caps at 2 s).
    console.log(
      `hand-off: A waited ${Date.now() - waitStartedAt} ms in all; B stopped ${bStoppedAt - waitStartedAt} ms in`,
    );
  }, 240_000);
});
