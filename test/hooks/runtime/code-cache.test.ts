// The hook's V8 code cache (src/hooks/runtime/code-cache.ts) is only a speed-up: through the real
// front door, the answer with a cache (absent, present, damaged, unwritable, switched off) must be
// the answer without one, with nothing on stderr, and a damaged cache must be replaced.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codeCacheDir } from '../../../src/hooks/runtime/code-cache.js';
import { LocalLeaseStore } from '../../../src/store/local/local-store.js';
import { makeRepo, tempDir, type TempRepo } from '../../support/git.js';
import { DIST_HOOK } from '../../support/paths.js';

let repo: TempRepo;
const work = tempDir('jitp-v8-');

beforeAll(async () => {
  repo = makeRepo({ 'src/a.ts': 'a\n', 'src/free.ts': 'f\n', '.jit-parallel.yaml': 'ttl: 30m\n' });
  const store = new LocalLeaseStore({ storeDir: join(repo.root, '.git', 'jit-parallel') });
  await store.acquire({ issueId: 'issue-a', agentId: 'agent:other', paths: ['src/a.ts'] });
});
afterAll(() => {
  repo?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

const edit = (file: string) => ({
  session_id: 's',
  transcript_path: join(repo.root, 'nowhere.jsonl'),
  cwd: repo.root,
  hook_event_name: 'PreToolUse',
  tool_name: 'Edit',
  tool_input: { file_path: join(repo.root, file), old_string: 'a', new_string: 'b' },
});
const bash = (command: string) => ({ ...edit('src/a.ts'), tool_name: 'Bash', tool_input: { command } });

function hook(input: object, env: Record<string, string | undefined>) {
  const r = spawnSync(process.execPath, [DIST_HOOK, 'pre-tool-use'], {
    input: JSON.stringify(input),
    cwd: repo.root,
    encoding: 'utf8',
    env: { ...process.env, JITP_CODE_CACHE: undefined, JITP_CODE_CACHE_DIR: undefined, ...env },
  });
  expect(r.status).toBe(0);
  expect(r.stderr).toBe('');
  return r.stdout;
}

let calls: object[];
let reference: string[];

describe('through dist/hook.cjs', () => {
  test('without a cache: the reference answers (a deny, an allow, a Bash deny, a Bash allow)', () => {
    calls = [edit('src/a.ts'), edit('src/free.ts'), bash('echo x > src/a.ts'), bash('cat src/free.ts')];
    reference = calls.map((c) => hook(c, { JITP_CODE_CACHE: '0', HOME: join(work, 'home-off') }));
    expect(reference[0]).toContain('"deny"');
    expect(reference[1]).toBe('');
    expect(reference[2]).toContain('"deny"');
    expect(reference[3]).toBe('');
    expect(existsSync(join(work, 'home-off'))).toBe(false); // switched off: nothing written
  });

  test('first call writes the cache, later calls answer the same from it', () => {
    const dir = join(work, 'cache-a');
    expect(calls.map((c) => hook(c, { JITP_CODE_CACHE_DIR: dir }))).toEqual(reference);
    const names = readdirSync(dir);
    for (const bundle of ['hook-pre.cjs-', 'bash-writes.cjs-'])
      expect(names.some((n) => n.startsWith(bundle) && n.endsWith('.bin'))).toBe(true);
    expect(names.filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const before = Object.fromEntries(names.map((n) => [n, readFileSync(join(dir, n))]));
    expect(calls.map((c) => hook(c, { JITP_CODE_CACHE_DIR: dir }))).toEqual(reference);
    // Accepted caches are not rewritten.
    for (const n of names) expect(readFileSync(join(dir, n)).equals(before[n]!)).toBe(true);
  });

  test('a damaged or truncated cache file: same answers, and the file is replaced', () => {
    const dir = join(work, 'cache-a');
    const pre = readdirSync(dir).find((n) => n.startsWith('hook-pre.cjs-'))!;
    const good = readFileSync(join(dir, pre));
    const garbage = Buffer.alloc(good.length, 0x5a);
    writeFileSync(join(dir, pre), garbage);
    expect(hook(calls[0]!, { JITP_CODE_CACHE_DIR: dir })).toBe(reference[0]);
    const after = readFileSync(join(dir, pre));
    expect(after.equals(garbage)).toBe(false);
    writeFileSync(join(dir, pre), good.subarray(0, 100));
    expect(calls.map((c) => hook(c, { JITP_CODE_CACHE_DIR: dir }))).toEqual(reference);
    expect(readFileSync(join(dir, pre)).length).toBeGreaterThan(100);
  });

  test('a cache folder that cannot be made (a file in its place): same answers, no stderr', () => {
    const blocker = join(work, 'blocked');
    writeFileSync(blocker, 'not a folder');
    expect(calls.map((c) => hook(c, { JITP_CODE_CACHE_DIR: join(blocker, 'v8') }))).toEqual(reference);
    expect(readFileSync(blocker, 'utf8')).toBe('not a folder');
  });

  test("the ESM loader's experimental warning stays off stderr (config parsed, not cached)", () => {
    const dir = join(work, 'cache-esm');
    // A fresh config cache key: the hook imports dist/lazy/config-load.mjs through the main loader.
    writeFileSync(join(repo.root, '.jit-parallel.yaml'), `ttl: 31m\n# ${Date.now()}\n`);
    expect(hook(calls[0]!, { JITP_CODE_CACHE_DIR: dir })).toBe(reference[0]);
    writeFileSync(join(repo.root, '.jit-parallel.yaml'), `ttl: 32m\n# ${Date.now()}\n`);
    expect(hook(calls[2]!, { JITP_CODE_CACHE_DIR: dir })).toBe(reference[2]);
  });

  test('the default folder is under HOME (Linux: ~/.cache/jit-parallel/v8)', () => {
    if (process.platform === 'darwin') return;
    const home = join(work, 'home');
    mkdirSync(home);
    expect(hook(calls[2]!, { HOME: home, XDG_CACHE_HOME: undefined })).toBe(reference[2]);
    expect(readdirSync(join(home, '.cache', 'jit-parallel', 'v8')).length).toBeGreaterThan(0);
  });
});

test.each([
  [{ HOME: '/h' }, 'linux', '/h/.cache/jit-parallel/v8'],
  [{ HOME: '/h', XDG_CACHE_HOME: '/x/cache' }, 'linux', '/x/cache/jit-parallel/v8'],
  [{ HOME: '/h', XDG_CACHE_HOME: 'relative' }, 'linux', '/h/.cache/jit-parallel/v8'],
  [{ HOME: '/h' }, 'darwin', '/h/Library/Caches/jit-parallel/v8'],
  [{}, 'linux', undefined],
  [{ HOME: 'relative' }, 'linux', undefined],
  [{ JITP_CODE_CACHE_DIR: '/c' }, 'linux', '/c'],
  [{ JITP_CODE_CACHE: '0', JITP_CODE_CACHE_DIR: '/c' }, 'linux', undefined],
] as const)('codeCacheDir(%j, %s) = %s', (env, platform, want) => {
  expect(codeCacheDir(env as NodeJS.ProcessEnv, platform)).toBe(want);
});
