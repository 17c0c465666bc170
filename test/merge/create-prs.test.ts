// `jitp merge --strategy individual --create-prs` with GitHub issues: each ready branch is
// pushed to origin (a local bare repository) and gets its PR through the fake gh; the exact gh
// calls and the PR bodies are checked. No network. One batch for the file (two worktrees are the
// costly part); the tests run in order: logged out first, then the PRs, then the second run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { installFakeGh, type FakeGh } from '../support/fake-gh.js';
import { git, makeRepo, type TempRepo } from '../support/git.js';
import { jitp } from '../worktree/helpers.js';

let repo: TempRepo;
let gh: FakeGh;
let bare: string;
const env = () => ({ ...gh.env, JIT_AGENT_ID: 'agent:prs' });

beforeAll(async () => {
  repo = makeRepo({ 'README.md': '# textkit\n', 'src/csv.js': 'export {};\n', 'src/parse.js': 'export {};\n' });
  bare = join(repo.root, '..', 'origin.git');
  git(join(repo.root, '..'), 'init', '-q', '--bare', bare);
  repo.git('remote', 'add', 'origin', bare);
  repo.git('push', '-q', 'origin', 'main');
  writeFileSync(join(repo.root, '.jit-parallel.yaml'), 'source: github\ngithub:\n  repo: acme/textkit\n');
  repo.commit('config');
  gh = installFakeGh(join(repo.root, '..'));
  const r = await jitp(repo.root, ['worktree', 'add', '#12', '16', '--json'], env());
  expect(r.code, r.stderr).toBe(0);
  for (const w of r.json.worktrees as Array<{ issue: string; worktree: string }>) {
    const f = w.issue === '12' ? 'src/csv.js' : 'src/parse.js';
    mkdirSync(join(w.worktree, 'src'), { recursive: true });
    writeFileSync(join(w.worktree, f), `// work on #${w.issue}\n`);
    git(w.worktree, 'commit', '-qam', `work on #${w.issue}`);
  }
});
afterAll(() => repo.cleanup());

test('logged out: exit 8 naming `gh auth login`, and nothing pushed', async () => {
  gh.setAuth(false);
  const r = await jitp(repo.root, ['merge', '--strategy', 'individual', '--create-prs', '--json'], env());
  expect(r.code).toBe(8);
  expect(r.json.error).toMatchObject({ code: 'E_GH_AUTH', hint: expect.stringContaining('gh auth login') });
  expect(git(bare, 'for-each-ref', '--format=%(refname)', 'refs/heads')).toBe('refs/heads/main');
  gh.setAuth(true);
});

test('pushes each branch and opens one PR per issue, body linking the issue and what merge checked', async () => {
  const before = gh.calls().length;
  const r = await jitp(repo.root, ['merge', '--strategy', 'individual', '--create-prs', '--json'], env());
  expect(r.stderr).not.toContain('jitp:');
  expect(r.code).toBe(0);
  const prs = r.json.pullRequests as Array<{ issue: string; branch: string; url: string }>;
  expect(prs.map((p) => [p.issue, p.url])).toEqual([
    ['12', 'https://github.com/acme/textkit/pull/17'],
    ['16', 'https://github.com/acme/textkit/pull/18'],
  ]);
  // The branches are on origin, as GitHub needs them.
  for (const p of prs) expect(git(bare, 'rev-parse', `refs/heads/${p.branch}`)).toMatch(/^[0-9a-f]{40}$/);
  const calls = gh.calls().slice(before);
  expect(calls[0]).toEqual(['auth', 'status']);
  expect(calls.slice(1).map((c) => c.slice(0, 9))).toEqual([
    ['pr', 'create', '--base', 'main', '--head', prs[0]!.branch, '--title', '#12: Add CSV export', '--body'],
    ['pr', 'create', '--base', 'main', '--head', prs[1]!.branch, '--title', '#16: Refactor the parser', '--body'],
  ]);
  expect(calls.slice(1).map((c) => c.slice(10))).toEqual([
    ['--repo', 'acme/textkit'],
    ['--repo', 'acme/textkit'],
  ]);
  const body = calls[1]![9]!;
  expect(body.split('\n')).toEqual([
    'Closes #12',
    '',
    `Branch \`${prs[0]!.branch}\`: 1 commit, 1 file changed.`,
    '',
    'Checked by `jitp merge` (git merge-tree, nothing merged):',
    '- merges cleanly into `main`',
    '',
    'Files:',
    '- `src/csv.js`',
  ]);
  expect(gh.state().pulls).toHaveLength(2);
});

test('a second run reports gh refusing the duplicate PR per branch, exit 1; the first PRs stand', async () => {
  const again = await jitp(repo.root, ['merge', '--create-prs', '--json'], env());
  expect(again.code).toBe(1);
  expect(again.json.pullRequests.map((p: { url: string | null; error: string }) => [p.url, p.error])).toEqual([
    [null, expect.stringContaining('already exists')],
    [null, expect.stringContaining('already exists')],
  ]);
  expect(gh.state().pulls).toHaveLength(2);
});

test('--create-prs with --strategy consolidated is a usage error', async () => {
  const r = await jitp(repo.root, ['merge', '--strategy', 'consolidated', '--create-prs', '--json'], env());
  expect(r.code).toBe(2);
  expect(r.json.error.hint).toContain('--strategy individual --create-prs');
});
