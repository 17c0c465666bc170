// One identity everywhere (issue 14, item 6): `worktree add` honours JIT_AGENT_ID and uses the
// caller's own claim on the issue; someone else's lease is "held by X" with what to do.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { discoverRepo } from '../../src/git/discover.js';
import { openLocalStore } from '../../src/store/open.js';
import type { TempRepo } from '../support/git.js';
import { jitp, repoWithIssues, U1, U2 } from './helpers.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const leases = async (r: TempRepo) => (await openLocalStore(discoverRepo(r.root)!).read()).leases;
const NO_ID = { JIT_AGENT_ID: undefined, HOME: '/nonexistent-home' } as NodeJS.ProcessEnv;

describe('worktree add and the caller identity', () => {
  test('JIT_AGENT_ID is the worktree lease holder', async () => {
    repo = repoWithIssues([{ id: U1, title: 'One' }]);
    const r = await jitp(repo.root, ['worktree', 'add', U1, '--json'], { ...NO_ID, JIT_AGENT_ID: 'agent:bob' });
    expect(r.code, r.stderr).toBe(0);
    expect((await leases(repo)).find((l) => l.issueId === U1)?.agentId).toBe('agent:bob');
  });

  test("the caller's own claim is the worktree's lease (same id), not a refusal as held", async () => {
    repo = repoWithIssues([
      { id: U1, title: 'One' },
      { id: U2, title: 'Two' },
    ]);
    // The session claimed with no identity set: the default; then asks for worktrees.
    const c = await jitp(repo.root, ['claim', 'acquire', U1, '--paths', 'src/a.txt', '--json'], NO_ID);
    expect(c.code, c.stderr).toBe(0);
    expect(c.json.lease.agentId).toBe('agent:claude');
    const r = await jitp(repo.root, ['worktree', 'add', U1, U2, '--json'], NO_ID);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.worktrees[0].lease.id).toBe(c.json.lease.id);
    const ls = await leases(repo);
    expect(ls.filter((l) => l.issueId === U1)).toHaveLength(1);
    // The claim now says where it is worked (verify and finish go by it).
    expect(ls.find((l) => l.issueId === U1)).toMatchObject({
      worktree: r.json.worktrees[0].worktree,
      branch: r.json.worktrees[0].branch,
      paths: ['src/a.txt'],
    });
    // An issue the caller had not claimed still gets the worktree's own identity.
    expect(ls.find((l) => l.issueId === U2)?.agentId).toBe('agent:jitp-22222222');
  });

  test("another agent's claim still refuses (exit 3, held by it), and nothing is created", async () => {
    repo = repoWithIssues([{ id: U1, title: 'One' }]);
    await jitp(repo.root, ['claim', 'acquire', U1, '--paths', 'src/a.txt'], { ...NO_ID, JIT_AGENT_ID: 'agent:eve' });
    const r = await jitp(repo.root, ['worktree', 'add', U1], NO_ID);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('held by agent:eve');
    expect(existsSync(join(repo.root, '..', 'repo.worktrees', '11111111-one'))).toBe(false);
    expect((await leases(repo)).map((l) => l.agentId)).toEqual(['agent:eve']);
  });

  test('a reused claim survives a rolled-back worktree (its lease is not released)', async () => {
    repo = repoWithIssues([{ id: U1, title: 'One' }], {
      '.jit-parallel.yaml': 'worktree:\n  postCreate: "exit 3"\n',
    });
    const c = await jitp(repo.root, ['claim', 'acquire', U1, '--paths', 'src/a.txt', '--json'], NO_ID);
    const r = await jitp(repo.root, ['worktree', 'add', U1], NO_ID);
    expect(r.code).toBe(1);
    expect((await leases(repo)).map((l) => [l.id, l.worktree])).toEqual([[c.json.lease.id, null]]);
  });
});

describe("someone else's lease: held by X, with what to do", () => {
  test.each([['release'], ['renew'], ['extend']])('claim %s', async (verb) => {
    repo = repoWithIssues([{ id: U1, title: 'One' }]);
    const a = await jitp(repo.root, ['claim', 'acquire', U1, '--paths', 'src/a.txt', '--json'], {
      ...NO_ID,
      JIT_AGENT_ID: 'agent:eve',
    });
    const args = verb === 'extend' ? ['--paths', 'src/b.txt'] : [];
    const r = await jitp(repo.root, ['claim', verb, U1, ...args], NO_ID);
    expect(r.code).toBe(6);
    expect(r.stderr).toContain(`is held by agent:eve (lease ${a.json.lease.id}`);
    expect(r.stderr).toContain('not by agent:claude');
    expect(r.stderr).toContain('--agent agent:eve');
    expect(r.stderr).not.toMatch(/lease lost|acquire it again/);
    // Nothing changed: the lease is still eve's.
    expect((await leases(repo)).map((l) => [l.id, l.agentId])).toEqual([[a.json.lease.id, 'agent:eve']]);
  });
});
