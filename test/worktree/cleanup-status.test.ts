// `jitp cleanup` and `jitp status` on real worktrees: cleanup removes only merged, clean work;
// refuses untracked files and unmerged commits unless --force (listing the loss first); prunes
// stale records; releases leases. Status joins lease, git and agent state.
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, test } from 'vitest';
import { discoverRepo } from '../../src/git/discover.js';
import { openLocalStore } from '../../src/store/open.js';
import { readBatch } from '../../src/worktree/batch.js';
import { identityFile } from '../../src/worktree/create.js';
import { DIST_HOOK } from '../support/paths.js';
import type { TempRepo } from '../support/git.js';
import { jitp, repoWithIssues, U1, U2, U3 } from './helpers.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const live = async () =>
  (await openLocalStore(discoverRepo(repo.root)!).read()).leases.filter((l) => Date.parse(l.expiresAt) > Date.now());

async function setup() {
  repo = repoWithIssues([
    { id: U1, title: 'merged one' },
    { id: U2, title: 'unmerged two' },
    { id: U3, title: 'untracked three' },
  ]);
  const r = await jitp(repo.root, ['worktree', 'add', U1, U2, U3, '--json']);
  const wt: Record<string, string> = {};
  for (const w of r.json.worktrees) wt[w.issue] = w.worktree;
  for (const id of [U1, U2]) {
    writeFileSync(join(wt[id]!, `${id.slice(0, 4)}.txt`), 'work\n');
    repo.git('-C', wt[id]!, 'add', '-A');
    repo.git('-C', wt[id]!, 'commit', '-qm', `work ${id.slice(0, 4)}`);
  }
  // Merge only U1 (by hand: cleanup judges by git, not by the batch's word).
  repo.git('merge', '-q', '--no-ff', '--no-edit', 'jit/11111111-merged-one');
  writeFileSync(join(wt[U3]!, 'notes.txt'), 'not committed anywhere\n');
  return wt;
}

describe('cleanup', () => {
  test('removes merged work, refuses unmerged and untracked, releases only what it removed', async () => {
    const wt = await setup();
    expect((await live()).map((l) => l.issueId).sort()).toEqual([U1, U2, U3].sort());
    const dry = await jitp(repo.root, ['cleanup', '--dry-run', '--json']);
    expect(dry.json.refused.map((r: any) => r.issue).sort()).toEqual([U2, U3].sort());
    expect(existsSync(wt[U1]!)).toBe(true);
    const r = await jitp(repo.root, ['cleanup', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.cleaned).toEqual([
      expect.objectContaining({ issue: U1, removedWorktree: true, deletedBranch: true, releasedLease: true }),
    ]);
    const reasons = Object.fromEntries(r.json.refused.map((x: any) => [x.issue, x.reasons.join(' ')]));
    expect(reasons[U2]).toContain('not merged');
    expect(reasons[U3]).toContain('notes.txt');
    expect(existsSync(wt[U1]!)).toBe(false);
    expect(existsSync(join(wt[U3]!, 'notes.txt'))).toBe(true);
    expect(repo.git('branch', '--list', 'jit/22222222-unmerged-two')).not.toBe('');
    expect((await live()).map((l) => l.issueId).sort()).toEqual([U2, U3].sort());
    const text = await jitp(repo.root, ['cleanup']);
    expect(text.stdout).toContain('refused 33333333');
    expect(text.stdout).toContain('jitp cleanup --force');
  });

  test('--force lists what will be lost on stderr, then removes everything', async () => {
    const wt = await setup();
    const r = await jitp(repo.root, ['cleanup', '--force', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('untracked: notes.txt');
    expect(r.stderr).toMatch(/commit only on jit\/22222222-unmerged-two: [0-9a-f]+ work 2222/);
    for (const w of Object.values(wt)) expect(existsSync(w)).toBe(false);
    expect(repo.git('branch', '--list', 'jit/*')).toBe('');
    expect(await live()).toEqual([]);
    expect(r.json.batchArchived).toBe(true);
    expect(readBatch(repo.root)).toBeUndefined();
  });

  test('prunes the record of a worktree folder deleted by hand', async () => {
    repo = repoWithIssues([{ id: U1, title: 'gone' }]);
    const r = await jitp(repo.root, ['worktree', 'add', U1, '--json']);
    rmSync(r.json.worktrees[0].worktree, { recursive: true, force: true });
    expect(repo.git('worktree', 'list', '--porcelain')).toContain('prunable');
    const l = await jitp(repo.root, ['worktree', 'list', '--json']);
    expect(l.json.worktrees[0]).toMatchObject({ prunable: true });
    const c = await jitp(repo.root, ['cleanup', '--json']);
    expect(c.json.pruned.join(' ')).toContain('11111111-gone');
    expect(repo.git('worktree', 'list', '--porcelain')).not.toContain('prunable');
    // The branch had no commits beyond the base, so it counts as merged and goes too.
    expect(c.json.cleaned).toEqual([expect.objectContaining({ issue: U1, deletedBranch: true })]);
  });
});

describe('cleanup of worktrees outside the batch (.claude/worktrees/)', () => {
  /** What `jitp worktree add` leaves in a worktree's git dir (create.ts). */
  const markJitpMade = (wt: string, issueId: string) => {
    const gitDir = repo.git('-C', wt, 'rev-parse', '--absolute-git-dir').trim();
    mkdirSync(join(gitDir, 'jit-parallel'), { recursive: true });
    const ident = { issueId, agentId: 'agent:claude', branch: 'b', base: 'HEAD', batchId: 'B1', leaseId: null };
    writeFileSync(identityFile(gitDir), `${JSON.stringify(ident)}\n`);
  };
  test("jitp-made: merged and clean removed, untracked refused; the user's own kept, in any state", async () => {
    repo = repoWithIssues([]);
    const dir = join(repo.root, '.claude', 'worktrees');
    const clean = join(dir, 'agent-a1');
    const busy = join(dir, 'agent-b2');
    const mine = join(dir, 'my-feature'); // `claude -w my-feature`: merged and clean, still the user's
    repo.git('worktree', 'add', '-q', '-b', 'worktree-agent-a1', clean);
    repo.git('worktree', 'add', '-q', '-b', 'worktree-agent-b2', busy);
    repo.git('worktree', 'add', '-q', '-b', 'worktree-my-feature', mine);
    markJitpMade(clean, 'i1');
    markJitpMade(busy, 'i2');
    writeFileSync(join(busy, 'draft.md'), 'unsaved thoughts\n');
    const dry = await jitp(repo.root, ['cleanup', '--dry-run', '--json']);
    expect(dry.json.kept).toEqual([mine]);
    const r = await jitp(repo.root, ['cleanup', '--json']);
    expect(r.code).toBe(1);
    expect(r.json.cleaned).toEqual([
      expect.objectContaining({ issue: null, worktree: clean, removedWorktree: true, deletedBranch: true }),
    ]);
    expect(r.json.refused).toEqual([
      expect.objectContaining({ issue: null, short: busy, reasons: [expect.stringContaining('draft.md')] }),
    ]);
    expect(r.json.kept).toEqual([mine]);
    expect(existsSync(clean)).toBe(false);
    expect(existsSync(join(busy, 'draft.md'))).toBe(true);
    expect(existsSync(mine)).toBe(true);
    expect(repo.git('branch', '--list', 'worktree-*')).toContain('worktree-my-feature');
    expect((await jitp(repo.root, ['cleanup'])).stdout).toContain(`kept ${mine}: not made by jitp`);
  });
});

describe("cleanup of the hooks' sub-agent records", () => {
  test('prunes those of finished sub-agents; keeps the bound and the possibly running', async () => {
    repo = repoWithIssues([]);
    const store = openLocalStore(discoverRepo(repo.root)!);
    const L = await store.acquire({ issueId: 'issue-l', agentId: 'agent:claude', paths: ['a.txt'] });
    await store.bind(L.id, L.bindSecret!, 'aBOUND');
    const agents = join(repo.root, '.git', 'jit-parallel', 'agents');
    mkdirSync(agents, { recursive: true });
    const put = (name: string, rec: unknown, ageMs = 0) => {
      const f = join(agents, name);
      writeFileSync(f, `${JSON.stringify(rec)}\n`);
      const t = new Date(Date.now() - ageMs);
      utimesSync(f, t, t);
    };
    const at = new Date().toISOString();
    const DAY = 24 * 3600 * 1000;
    put('aBOUND.json', { lease: L.id, at, via: 'prompt', stoppedAt: at }); // stopped, but its lease is live
    put('aBOUND.start.json', { at });
    put('aSTOPPED.json', { lease: null, at, stoppedAt: at });
    put('aSTOPPED.start.json', { at });
    put('aRUNNING.start.json', { at }); // started, no call while live yet: may still run
    put('aOLD.start.json', { at }, 2 * DAY);
    put('aOLDREC.json', { lease: 'L-gone00', at }, 2 * DAY);
    const dry = await jitp(repo.root, ['cleanup', '--dry-run', '--json']);
    expect(dry.json.bindRecords.pruned).toEqual(['aOLD', 'aOLDREC', 'aSTOPPED']);
    expect(readdirSync(agents)).toHaveLength(7); // a dry run removes nothing
    const r = await jitp(repo.root, ['cleanup', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.json.bindRecords.pruned).toEqual(['aOLD', 'aOLDREC', 'aSTOPPED']);
    expect(r.json.bindRecords.kept).toEqual([
      { agentId: 'aBOUND', why: 'bound to a live lease' },
      { agentId: 'aRUNNING', why: expect.stringMatching(/may still be running/) },
    ]);
    expect(readdirSync(agents).sort()).toEqual(['aBOUND.json', 'aBOUND.start.json', 'aRUNNING.start.json']);
    // Once its lease is released, the stopped sub-agent's records go too.
    await store.release({ issueId: 'issue-l', agentId: 'agent:claude' });
    expect((await jitp(repo.root, ['cleanup', '--json'])).json.bindRecords.pruned).toEqual(['aBOUND']);
  });
});

describe('status', () => {
  test('per issue: lease holder and time left, ahead/behind, dirty, disk, agent, merge readiness', async () => {
    await setup();
    const r = await jitp(repo.root, ['status', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const by = Object.fromEntries(r.json.issues.map((i: any) => [i.issue, i]));
    expect(by[U2].lease).toMatchObject({ holder: 'agent:jitp-22222222' });
    expect(by[U2].lease.secondsLeft).toBeGreaterThan(1000);
    expect(by[U2].worktree).toMatchObject({ ahead: 1, dirty: false, exists: true });
    expect(by[U2].worktree.diskKb).toBeGreaterThan(0);
    expect(by[U2].merge).toMatchObject({ ready: true });
    expect(by[U3].worktree).toMatchObject({ ahead: 0, dirty: true, untracked: 1 });
    expect(by[U3].merge.ready).toBe(false);
    expect(by[U3].merge.detail).toContain('uncommitted');
    expect(by[U1].merge.ready).toBe(false); // already in main
    expect(by[U1].agent).toEqual({ state: 'pending', attempts: 0, exitCode: null });
    const text = await jitp(repo.root, ['status']);
    expect(text.stdout).toContain('agent:jitp-22222222');
    expect(text.stdout).toMatch(/33333333 .* dirty\(0M 1U\)/);
    const watch = await jitp(repo.root, ['status', '--watch', '--frames', '2', '--interval', '0.05', '--no-disk']);
    expect(watch.code).toBe(0);
    expect(watch.stderr.match(/issue\s+title\s+lease/g)).toHaveLength(2);
  });

  test('no batch: says how to start one', async () => {
    repo = repoWithIssues([]);
    const r = await jitp(repo.root, ['status']);
    expect(r.stdout).toContain('jitp worktree add');
  });
});

describe('WorktreeRemove hook (bundle)', () => {
  const hook = (input: object) =>
    execFileSync(process.execPath, [DIST_HOOK, 'worktree-remove'], { input: JSON.stringify(input), encoding: 'utf8' });
  test('keeps a worktree with untracked work and says so; removes a clean one (branch kept if unmerged)', async () => {
    repo = repoWithIssues([
      { id: U1, title: 'keep' },
      { id: U2, title: 'clean' },
    ]);
    const r = await jitp(repo.root, ['worktree', 'add', U1, U2, '--json']);
    const [w1, w2] = r.json.worktrees.map((w: any) => w.worktree);
    writeFileSync(join(w1, 'draft.txt'), 'draft\n');
    const out = hook({ hook_event_name: 'WorktreeRemove', worktree_path: w1 });
    expect(JSON.parse(out).systemMessage).toContain('kept');
    expect(existsSync(join(w1, 'draft.txt'))).toBe(true);
    writeFileSync(join(w2, 'c.txt'), 'c\n');
    repo.git('-C', w2, 'add', '-A');
    repo.git('-C', w2, 'commit', '-qm', 'c');
    expect(hook({ hook_event_name: 'WorktreeRemove', worktree_path: w2 })).toBe('');
    expect(existsSync(w2)).toBe(false);
    expect(repo.git('branch', '--list', 'jit/22222222-clean')).not.toBe('');
  });
});

describe('bad input and moved bases', () => {
  test('a corrupt batch file: clear error naming the file, nothing changed', async () => {
    repo = repoWithIssues([{ id: U1, title: 'x' }]);
    await jitp(repo.root, ['worktree', 'add', U1]);
    const file = join(repo.root, '.jit-parallel', 'batch.yaml');
    writeFileSync(file, 'version: 1\nissues: [ {torn');
    for (const argv of [['status'], ['worktree', 'list'], ['merge', '--dry-run'], ['cleanup']]) {
      const r = await jitp(repo.root, argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr).toContain(file);
    }
    const j = await jitp(repo.root, ['status', '--json']);
    expect(j.json.error.code).toBe('E_BATCH_CORRUPT');
    expect(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(2);
  });

  test('an integration branch rewritten under the batch is flagged', async () => {
    repo = repoWithIssues([{ id: U1, title: 'x' }]);
    repo.write('extra.txt', 'x\n');
    repo.commit('will be dropped');
    await jitp(repo.root, ['worktree', 'add', U1]);
    expect((await jitp(repo.root, ['status', '--json', '--no-disk'])).json.batch.baseInIntegration).toBe(true);
    repo.git('reset', '-q', '--hard', 'HEAD~1');
    repo.write('other.txt', 'y\n');
    repo.commit('rewritten history');
    const s = await jitp(repo.root, ['status', '--no-disk']);
    expect(s.stdout).toContain('is no longer in main');
  });

  test('outside a repository: exit 7 with a hint', async () => {
    const { tempDir } = await import('../support/git.js');
    const d = tempDir();
    const r = await jitp(d, ['status']);
    expect(r.code).toBe(7);
    expect(r.stderr).toContain('git init');
    rmSync(d, { recursive: true, force: true });
  });
});
