// `jitp init` in real git repositories: a usable start (example task, commented config, union
// merge line, the jitp permission rule), idempotent, never overwriting, refusing a corrupt
// settings file before writing anything.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, test } from 'vitest';
import { addPermissionRules } from '../../src/core/claude-settings.js';
import { CONFIG_TEMPLATE } from '../../src/config/template.js';
import { configFromText, inspectConfigText } from '../../src/config/load.js';
import { GIT_ENV, makeRepo, tempDir, type TempRepo } from '../support/git.js';
import { jitp } from './support.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** An empty git repository: `git init`, no commit. */
function emptyRepo(): string {
  const root = join(tempDir(), 'repo');
  mkdirSync(root);
  execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root, env: { ...process.env, ...GIT_ENV } });
  return root;
}
function repo(files?: Record<string, string>): TempRepo {
  const r = makeRepo(files);
  cleanups.push(() => r.cleanup());
  return r;
}

/** Every file under root but .git, with its content. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(root, { recursive: true }) as string[]) {
    if (f === '.git' || f.startsWith('.git/')) continue;
    const p = join(root, f);
    if (statSync(p).isFile()) out[f] = readFileSync(p, 'utf8');
  }
  return out;
}

describe('jitp init', () => {
  test('empty repository: a usable start, `jitp issues` lists the example; a second run changes nothing', async () => {
    const root = emptyRepo();
    const r = await jitp(root, ['init', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const j = r.json();
    expect(j.changed).toBe(true);
    expect(j.steps.map((s: any) => [s.what, s.path, s.action])).toEqual([
      ['claude-settings', '.claude/settings.json', 'created'],
      ['gitattributes', '.gitattributes', 'created'],
      ['config', '.jit-parallel.yaml', 'created'],
      ['example-task', '.jit-parallel/tasks/example.md', 'created'],
    ]);
    expect(j.commit).toEqual([
      '.claude/settings.json',
      '.gitattributes',
      '.jit-parallel.yaml',
      '.jit-parallel/tasks/example.md',
    ]);
    expect(JSON.parse(readFileSync(join(root, '.claude/settings.json'), 'utf8'))).toEqual({
      permissions: { allow: ['Bash(jitp:*)'] },
    });
    expect(readFileSync(join(root, '.gitattributes'), 'utf8')).toBe('.jit/events.jsonl merge=union\n');
    const issues = await jitp(root, ['issues', '--json']);
    expect(issues.code, issues.stderr).toBe(0);
    expect(issues.json()).toMatchObject({ source: 'tasks', count: 1, problems: [] });
    expect(issues.json().issues[0]).toMatchObject({ id: 'example', state: 'ready', declaredFiles: ['README.md'] });
    // The config parses with the project's loader, with no problem at all.
    const cfg = await jitp(root, ['config', '--json']);
    expect(cfg.code, cfg.stdout + cfg.stderr).toBe(0);
    const before = snapshot(root);
    const again = await jitp(root, ['init', '--json']);
    expect(again.code).toBe(0);
    expect(again.json().changed).toBe(false);
    expect(again.json().steps.map((s: any) => s.action)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    expect(again.json().commit).toEqual([]);
    expect(snapshot(root)).toEqual(before);
    const text = await jitp(root, ['init']);
    expect(text.stdout).toContain('nothing to do');
  });

  test('the text output names each file and the exact commit command', async () => {
    const root = emptyRepo();
    const r = await jitp(root, ['init']);
    expect(r.stdout).toMatch(/^created\s+\.jit-parallel\/tasks\/example\.md\s+an example task/m);
    expect(r.stdout).toContain(`git -C ${root} add -- .claude/settings.json .gitattributes`);
    const h = await jitp(root, ['init', '--help']);
    for (const s of ['JSON:', '"steps"', 'Exit codes:', '--no-example', 'allowed-tools']) expect(h.stdout).toContain(s);
  });

  test("never overwrites: the user's settings keep every key, their config and attributes stay", async () => {
    const r = repo();
    const settings = {
      model: 'opus',
      env: { FOO: '1' },
      permissions: { allow: ['Bash(npm test:*)'], deny: ['Read(.env)'], defaultMode: 'acceptEdits' },
      hooks: { Stop: [{ hooks: [{ type: 'command', command: 'echo hi' }] }] },
    };
    r.write('.claude/settings.json', JSON.stringify(settings));
    r.write('.jit-parallel.yaml', 'policy: strict # mine\n');
    r.write('.gitattributes', '*.png binary');
    const res = await jitp(r.root, ['init', '--json']);
    expect(res.code, res.stderr).toBe(0);
    const after = JSON.parse(readFileSync(join(r.root, '.claude/settings.json'), 'utf8'));
    expect(after).toEqual({
      ...settings,
      permissions: { ...settings.permissions, allow: ['Bash(npm test:*)', 'Bash(jitp:*)'] },
    });
    expect(Object.keys(after)).toEqual(Object.keys(settings));
    expect(readFileSync(join(r.root, '.jit-parallel.yaml'), 'utf8')).toBe('policy: strict # mine\n');
    expect(readFileSync(join(r.root, '.gitattributes'), 'utf8')).toBe('*.png binary\n.jit/events.jsonl merge=union\n');
    expect(res.json().steps.map((s: any) => [s.what, s.action])).toEqual([
      ['claude-settings', 'updated'],
      ['gitattributes', 'updated'],
      ['config', 'unchanged'],
      ['example-task', 'created'],
    ]);
    // Already holding the rule: the file is not even rewritten (its formatting stays).
    const formatted = '{ "permissions": { "allow": [ "Bash(jitp:*)" ] }, "x": 1 }';
    r.write('.claude/settings.json', formatted);
    await jitp(r.root, ['init']);
    expect(readFileSync(join(r.root, '.claude/settings.json'), 'utf8')).toBe(formatted);
  });

  test.each([
    ['a torn object', '{\n  "permissions": {\n    "allow": ["Bash(git:*)",\n', 4],
    ['a stray comma', '{\n  "model": "opus",\n}\n', 3],
    ['allow is a string', '{\n  "permissions": {\n    "allow": "Bash(*)"\n  }\n}\n', 3],
    ['permissions is a list', '{\n  "x": 1,\n  "permissions": []\n}\n', 3],
    ['a list at the top', '[1, 2]\n', 1],
  ])(
    'a corrupt .claude/settings.json (%s): exit 8 naming the file and line; nothing written',
    async (_n, text, line) => {
      const r = repo();
      r.write('.claude/settings.json', text);
      const before = snapshot(r.root);
      const res = await jitp(r.root, ['init', '--json']);
      expect(res.code).toBe(8);
      const err = res.json().error;
      expect(err.message).toContain(join(r.root, '.claude', 'settings.json'));
      expect(err.message).toContain(`line ${line},`);
      expect(err.hint).toContain('nothing was changed');
      expect(snapshot(r.root)).toEqual(before);
    },
  );

  test('a folder where a file belongs: exit 2, nothing written', async () => {
    const r = repo();
    mkdirSync(join(r.root, '.claude', 'settings.json'), { recursive: true });
    const before = snapshot(r.root);
    const res = await jitp(r.root, ['init']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('is not a readable file');
    expect(snapshot(r.root)).toEqual(before);
    const r2 = repo();
    mkdirSync(join(r2.root, '.jit-parallel.yaml'));
    expect((await jitp(r2.root, ['init'])).code).toBe(2);
    expect(snapshot(r2.root)).toEqual({ 'README.md': '# test\n' });
  });

  test('the example only where task files are the source', async () => {
    // A jit store: no example.
    const j = repo({ 'README.md': '#\n', '.jit/issues/.keep': '' });
    const rj = await jitp(j.root, ['init', '--json']);
    expect(rj.json().steps[3]).toMatchObject({ action: 'skipped', detail: expect.stringContaining('jit store') });
    // --no-example.
    const n = repo();
    const rn = await jitp(n.root, ['init', '--no-example', '--json']);
    expect(rn.json().steps[3]).toMatchObject({ action: 'skipped', detail: '--no-example' });
    expect(snapshot(n.root)['.jit-parallel/tasks/example.md']).toBeUndefined();
    // Tasks already there: left alone.
    const t = repo({ 'README.md': '#\n', '.jit-parallel/tasks/T-1.md': '---\nid: T-1\n---\nx\n' });
    const rt = await jitp(t.root, ['init', '--json']);
    expect(rt.json().steps[3]).toMatchObject({ action: 'skipped', detail: expect.stringContaining('1 task file') });
    // A configured tasksDir: the example goes there.
    const c = repo({ 'README.md': '#\n', '.jit-parallel.yaml': 'tasksDir: work/todo/\n' });
    const rc = await jitp(c.root, ['init', '--json']);
    expect(rc.json().steps[3]).toMatchObject({ action: 'created', path: 'work/todo/example.md' });
    expect((await jitp(c.root, ['issues', '--json'])).json().issues.map((i: any) => i.id)).toEqual(['example']);
    // GitHub issues as the source (auto: origin on GitHub and gh on PATH): no example.
    const g = repo();
    g.git('remote', 'add', 'origin', 'https://github.com/o/r.git');
    const bin = tempDir();
    writeFileSync(join(bin, 'gh'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const rg = await jitp(g.root, ['init', '--json'], { PATH: `${bin}:${process.env.PATH}` });
    expect(rg.json().steps[3]).toMatchObject({ action: 'skipped', detail: expect.stringContaining('GitHub') });
  });

  test('from a linked worktree: the main checkout is set up', async () => {
    const r = repo();
    const wt = r.addWorktree('side');
    const res = await jitp(wt, ['init', '--json']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.json().root).toBe(r.root);
    expect(snapshot(r.root)['.jit-parallel.yaml']).toBe(CONFIG_TEMPLATE);
    expect(snapshot(wt)['.jit-parallel.yaml']).toBeUndefined();
  });
});

describe('the commented configuration', () => {
  const uncommented = CONFIG_TEMPLATE.split('\n')
    // A value line: `# key: value` (top level) or `#   key: value` (nested); prose stays commented.
    .filter((l) => /^# {0,3}[A-Za-z]+:( |$)/.test(l))
    .map((l) => l.replace(/^# /, ''))
    .join('\n');

  test('as written: no problem, exactly the defaults', () => {
    const r = inspectConfigText({ file: '.jit-parallel.yaml', text: CONFIG_TEMPLATE, explicit: false } as never);
    expect(r.problems).toEqual([]);
    expect(r.config).toEqual(configFromText(undefined, 'x').config);
  });

  test('every value line uncommented: still exactly the defaults (the shown defaults are true)', () => {
    const raw = parseYaml(uncommented) as Record<string, unknown>;
    const r = inspectConfigText({ file: '.jit-parallel.yaml', text: uncommented, explicit: false } as never);
    expect(r.problems).toEqual([]);
    expect(r.config).toEqual(configFromText(undefined, 'x').config);
    // Every key of the schema is shown: each default's key is in the uncommented file.
    const keys = (o: unknown, p = ''): string[] =>
      o && typeof o === 'object' && !Array.isArray(o)
        ? Object.entries(o).flatMap(([k, v]) => keys(v, p ? `${p}.${k}` : k))
        : [p];
    expect(keys(raw).sort()).toEqual(keys(configFromText(undefined, 'x').config).sort());
  });
});

describe('addPermissionRules', () => {
  test.each([
    ['', { permissions: { allow: ['R'] } }, ['R']],
    ['{}', { permissions: { allow: ['R'] } }, ['R']],
    ['{"a":1,"permissions":{"deny":["X"]}}', { a: 1, permissions: { deny: ['X'], allow: ['R'] } }, ['R']],
    ['{"permissions":{"allow":["Q"]}}', { permissions: { allow: ['Q', 'R'] } }, ['R']],
    ['{"permissions":{"allow":["R"]}}', { permissions: { allow: ['R'] } }, []],
  ])('%s', (text, want, added) => {
    const r = addPermissionRules(text, ['R']);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(JSON.parse(r.text || '{}')).toEqual(want);
    expect(r.added).toEqual(added);
    if (!added.length) expect(r.text).toBe(text);
  });
  test('located errors', () => {
    expect(addPermissionRules('{\n  "a": 1,\n  oops\n}', ['R'])).toMatchObject({ ok: false, line: 3 });
    expect(addPermissionRules('{\n"permissions": {\n"allow": 7}}', ['R'])).toMatchObject({ ok: false, line: 3 });
    expect(addPermissionRules('null', ['R'])).toMatchObject({ ok: false, line: 1 });
  });
});
