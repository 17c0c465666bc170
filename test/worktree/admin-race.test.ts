// git's own worktree race, made deterministic: while `git worktree add` is half done, its admin
// folder holds an empty `commondir`, and every git command that lists worktrees then fails
// ("failed to read .git/worktrees/<x>/commondir"). worktreeAdmin serialises jitp's own adds and
// removes; listWorktrees (read-only, never waits for a checkout) retries that one error.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { git, outcome } from '../../src/platform/git.js';
import { listWorktrees, worktreeAdmin } from '../../src/worktree/git.js';
import { makeRepo, type TempRepo } from '../support/git.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

/** The state a parallel `git worktree add` leaves for a moment: admin folder, empty commondir. */
function halfMade(r: TempRepo, name: string): { finish(): void } {
  const admin = join(r.root, '.git', 'worktrees', name);
  mkdirSync(admin, { recursive: true });
  writeFileSync(join(admin, 'gitdir'), `${join(r.root, '..', `wt-${name}`, '.git')}\n`);
  writeFileSync(join(admin, 'commondir'), '');
  return { finish: () => writeFileSync(join(admin, 'commondir'), '../..\n') };
}

describe('the half-made worktree', () => {
  it('breaks git commands that list worktrees (the race this guards against is real)', async () => {
    repo = makeRepo();
    halfMade(repo, 'x');
    const r = await git(repo.root, outcome(['worktree', 'add', '-b', 'b1', join(repo.root, '..', 'wt-b1')]));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/failed to read .*worktrees\/x\/commondir/);
  });

  it('listWorktrees waits it out when it is finished moments later', async () => {
    repo = makeRepo();
    const h = halfMade(repo, 'x');
    setTimeout(() => h.finish(), 200);
    const list = await listWorktrees(repo.root);
    expect(list[0]!.path).toBe(repo.root);
  });

  it('listWorktrees fails with a git error naming the entry when it stays broken', async () => {
    repo = makeRepo();
    halfMade(repo, 'x');
    await expect(listWorktrees(repo.root)).rejects.toMatchObject({
      code: 'E_GIT',
      message: expect.stringMatching(/worktrees\/x\/commondir/),
    });
  });

  it('an add under worktreeAdmin waits for an add in progress under it, and succeeds', async () => {
    repo = makeRepo();
    const r = repo;
    const commonDir = join(r.root, '.git');
    const order: string[] = [];
    const first = worktreeAdmin(commonDir, async () => {
      const h = halfMade(r, 'first');
      order.push('first started');
      await new Promise((res) => setTimeout(res, 300));
      h.finish();
      order.push('first done');
    });
    await new Promise((res) => setTimeout(res, 50));
    const second = worktreeAdmin(commonDir, async () => {
      order.push('second started');
      return git(r.root, outcome(['worktree', 'add', '-q', '-b', 'b2', join(r.root, '..', 'wt-b2')]));
    });
    const [, added] = await Promise.all([first, second]);
    expect(order).toEqual(['first started', 'first done', 'second started']);
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
  });
});
