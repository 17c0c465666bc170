// GitHub issues end to end through the commands (in-process run()), with the fake gh on PATH:
// what jitp concludes, and the exact gh calls it made. No network.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/main.js';
import { GH_ISSUE_FIELDS } from '../../src/sources/github-map.js';
import { installFakeGh, type FakeGh } from '../support/fake-gh.js';
import { makeRepo, type TempRepo } from '../support/git.js';

const FIELDS = GH_ISSUE_FIELDS.join(',');
let repo: TempRepo;
let gh: FakeGh;

async function jitp(argv: string[], env: Record<string, string> = {}) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    env: { ...process.env, JIT_AGENT_ID: 'agent:gh-test', JITP_JIT_BIN: '', ...gh.env, ...env },
    cwd: repo.root,
    interactive: false,
  });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}

beforeEach(() => {
  repo = makeRepo({ 'README.md': '# textkit\n', 'src/csv.js': 'export {};\n' });
  repo.git('remote', 'add', 'origin', 'git@github.com:acme/textkit.git');
  gh = installFakeGh(join(repo.root, '..'));
});
afterEach(() => repo.cleanup());

describe('source: github', () => {
  test('jitp issues: open issues plus the closed ones they depend on, availability from real states', async () => {
    const r = await jitp(['issues', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = r.json();
    expect(j.source).toBe('github');
    const byId = Object.fromEntries(j.issues.map((i: { id: string }) => [i.id, i]));
    // #9 is ticked in #14's task list (done, by its author's word): not a dependency, not fetched.
    expect(Object.keys(byId)).toEqual(['7', '12', '13', '14', '15', '16']);
    expect(byId['12']).toMatchObject({ state: 'ready', priority: 'high', assignee: 'octocat', available: true });
    expect(byId['13']).toMatchObject({ available: false, unavailableReason: 'blocked by 12 (ready)' });
    expect(byId['14'].unavailableReason).toBe('blocked by 12 (ready), 15 (in_progress)');
    expect(byId['16']).toMatchObject({ available: true, dependencies: ['7'], declaredRisk: 'RED' }); // #7: not planned
    expect(byId['7']).toMatchObject({ state: 'rejected', available: false });
    // One list call, then one view per dependency outside the open list; nothing else.
    expect(gh.calls()).toEqual([
      ['issue', 'list', '--state', 'open', '--limit', '500', '--json', FIELDS],
      ['issue', 'view', '7', '--json', FIELDS],
    ]);
  });

  test('auto picks GitHub only with a GitHub origin and gh installed; github.repo becomes --repo', async () => {
    expect((await jitp(['issues', '--json'])).json().source).toBe('github');
    const noGh = await jitp(['issues', '--json'], { PATH: process.env.PATH! });
    expect(noGh.json().source).toBe('tasks');
    repo.git('remote', 'set-url', 'origin', 'https://gitlab.com/acme/textkit.git');
    expect((await jitp(['issues', '--json'])).json().source).toBe('tasks');
    writeFileSync(join(repo.root, '.jit-parallel.yaml'), 'source: github\ngithub:\n  repo: acme/textkit\n  limit: 3\n');
    const r = await jitp(['issues', '--json']);
    // gh lists newest first: #16, #15, #14; their dependencies #7, #12, #13 are viewed one by one.
    expect(r.json().issues.map((i: { id: string }) => i.id)).toEqual(['7', '12', '13', '14', '15', '16']);
    expect(r.json().problems).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining('only the first 3 open issues were read') }),
    );
    expect(gh.calls().slice(-3)).toEqual(
      ['7', '12', '13'].map((n) => ['issue', 'view', n, '--json', FIELDS, '--repo', 'acme/textkit']),
    );
    expect(gh.calls().at(-4)).toEqual([
      'issue',
      'list',
      '--state',
      'open',
      '--limit',
      '3',
      '--json',
      FIELDS,
      '--repo',
      'acme/textkit',
    ]);
  });

  test('a task folder wins over GitHub in auto mode (existing task users keep their source)', async () => {
    repo.write('.jit-parallel/tasks/t1.md', '---\nid: t1\n---\n# Task one\n');
    expect((await jitp(['issues', '--json'])).json().source).toBe('tasks');
    expect(gh.calls()).toEqual([]);
  });

  test('gh missing: exit 8 with the install link; logged out: exit 8 naming `gh auth login`', async () => {
    writeFileSync(join(repo.root, '.jit-parallel.yaml'), 'source: github\n');
    // A PATH with no gh on it (an empty folder): nothing else this command runs needs PATH.
    const missing = await jitp(['issues', '--json'], { PATH: join(repo.root, '..', 'no-such-bin') });
    expect(missing.code).toBe(8);
    expect(missing.json().error).toMatchObject({
      code: 'E_GH_MISSING',
      hint: expect.stringContaining('cli.github.com'),
    });
    gh.setAuth(false);
    const out = await jitp(['issues']);
    expect(out.code).toBe(8);
    expect(out.stderr).toContain('gh is not logged in');
    expect(out.stderr).toContain('gh auth login');
  });

  test('prompt, claim and issue done take #12 or 12; other ids are refused', async () => {
    const p = await jitp(['prompt', '#12', '--json']);
    expect(p.code).toBe(0);
    expect(p.json().prompt).toContain('Add CSV export');
    expect(p.json().prompt).toContain('quotes fields with commas');
    const a = await jitp(['claim', 'acquire', '#12', '--paths', 'src/csv.js', '--json']);
    expect(a.code).toBe(0);
    expect(a.json().lease.issueId).toBe('12');
    const again = await jitp(['claim', 'acquire', '12', '--paths', 'src/csv.js', '--json', '--agent', 'agent:other']);
    expect(again.code).toBe(3); // the same issue, typed the other way: held
    // Chosen by auto: a free-form id (a batch list's task) still claims; `source: github` refuses it.
    expect((await jitp(['claim', 'acquire', 'csv-export', '--json'])).code).toBe(0);
    writeFileSync(join(repo.root, '.jit-parallel.yaml'), 'source: github\n');
    const bad = await jitp(['claim', 'acquire', 'csv-export-2', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.json().error.code).toBe('E_BAD_ID');
    // Claims never call gh: no network on the claim path.
    expect(gh.calls().every((c) => c[1] === 'view')).toBe(true);
    const done = await jitp(['issue', 'done', '12', '--comment', 'Shipped in abc123', '--json']);
    expect(done.code).toBe(0);
    expect(done.json().issues[0]).toMatchObject({
      id: '12',
      via: 'gh',
      changed: true,
      releasedLeases: [expect.any(String)],
    });
    expect(gh.calls().at(-1)).toEqual([
      'issue',
      'close',
      '12',
      '--reason',
      'completed',
      '--comment',
      'Shipped in abc123',
    ]);
    expect(gh.state().issues.find((i) => i.number === 12)).toMatchObject({ state: 'CLOSED', stateReason: 'COMPLETED' });
    const twice = await jitp(['issue', 'done', '#12', '--json']);
    expect(twice.json().issues[0]).toMatchObject({ changed: false, note: 'already done' });
  });

  test('an unknown number is exit 4 with gh’s own message', async () => {
    const r = await jitp(['prompt', '404', '--json']);
    expect(r.code).toBe(4);
    expect(r.json().error.message).toContain('Could not resolve to an issue or pull request with the number of 404');
  });

  test('plan reads the same issues and plans the available ones', async () => {
    const r = await jitp(['plan', '--json']);
    expect(r.stderr).not.toContain('jitp:');
    expect(r.code).toBe(0);
    const ids = r
      .json()
      .issues.map((i: { id: string }) => i.id)
      .sort();
    expect(ids).toEqual(['12', '16']);
  });
});
