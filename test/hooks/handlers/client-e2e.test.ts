// The real `claude` binary (pinned) with this plugin, driven by the scripted model server:
// hooks enforce leases on the main agent and on sub-agents started in one model message.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe as describeAlways, expect, test as testAlways } from 'vitest';
import { formatBindingLine } from '../../../src/core/binding.js';
import { LocalLeaseStore } from '../../../src/store/local/local-store.js';
import type { Lease, StoreSnapshot } from '../../../src/core/model.js';
import { expectOk, runClaude } from '../../support/claude.js';
import { makeRepo, type TempRepo } from '../../support/git.js';
import {
  agent,
  bash,
  editFile,
  firstUserIncludes,
  readFile,
  startModelServer,
  writeFile,
  type ModelServer,
} from '../../support/model-server.js';
import { ROOT, NO_CLIENT } from '../../support/paths.js';
import { readSnapshotSync } from '../../../src/store/local/snapshot-read.js';

// The real client is opt-in (npm run setup:client): without it these tests skip.
const describe = describeAlways.skipIf(NO_CLIENT);
const test = testAlways.skipIf(NO_CLIENT);

let repo: TempRepo;
let server: ModelServer;
let storeDir: string;
beforeEach(async () => {
  repo = makeRepo({ 'src/f1.ts': 'one\n', 'src/f2.ts': 'two\n', 'src/f3.ts': 'three\n', 'README.md': 'readme\n' });
  storeDir = join(repo.root, '.git', 'jit-parallel');
  server = await startModelServer();
});
afterEach(async () => {
  await server.close();
  repo.cleanup();
});

const snapshot = (): StoreSnapshot => readSnapshotSync(storeDir);
const run = (prompt: string) => runClaude({ cwd: repo.root, prompt, server, pluginDir: ROOT, timeoutMs: 90_000 });
const read = (rel: string) => readFileSync(join(repo.root, rel), 'utf8');

async function leases(n: number): Promise<Lease[]> {
  const store = new LocalLeaseStore({ storeDir });
  const out: Lease[] = [];
  for (let i = 1; i <= n; i++)
    out.push(
      await store.acquire({
        issueId: `issue-${i}`,
        agentId: 'agent:orch',
        paths: [`src/f${i}.ts`, `src/f${i}-extra.ts`],
      }),
    );
  return out;
}

describe('real client with the plugin', () => {
  test('3 sub-agents in ONE message bind to their own leases; a write into another lease is denied', async () => {
    const L = await leases(3);
    const p = (i: number) => join(repo.root, `src/f${i}.ts`);
    // A new file of lease 2 that nobody else writes: the client's own read-before-write and
    // modified-since-read checks (which run before hooks) cannot get in the way.
    const extra2 = join(repo.root, 'src/f2-extra.ts');
    server.setScript([
      // Sub-agent 1 writes its file and also tries sub-agent 2's file.
      // (The client refuses a write to an existing file it has not read before any hook runs.)
      {
        name: 'sub1',
        match: firstUserIncludes('E2E-SUB-1'),
        turns: [
          [readFile(p(1)), readFile(p(2))],
          [writeFile(p(1), 'by sub1\n')],
          [writeFile(extra2, 'sub1 trampling\n')],
        ],
        finalText: 'sub1 done',
      },
      {
        name: 'sub2',
        match: firstUserIncludes('E2E-SUB-2'),
        turns: [[readFile(p(2))], [writeFile(p(2), 'by sub2\n')]],
        finalText: 'sub2 done',
      },
      {
        name: 'sub3',
        match: firstUserIncludes('E2E-SUB-3'),
        turns: [[readFile(p(3))], [writeFile(p(3), 'by sub3\n')]],
        finalText: 'sub3 done',
      },
      {
        name: 'main',
        match: firstUserIncludes('E2E-THREE'),
        turns: [
          [1, 2, 3].map((i) =>
            agent(`${formatBindingLine(L[i - 1]!.id, L[i - 1]!.bindSecret!)}\nE2E-SUB-${i}: work on issue-${i}`, {
              description: `issue ${i}`,
            }),
          ),
        ],
      },
    ]);
    const res = expectOk(await run('E2E-THREE start three agents'));
    // All three Agent calls were in one model message.
    expect(
      server.requestsOf('main')[0]!.response!.filter((b) => b.type === 'tool_use' && b.name === 'Agent'),
    ).toHaveLength(3);
    // Files on disk: each sub-agent's own file; f2 is sub2's, not sub1's.
    expect(read('src/f1.ts')).toBe('by sub1\n');
    expect(read('src/f2.ts')).toBe('by sub2\n');
    expect(read('src/f3.ts')).toBe('by sub3\n');
    expect(existsSync(extra2)).toBe(false);
    // The reason sub1's model got back names the holder and says what to do instead.
    const denied = server.toolResultsOf('sub1').find((r) => r.toolName === 'Write' && r.input?.file_path === extra2);
    expect(denied?.is_error).toBe(true);
    expect(denied?.text).toContain(`held by lease ${L[1]!.id} of issue issue-2`);
    expect(denied?.text).toMatch(/report the change needed in .*f2-extra\.ts in your final answer/);
    // Each lease is bound to exactly one distinct sub-agent.
    const bound = L.map((l) => snapshot().leases.find((x) => x.id === l.id)!.meta?.claudeAgentIds as string[]);
    for (const b of bound) expect(b).toHaveLength(1);
    expect(new Set(bound.map((b) => b[0])).size).toBe(3);
    // permission_denials lists the Write the hook refused inside the sub-agent.
    expect(res.permission_denials.map((d) => [d.tool_name, d.tool_input.file_path])).toEqual([['Write', extra2]]);
  });

  test('orchestrator edit of a held file is denied; a free file is not', async () => {
    const [L1] = await leases(1);
    server.setScript([
      {
        name: 'main',
        match: firstUserIncludes('E2E-ORCH'),
        turns: [
          [readFile(join(repo.root, 'src/f1.ts')), readFile(join(repo.root, 'README.md'))],
          [editFile(join(repo.root, 'src/f1.ts'), 'one', 'ONE')],
          [writeFile(join(repo.root, 'README.md'), 'free edit\n')],
        ],
      },
    ]);
    const res = expectOk(await run('E2E-ORCH edit'));
    expect(read('src/f1.ts')).toBe('one\n');
    expect(read('README.md')).toBe('free edit\n');
    expect(res.permission_denials.map((d) => d.tool_name)).toEqual(['Edit']);
    const [, , r1, r2] = server.toolResultsOf('main');
    expect(r1!.text).toContain(`held by lease ${L1!.id} of issue issue-1`);
    expect(r2!.is_error).toBe(false);
  });

  test('Bash sed -i on a held file from a bound sub-agent is denied; its read-only Bash runs', async () => {
    const L = await leases(2);
    server.setScript([
      {
        name: 'sub',
        match: firstUserIncludes('E2E-BASH'),
        turns: [[bash(`sed -i 's/two/TWO/' src/f2.ts`)], [bash('cat src/f2.ts && git status --short')]],
      },
      {
        name: 'main',
        match: firstUserIncludes('E2E-MAIN-BASH'),
        turns: [[agent(`${formatBindingLine(L[0]!.id, L[0]!.bindSecret!)}\nE2E-BASH go`)]],
      },
    ]);
    expectOk(await run('E2E-MAIN-BASH'));
    expect(read('src/f2.ts')).toBe('two\n');
    const [sed, cat] = server.toolResultsOf('sub');
    expect(sed!.is_error).toBe(true);
    expect(sed!.text).toMatch(new RegExp(`\`sed -i\` would write src/f2.ts, which is held by lease ${L[1]!.id}`));
    expect(cat!.is_error).toBe(false);
    expect(cat!.text).toContain('two');
  });

  test('a worktree-isolated sub-agent is bound by its worktree and may not write outside it', async () => {
    let wt = '';
    let lease: Lease | undefined;
    server.setScript([
      {
        name: 'iso',
        match: firstUserIncludes('E2E-ISO'),
        turns: [
          async () => {
            // What the WorktreeCreate handler does in worktree mode: a lease on the agent's worktree.
            const base = join(repo.root, '.claude', 'worktrees');
            wt = join(
              base,
              readdirSync(base).find((d) => d.startsWith('agent-'))!,
            );
            lease = await new LocalLeaseStore({ storeDir }).acquire({
              issueId: 'issue-iso',
              agentId: 'agent:orch',
              paths: ['src/iso.ts'],
              worktree: wt,
            });
            return [writeFile(join(wt, 'src/iso.ts'), 'iso edit\n')];
          },
          () => [bash(`echo escaped > ${join(repo.root, 'src/f3.ts')}`)],
        ],
      },
      {
        name: 'main',
        match: firstUserIncludes('E2E-MAIN-ISO'),
        turns: [[agent('E2E-ISO work in your worktree', { isolation: 'worktree' })]],
      },
    ]);
    // In a real batch the worktree's lease exists before the sub-agent starts (WorktreeCreate takes
    // it); here it is taken at the sub-agent's first turn, so another live lease stands in for the
    // batch: with nothing live at SubagentStart the sub-agent would be recorded unbound for good.
    const other = await new LocalLeaseStore({ storeDir }).acquire({
      issueId: 'issue-batch',
      agentId: 'agent:orch',
      paths: ['src/other.ts'],
    });
    expectOk(await run('E2E-MAIN-ISO'));
    await new LocalLeaseStore({ storeDir })
      .release({ issueId: other.issueId, agentId: other.agentId })
      .catch(() => undefined);
    expect(lease).toBeDefined();
    const [w, b] = server.toolResultsOf('iso');
    expect(w!.is_error, w!.text).toBe(false);
    expect(b!.is_error).toBe(true);
    expect(b!.text).toMatch(/outside your worktree/);
    expect(read('src/f3.ts')).toBe('three\n');
  });

  test('SessionStart tells the model what is live, in one paragraph', async () => {
    const [L1] = await leases(1);
    server.setScript([
      { name: 'main', match: firstUserIncludes('E2E-SESSION'), turns: [[readFile(join(repo.root, 'README.md'))]] },
    ]);
    expectOk(await run('E2E-SESSION'));
    const body = JSON.stringify(server.requestsOf('main')[0]!.body);
    expect(body).toContain('jit-parallel: parallel work is active in this repository');
    expect(body).toContain(`issue issue-1 (lease ${L1!.id}`);
  });

  test('no parallel work active: no denial and no hook output', async () => {
    const f1 = join(repo.root, 'src/f1.ts');
    server.setScript([
      {
        name: 'main',
        match: firstUserIncludes('E2E-NONE'),
        turns: [[readFile(f1)], [writeFile(f1, 'free\n'), bash('git stash list')]],
      },
    ]);
    const r = await run('E2E-NONE');
    const res = expectOk(r);
    expect(res.permission_denials).toEqual([]);
    expect(read('src/f1.ts')).toBe('free\n');
    expect(r.stderr).not.toMatch(/jit-parallel/);
    for (const t of server.toolResultsOf('main')) expect(t.text).not.toMatch(/jit-parallel/);
    expect(existsSync(storeDir)).toBe(false);
    expect(JSON.stringify(server.requestsOf('main')[0]!.body)).not.toContain('parallel work is active');
  });
});
