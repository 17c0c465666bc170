// The real client (2.1.330) with `isolation: "worktree"`: its WorktreeCreate hook is jitp's,
// so each sub-agent lands in the jitp-made worktree of ITS issue (chosen by the binding line in
// its prompt, not by arrival order), bound to the issue's lease.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe as describeAlways, expect, test as testAlways } from 'vitest';
import { formatBindingLine } from '../../src/core/binding.js';
import { mainRootOf, discoverRepo, storeDirOf } from '../../src/git/discover.js';
import { openLocalStore } from '../../src/store/open.js';
import { readBatch } from '../../src/worktree/batch.js';
import { runClaude } from '../support/claude.js';
import { makeRepo, type TempRepo } from '../support/git.js';
import {
  agent,
  firstUserIncludes,
  startModelServer,
  writeFile,
  type ModelServer,
  type TurnContext,
} from '../support/model-server.js';
import { ROOT, NO_CLIENT } from '../support/paths.js';
import { jitp } from './helpers.js';

// The real client is opt-in (npm run setup:client): without it these tests skip.
const describe = describeAlways.skipIf(NO_CLIENT);
const test = testAlways.skipIf(NO_CLIENT);

let repo: TempRepo;
let server: ModelServer;
beforeEach(async () => {
  repo = makeRepo({ 'README.md': '# t\n', 'src/a.txt': 'a\n' });
  server = await startModelServer();
});
afterEach(async () => {
  await server.close();
  repo.cleanup();
});

/** The sub-agent's working directory, as the client tells the model. */
const cwdOf = (ctx: TurnContext): string => /Primary working directory: ([^\s\\]+)/.exec(JSON.stringify(ctx.body))![1]!;

async function loadTwo(): Promise<void> {
  const file = join(repo.root, '..', 'tasks.json');
  writeFileSync(
    file,
    JSON.stringify([
      { id: 'alpha', title: 'Alpha task', instructions: 'do alpha' },
      { id: 'beta', title: 'Beta task', instructions: 'do beta' },
    ]),
  );
  const r = await jitp(repo.root, ['batch', 'load', file, '--json']);
  expect(r.code, r.stderr).toBe(0);
}

async function leaseOf(issueId: string) {
  const store = openLocalStore(discoverRepo(repo.root)!);
  return (await store.read()).leases.find((l) => l.issueId === issueId)!;
}

describe('WorktreeCreate with the real client', () => {
  test("each sub-agent gets its own issue's jitp worktree, bound to the lease, whatever the order", async () => {
    await loadTwo();
    const batch = readBatch(repo.root)!;
    const wt = Object.fromEntries(batch.issues.map((i) => [i.id, i.worktree!]));
    const alpha = await leaseOf('alpha');
    const beta = await leaseOf('beta');
    expect(alpha.worktree).toBe(wt.alpha);
    const seen: Record<string, string> = {};
    const sub = (tag: string) => ({
      name: tag,
      match: firstUserIncludes(`ISO-${tag}`),
      turns: [
        (ctx: TurnContext) => {
          seen[tag] = cwdOf(ctx);
          return [writeFile(join(seen[tag]!, `${tag}.txt`), `${tag}\n`)];
        },
      ],
      finalText: `${tag} done`,
    });
    server.setScript([
      sub('BETA'),
      sub('ALPHA'),
      {
        name: 'main',
        match: firstUserIncludes('ISO-MAIN'),
        // Beta first: assignment must follow the prompt's binding, not the batch order.
        turns: [
          [
            agent(`${formatBindingLine(beta.id, beta.bindSecret!)}\nISO-BETA work on beta`, {
              isolation: 'worktree',
              run_in_background: true,
            }),
          ],
          [
            agent(`${formatBindingLine(alpha.id, alpha.bindSecret!)}\nISO-ALPHA work on alpha`, {
              isolation: 'worktree',
              run_in_background: true,
            }),
          ],
        ],
      },
    ]);
    const run = await runClaude({
      cwd: repo.root,
      prompt: 'ISO-MAIN start both',
      server,
      pluginDir: ROOT,
      timeoutMs: 90_000,
    });
    expect(run.exitCode, run.stderr.slice(-2000)).toBe(0);
    expect(seen.BETA).toBe(wt.beta);
    expect(seen.ALPHA).toBe(wt.alpha);
    expect(readFileSync(join(wt.beta!, 'BETA.txt'), 'utf8')).toBe('BETA\n');
    expect(readFileSync(join(wt.alpha!, 'ALPHA.txt'), 'utf8')).toBe('ALPHA\n');
    expect(existsSync(join(repo.root, 'BETA.txt'))).toBe(false);
    // Bound: the client's agent ids are on the leases and in the batch.
    const after = readBatch(repo.root)!;
    for (const id of ['alpha', 'beta']) {
      const i = after.issues.find((x) => x.id === id)!;
      expect(i.agent.claudeAgentId).toMatch(/^a[0-9a-f]{8,}$/);
      const l = await leaseOf(id);
      expect(l.meta?.claudeAgentIds).toContain(i.agent.claudeAgentId);
    }
    // No client-made worktrees: the only linked worktrees are jitp's two.
    const list = repo
      .git('worktree', 'list', '--porcelain')
      .split('\n')
      .filter((l) => l.startsWith('worktree '))
      .map((l) => l.slice(9));
    expect(list.sort()).toEqual([repo.root, wt.alpha, wt.beta].sort());
  }, 120_000);

  test(
    "lease claimed first (no worktree yet): the hook makes the issue's worktree at a pinned base and " + 'binds',
    async () => {
      const store = openLocalStore(discoverRepo(repo.root)!);
      const taskDir = join(repo.root, '.jit-parallel', 'tasks');
      const { mkdirSync } = await import('node:fs');
      mkdirSync(taskDir, { recursive: true });
      writeFileSync(join(taskDir, 'gamma.md'), '---\nid: gamma\ntitle: Gamma work\n---\nDo gamma.\n');
      repo.commit('task');
      const lease = await store.acquire({ issueId: 'gamma', agentId: 'agent:claude', paths: ['src/**'] });
      let where = '';
      server.setScript([
        {
          name: 'sub',
          match: firstUserIncludes('ISO-GAMMA'),
          turns: [(ctx: TurnContext) => ((where = cwdOf(ctx)), [writeFile(join(where, 'src', 'g.txt'), 'g\n')])],
        },
        {
          name: 'main',
          match: firstUserIncludes('ISO-CLAIMED'),
          turns: [
            [
              agent(`${formatBindingLine(lease.id, lease.bindSecret!)}\nISO-GAMMA`, {
                isolation: 'worktree',
                run_in_background: true,
              }),
            ],
          ],
        },
      ]);
      const run = await runClaude({
        cwd: repo.root,
        prompt: 'ISO-CLAIMED',
        server,
        pluginDir: ROOT,
        timeoutMs: 90_000,
      });
      expect(run.exitCode, run.stderr.slice(-2000)).toBe(0);
      expect(where).toBe(join(repo.root, '..', 'repo.worktrees', 'gamma-gamma-work'));
      expect(repo.git('-C', where, 'symbolic-ref', '--short', 'HEAD')).toBe('jit/gamma-gamma-work');
      expect(readFileSync(join(where, 'src', 'g.txt'), 'utf8')).toBe('g\n');
      const b = readBatch(repo.root)!;
      expect(repo.git('-C', where, 'merge-base', 'HEAD', b.base)).toBe(b.base);
      const i = b.issues.find((x) => x.id === 'gamma')!;
      expect(i).toMatchObject({ worktree: where, leaseId: lease.id, agentId: 'agent:claude' });
      const after = (await store.read()).leases.find((l) => l.id === lease.id)!;
      expect(after.meta?.claudeAgentIds).toEqual([i.agent.claudeAgentId]);
      expect(run.json?.permission_denials).toEqual([]);
    },
    120_000,
  );

  test('two isolated Agent calls in ONE message are refused, not guessed', async () => {
    await loadTwo();
    const alpha = await leaseOf('alpha');
    const beta = await leaseOf('beta');
    server.setScript([
      {
        name: 'main',
        match: firstUserIncludes('ISO-TWO'),
        turns: [
          [
            agent(`${formatBindingLine(alpha.id, alpha.bindSecret!)}\nISO-X1`, { isolation: 'worktree' }),
            agent(`${formatBindingLine(beta.id, beta.bindSecret!)}\nISO-X2`, { isolation: 'worktree' }),
          ],
        ],
      },
    ]);
    const run = await runClaude({ cwd: repo.root, prompt: 'ISO-TWO', server, pluginDir: ROOT, timeoutMs: 90_000 });
    expect(run.exitCode, run.stderr.slice(-2000)).toBe(0);
    const results = server.toolResultsOf('main');
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r.is_error).toBe(true);
      expect(r.text).toContain('in one message');
    }
    const b = readBatch(repo.root)!;
    expect(b.issues.every((i) => i.agent.claudeAgentId === null)).toBe(true);
  }, 120_000);

  test('without a batch: a plain worktree from HEAD under .claude/worktrees/', async () => {
    let where = '';
    server.setScript([
      {
        name: 'sub',
        match: firstUserIncludes('ISO-PLAIN-SUB'),
        turns: [(ctx: TurnContext) => ((where = cwdOf(ctx)), [writeFile(join(where, 'p.txt'), 'p\n')])],
      },
      {
        name: 'main',
        match: firstUserIncludes('ISO-PLAIN-MAIN'),
        turns: [[agent('ISO-PLAIN-SUB go', { isolation: 'worktree' })]],
      },
    ]);
    const run = await runClaude({
      cwd: repo.root,
      prompt: 'ISO-PLAIN-MAIN',
      server,
      pluginDir: ROOT,
      timeoutMs: 90_000,
    });
    expect(run.exitCode, run.stderr.slice(-2000)).toBe(0);
    expect(where.startsWith(join(repo.root, '.claude', 'worktrees', 'agent-'))).toBe(true);
    expect(readFileSync(join(where, 'p.txt'), 'utf8')).toBe('p\n');
    expect(repo.git('-C', where, 'rev-parse', 'HEAD')).toBe(repo.git('rev-parse', 'HEAD'));
    // kept out of `git status` of the main checkout
    expect(repo.git('status', '--porcelain')).toBe('');
    void mainRootOf;
    void storeDirOf;
  }, 120_000);
});
