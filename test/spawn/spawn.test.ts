// `jitp spawn` / `jitp retry`: bounded parallel headless agents, one per issue in its worktree,
// logs and results kept, failures retried; and the default command with the real `claude`.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { batchRunDir, readBatch } from '../../src/worktree/batch.js';
import { parseBindingLine } from '../../src/core/binding.js';
import { claudeEnv } from '../support/claude-env.js';
import { makeRepo, type TempRepo } from '../support/git.js';
import { firstUserIncludes, startModelServer, writeFile, type TurnContext } from '../support/model-server.js';
import { CLAUDE_BIN, DIST_JITP, NO_CLIENT } from '../support/paths.js';
import { jitp } from '../worktree/helpers.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

function tasks(n: number): string {
  const file = join(repo.root, '..', 'tasks.json');
  writeFileSync(
    file,
    JSON.stringify(
      Array.from({ length: n }, (_, i) => ({
        id: `t${i + 1}`,
        title: `Task number ${i + 1}`,
        instructions: `TASK-MARK-${i + 1}`,
      })),
    ),
  );
  return file;
}

describe('spawn with a scripted agent command', () => {
  test('at most N at once, the rest queued; logs/results kept; leftovers committed', async () => {
    repo = makeRepo();
    expect((await jitp(repo.root, ['batch', 'load', tasks(5), '--json'])).code).toBe(0);
    const log = join(repo.root, '..', 'spans.log');
    // Each agent: note start/end, write a file in its worktree, print a result line.
    const cmd =
      `echo "start $JITP_ISSUE_ID $(date +%s%N)" >> ${JSON.stringify(log)}; sleep 0.3; grep -o ` +
      `'TASK-MARK-[0-9]*' {prompt_file} > made-by-agent.txt; echo "end $JITP_ISSUE_ID $(date +%s%N)" >> ` +
      `${JSON.stringify(log)}; echo "result for $JITP_ISSUE_ID"`;
    const r = await jitp(repo.root, ['spawn', '--max-parallel', '2', '--agent-cmd', cmd, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.agents.map((a: any) => a.state)).toEqual(['done', 'done', 'done', 'done', 'done']);
    // Concurrency never above 2.
    const events = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' '))
      .map(([k, id, t]) => ({ k, id, t: BigInt(t!) }));
    events.sort((a, b) => (a.t < b.t ? -1 : 1));
    let cur = 0;
    let peak = 0;
    for (const e of events) {
      cur += e.k === 'start' ? 1 : -1;
      peak = Math.max(peak, cur);
    }
    expect(peak).toBe(2);
    expect(r.stderr).toMatch(/\[t3\] started .*queued: t4,t5|queued: t5/);
    const batch = readBatch(repo.root)!;
    for (const i of batch.issues) {
      expect(i.agent).toMatchObject({ state: 'done', attempts: 1, exitCode: 0 });
      expect(readFileSync(i.agent.result!, 'utf8')).toBe(`result for ${i.id}\n`);
      expect(i.agent.log!.startsWith(batchRunDir(repo.root, batch.id))).toBe(true);
      // The agent's file was committed on the issue's branch, with the prompt's own marker.
      expect(repo.git('show', `${i.branch}:made-by-agent.txt`)).toBe(`TASK-MARK-${i.id.slice(1)}`);
      expect(repo.git('-C', i.worktree!, 'status', '--porcelain')).toBe('');
      // The prompt is the shared sub-agent prompt, bound to the issue's lease by its first line.
      const prompt = readFileSync(join(dirname(i.agent.log!), 'prompt-1.md'), 'utf8');
      expect(parseBindingLine(prompt)?.leaseId).toBe(i.leaseId);
      expect(prompt).toContain(i.worktree!);
    }
    // A second spawn has nothing left to do.
    const again = await jitp(repo.root, ['spawn', '--agent-cmd', 'exit 9', '--json']);
    expect(again.json.agents).toEqual([]);
  });

  test('a failing agent is marked failed with its log; retry runs it again as attempt 2', async () => {
    repo = makeRepo();
    await jitp(repo.root, ['batch', 'load', tasks(2)]);
    const r = await jitp(repo.root, [
      'spawn',
      '--agent-cmd',
      'if [ "$JITP_ISSUE_ID" = t2 ]; then echo boom >&2; exit 4; fi; echo ok',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const t2 = r.json.agents.find((a: any) => a.issue === 't2');
    expect(t2).toMatchObject({ state: 'failed', exitCode: 4 });
    expect(readFileSync(t2.log, 'utf8')).toBe('boom\n');
    const text = await jitp(repo.root, ['status']);
    expect(text.stdout).toMatch(/t2 .* failed/);
    const retry = await jitp(repo.root, [
      'retry',
      't2',
      '--agent-cmd',
      'echo fixed > fixed.txt; echo second',
      '--json',
    ]);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.json.agents).toEqual([expect.objectContaining({ issue: 't2', state: 'done' })]);
    const i = readBatch(repo.root)!.issues.find((x) => x.id === 't2')!;
    expect(i.agent).toMatchObject({ state: 'done', attempts: 2 });
    const files = readdirSync(dirname(i.agent.log!)).sort();
    expect(files).toEqual([
      'agent-1.log',
      'agent-2.log',
      'prompt-1.md',
      'prompt-2.md',
      'result-1.json',
      'result-2.json',
    ]);
    expect(repo.git('show', `${i.branch}:fixed.txt`)).toBe('fixed');
  });

  test('a long agent keeps its lease: renewed while it runs', async () => {
    repo = makeRepo();
    writeFileSync(join(repo.root, '.jit-parallel.yaml'), 'ttl: 3\n');
    repo.git('add', '.jit-parallel.yaml');
    repo.git('commit', '-qm', 'short ttl');
    await jitp(repo.root, ['batch', 'load', tasks(1)]);
    const { openLocalStore } = await import('../../src/store/open.js');
    const { discoverRepo } = await import('../../src/git/discover.js');
    const store = openLocalStore(discoverRepo(repo.root)!);
    const before = (await store.read()).leases[0]!;
    // Runs for 5 s: longer than the 3 s TTL; the lease must still be live at its end.
    // Read through jitp: the store's leases are its snapshot and its delta (store/local/state-delta.ts).
    const probe =
      `sleep 5; node ${JSON.stringify(DIST_JITP)} claim list --json | node -e 'let t="";process.stdin.on("data",` +
      `(d)=>t+=d).on("end",()=>{const l=JSON.parse(t).leases[0];` +
      `console.log(Date.parse(l.expiresAt)>Date.now()?"live":"expired")})'`;
    const r = await jitp(repo.root, ['spawn', '--agent-cmd', probe, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(r.json.agents[0].result, 'utf8').trim()).toBe('live');
    const after = (await store.read()).leases.find((l) => l.id === before.id)!;
    expect(Date.parse(after.renewedAt)).toBeGreaterThan(Date.parse(before.renewedAt));
  }, 30_000);

  test('an agent command that cannot start fails clearly', async () => {
    repo = makeRepo();
    await jitp(repo.root, ['batch', 'load', tasks(1)]);
    const r = await jitp(repo.root, ['spawn', '--json'], { JITP_CLAUDE_BIN: '/nonexistent/claude' });
    expect(r.code).toBe(1);
    expect(readFileSync(r.json.agents[0].log, 'utf8')).toContain('cannot start agent');
    expect(r.json.agents[0].summary).toContain('JITP_CLAUDE_BIN');
  });
});

describe.skipIf(NO_CLIENT)('spawn with the real claude binary', () => {
  test('default command: claude -p <prompt> in each worktree, JSON result kept, work committed', async () => {
    repo = makeRepo();
    const server = await startModelServer();
    try {
      const cwdOf = (ctx: TurnContext) => /Primary working directory: ([^\s\\]+)/.exec(JSON.stringify(ctx.body))![1]!;
      server.setScript(
        [1, 2].map((n) => ({
          name: `agent${n}`,
          match: firstUserIncludes(`TASK-MARK-${n}`),
          turns: [(ctx: TurnContext) => [writeFile(join(cwdOf(ctx), `out${n}.txt`), `agent ${n} was here\n`)]],
          finalText: `finished task ${n}`,
        })),
      );
      await jitp(repo.root, ['batch', 'load', tasks(2)]);
      const env = claudeEnv({
        ANTHROPIC_API_KEY: 'sk-ant-dummy',
        ANTHROPIC_BASE_URL: server.url,
        ANTHROPIC_MODEL: 'claude-sonnet-4-5',
        PATH: `${dirname(CLAUDE_BIN!)}:${process.env.PATH}`,
      });
      const r = await jitp(repo.root, ['spawn', '--max-parallel', '2', '--json'], env);
      expect(r.code, r.stderr + JSON.stringify(r.json)).toBe(0);
      for (const [n, a] of r.json.agents.entries()) {
        const res = JSON.parse(readFileSync(a.result, 'utf8'));
        expect(res).toMatchObject({ type: 'result', is_error: false, result: `finished task ${n + 1}` });
        expect(a.summary).toBe(`finished task ${n + 1}`);
        expect(a.committed).toMatch(/^[0-9a-f]{40}$/);
      }
      const b = readBatch(repo.root)!;
      for (const [n, i] of b.issues.entries()) {
        expect(repo.git('show', `${i.branch}:out${n + 1}.txt`)).toBe(`agent ${n + 1} was here`);
        expect(existsSync(join(repo.root, `out${n + 1}.txt`))).toBe(false);
      }
      // And the batch merges back.
      const m = await jitp(repo.root, ['merge', '--test', '', '--json']);
      expect(m.code, m.stderr).toBe(0);
      expect(readFileSync(join(repo.root, 'out2.txt'), 'utf8')).toBe('agent 2 was here\n');
    } finally {
      await server.close();
    }
  }, 120_000);
});
