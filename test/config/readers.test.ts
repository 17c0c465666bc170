// Every reader of the configuration reads the same file (src/workspace/config-file.ts: a linked
// worktree's own copy first, then the main checkout's; JITP_CONFIG over both) and gets the
// loader's values: the commands (through the door), the hooks' cached settings, the hooks' line
// scan and its fallback to the loader's cached answer, the failure-mode read.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { CONFIG_CACHE_FILE, quickConfigValue } from '../../src/hooks/runtime/config-cache.js';
import { hookConfigValue, hookSettings } from '../../src/hooks/runtime/context.js';
import { failureModeOf } from '../../src/hooks/runtime/failure.js';
import { openWorkspace } from '../../src/workspace/open.js';
import { findRepo, storeDirOf } from '../../src/workspace/repo.js';
import { makeRepo } from '../support/git.js';

const repo = makeRepo({ 'README.md': 'r\n' });
const wt = repo.addWorktree('w');
afterAll(() => repo.cleanup());
const env = {};
const mainFile = join(repo.root, '.jit-parallel.yaml');
const wtFile = join(wt, '.jit-parallel.yaml');

async function readers(dir: string) {
  const loc = findRepo(dir)!;
  const loaded = await openWorkspace(dir, { env }).loadedConfig();
  return {
    file: loaded.file,
    policy: [loaded.config.policy, (await hookSettings(loc, env)).policy],
    maxAge: [loaded.config.remoteMirrorMaxAge, quickConfigValue(loc, 'remoteMirrorMaxAge', env)],
    failure: [loaded.config.failure, failureModeOf(loc.worktreeRoot, env)],
  };
}

describe('one file, one meaning', () => {
  test("a linked worktree without its own file reads the main checkout's", async () => {
    writeFileSync(mainFile, 'policy: strict\nremoteMirrorMaxAge: 2m\nfailure: closed\n');
    rmSync(wtFile, { force: true });
    for (const dir of [repo.root, wt])
      expect(await readers(dir)).toEqual({
        file: mainFile,
        policy: ['strict', 'strict'],
        maxAge: [120, 120],
        failure: ['closed', 'closed'],
      });
  });

  test('its own copy wins in the worktree, and only there', async () => {
    writeFileSync(wtFile, 'policy: warn\nremoteMirrorMaxAge: 90\n');
    expect(await readers(wt)).toEqual({
      file: wtFile,
      policy: ['warn', 'warn'],
      maxAge: [90, 90],
      failure: ['open', 'open'],
    });
    expect((await readers(repo.root)).file).toBe(mainFile);
  });

  test('JITP_CONFIG names the file for every reader', async () => {
    const other = join(repo.root, 'other.yaml');
    writeFileSync(other, 'policy: "off"\nremoteMirrorMaxAge: 7\n');
    const loc = findRepo(wt)!;
    const e = { JITP_CONFIG: other };
    expect((await openWorkspace(wt, { env: e }).config()).policy).toBe('off');
    expect((await hookSettings(loc, e)).policy).toBe('off');
    expect(quickConfigValue(loc, 'remoteMirrorMaxAge', e)).toBe(7);
  });

  test(
    "a form the line scan declines: unknown until the loader ran once, then the loader's answer from the " + 'cache',
    async () => {
      writeFileSync(mainFile, '{remoteMirrorMaxAge: 0x10, remote: up}\n');
      rmSync(wtFile, { force: true });
      const storeDir = storeDirOf(findRepo(repo.root)!); // exists whenever the hooks look (leases or mirrors in it)
      mkdirSync(storeDir, { recursive: true });
      rmSync(join(storeDir, CONFIG_CACHE_FILE), { force: true });
      const loc = findRepo(wt)!;
      expect(quickConfigValue(loc, 'remoteMirrorMaxAge', env)).toBeUndefined();
      expect(await hookConfigValue(loc, 'remoteMirrorMaxAge', env)).toBe(16);
      expect(quickConfigValue(loc, 'remoteMirrorMaxAge', env)).toBe(16);
      expect(quickConfigValue(loc, 'remote', env)).toBe('up');
      expect((await openWorkspace(wt, { env }).config()).remote).toBe('up');
    },
  );
});
