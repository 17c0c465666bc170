// The WorktreeCreate handler through the shipped bundle, with hostile and malformed input.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { makeRepo, tempDir, type TempRepo } from '../support/git.js';
import { DIST_HOOK } from '../support/paths.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const create = (stdin: string, env: NodeJS.ProcessEnv = {}) => {
  const clean = { ...process.env };
  delete clean.CLAUDE_PROJECT_DIR;
  return spawnSync(process.execPath, [DIST_HOOK, 'worktree-create'], {
    input: stdin,
    encoding: 'utf8',
    env: { ...clean, ...env },
  });
};

describe('WorktreeCreate (bundle)', () => {
  test('malformed input creates nothing and exits 2', () => {
    repo = makeRepo();
    for (const input of ['{"torn', '[]', '{}', JSON.stringify({ cwd: repo.root })]) {
      const r = create(input);
      expect(r.status, input).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('no worktree created');
    }
    expect(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  });

  test('a hostile name stays inside .claude/worktrees; a non-repo cwd is refused', () => {
    repo = makeRepo();
    const r = create(
      JSON.stringify({
        hook_event_name: 'WorktreeCreate',
        cwd: repo.root,
        name: '../../evil\n"x"',
        transcript_path: '/nonexistent',
      }),
    );
    expect(r.status, r.stderr).toBe(0);
    const path = r.stdout.trim();
    expect(path.startsWith(join(repo.root, '.claude', 'worktrees') + '/')).toBe(true);
    expect(path.slice(join(repo.root, '.claude', 'worktrees').length + 1)).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(existsSync(path)).toBe(true);
    expect(repo.git('-C', path, 'rev-parse', 'HEAD')).toBe(repo.git('rev-parse', 'HEAD'));
    const d = tempDir();
    const n = create(JSON.stringify({ cwd: d, name: 'agent-x' }));
    expect(n.status).toBe(2);
    expect(n.stderr).toContain('not inside a git repository');
  });
});
