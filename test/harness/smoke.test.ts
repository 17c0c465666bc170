// The harness itself: the real client, driven by the scripted model server, really writes files,
// from the main agent, from one sub-agent, and from three sub-agents started in one message.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe as describeAlways, expect, test as testAlways } from 'vitest';
import { NO_CLIENT } from '../support/paths.js';
import { expectOk, runClaude } from '../support/claude.js';
import { makeRepo, type TempRepo } from '../support/git.js';
import {
  agent,
  firstUserIncludes,
  say,
  startModelServer,
  writeFile,
  type ModelServer,
} from '../support/model-server.js';

// The real client is opt-in (npm run setup:client): without it these tests skip.
const describe = describeAlways.skipIf(NO_CLIENT);
const test = testAlways.skipIf(NO_CLIENT);

let repo: TempRepo;
let server: ModelServer;
beforeEach(async () => {
  repo = makeRepo();
  server = await startModelServer();
});
afterEach(async () => {
  await server.close();
  repo.cleanup();
});

describe('scripted model drives the real claude binary', () => {
  test('a Write from the main agent lands on disk', async () => {
    const file = join(repo.root, 'hello.txt');
    server.setScript([
      {
        name: 'main',
        match: firstUserIncludes('SMOKE-MAIN'),
        turns: [[say('writing'), writeFile(file, 'hello\n')]],
        finalText: 'all done',
      },
    ]);
    const run = await runClaude({ cwd: repo.root, prompt: 'SMOKE-MAIN write hello.txt', server });
    const res = expectOk(run);
    expect(readFileSync(file, 'utf8')).toBe('hello\n');
    expect(res.result).toBe('all done');
    expect(res.permission_denials).toEqual([]);
    expect(server.unmatched()).toEqual([]);
    // The model saw the Write's result on its second turn.
    const results = server.toolResultsOf('main');
    expect(results).toHaveLength(1);
    expect(results[0]!.toolName).toBe('Write');
    expect(results[0]!.is_error).toBe(false);
  });

  test('one sub-agent writes a file', async () => {
    const file = join(repo.root, 'sub.txt');
    server.setScript([
      {
        name: 'sub',
        match: firstUserIncludes('SMOKE-SUB'),
        turns: [[writeFile(file, 'from sub\n')]],
        finalText: 'sub report',
      },
      { name: 'main', match: firstUserIncludes('SMOKE-ONE'), turns: [[agent('SMOKE-SUB write sub.txt')]] },
    ]);
    const run = await runClaude({ cwd: repo.root, prompt: 'SMOKE-ONE delegate', server });
    expectOk(run);
    expect(readFileSync(file, 'utf8')).toBe('from sub\n');
    expect(server.requestsOf('sub').length).toBe(2);
    // The sub-agent's final text comes back to the main agent as the Agent tool_result.
    const [res] = server.toolResultsOf('main');
    expect(res!.toolName).toBe('Agent');
    expect(res!.text).toContain('sub report');
    expect(server.unmatched()).toEqual([]);
  });

  test('three sub-agents started in ONE model message each write their own file', async () => {
    const ids = [1, 2, 3];
    server.setScript([
      ...ids.map((n) => ({
        name: `sub${n}`,
        match: firstUserIncludes(`SMOKE-PAR-${n}`),
        turns: [[writeFile(join(repo.root, `f${n}.txt`), `agent ${n}\n`)]],
      })),
      {
        name: 'main',
        match: firstUserIncludes('SMOKE-THREE'),
        turns: [ids.map((n) => agent(`SMOKE-PAR-${n} write f${n}.txt`, { description: `task ${n}` }))],
      },
    ]);
    const run = await runClaude({ cwd: repo.root, prompt: 'SMOKE-THREE start three agents', server });
    const res = expectOk(run);
    for (const n of ids) expect(readFileSync(join(repo.root, `f${n}.txt`), 'utf8')).toBe(`agent ${n}\n`);
    // All three Agent calls were in the main agent's first answer, and each sub-agent ran.
    const first = server.requestsOf('main')[0]!.response!;
    expect(first.filter((b) => b.type === 'tool_use' && b.name === 'Agent')).toHaveLength(3);
    for (const n of ids) expect(server.requestsOf(`sub${n}`).length).toBeGreaterThanOrEqual(2);
    expect((res.subagent_stats as { spawned: number }).spawned).toBe(3);
    expect(server.unmatched()).toEqual([]);
    expect(existsSync(join(repo.root, 'f4.txt'))).toBe(false);
  });

  test('a turn can wait for another sub-agent (ordering parallel sub-agents)', async () => {
    const a = join(repo.root, 'a.txt');
    const b = join(repo.root, 'b.txt');
    server.setScript([
      { name: 'A', match: firstUserIncludes('ORDER-A'), turns: [[writeFile(a, 'A\n')]] },
      {
        name: 'B',
        match: firstUserIncludes('ORDER-B'),
        // B's first answer waits until A's second request: A's Write has run by then.
        turns: [
          async (ctx) => (
            await ctx.server.waitFor((r) => r.actor === 'A' && r.turn === 1),
            [writeFile(b, existsSync(a) ? 'saw A\n' : 'no A\n')]
          ),
        ],
      },
      {
        name: 'main',
        match: firstUserIncludes('ORDER-MAIN'),
        turns: [[agent('ORDER-B second'), agent('ORDER-A first')]],
      },
    ]);
    expectOk(await runClaude({ cwd: repo.root, prompt: 'ORDER-MAIN', server }));
    expect(readFileSync(b, 'utf8')).toBe('saw A\n');
    expect(server.unmatched()).toEqual([]);
  });
});
