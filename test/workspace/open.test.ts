// openWorkspace: the repository at once, everything else on first use (so a broken config
// fails only the commands that read it), opened once, the store the configuration asks for,
// and the main checkout's view for worktree mode.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { isJitpError } from '../../src/platform/errors.js';
import { LocalLeaseStore } from '../../src/store/local/local-store.js';
import { RemoteLeaseStore } from '../../src/store/remote.js';
import { findWorkspace, openWorkspace } from '../../src/workspace/open.js';
import { makeRepo, tempDir } from '../support/git.js';

const repo = makeRepo({ 'README.md': 'r\n', '.jit-parallel/tasks/T1.md': '---\nid: T1\ntitle: one\n---\n' });
repo.commit('tasks');
const wt = repo.addWorktree('w');
afterAll(() => repo.cleanup());
const env = {};
const code = async (p: Promise<unknown>) => {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return isJitpError(e) ? e.code : String(e);
  }
};

test('outside a repository: openWorkspace is E_NOT_A_REPO (exit 7), findWorkspace undefined', () => {
  const dir = tempDir('jitp-norepo-');
  expect(findWorkspace(dir)).toBeUndefined();
  try {
    openWorkspace(dir);
    expect.unreachable();
  } catch (e) {
    expect(isJitpError(e) && [e.code, e.exitCode]).toEqual(['E_NOT_A_REPO', 7]);
  }
});

test('a broken config fails the config, store and source on first use, not the opening', async () => {
  writeFileSync(join(repo.root, '.jit-parallel.yaml'), 'policy: [not, a, policy]\n');
  try {
    const ws = openWorkspace(repo.root, { env });
    expect(ws.repo.worktreeRoot).toBe(repo.root);
    expect(ws.storeDir).toBe(join(repo.root, '.git', 'jit-parallel'));
    expect(await code(ws.config())).toBe('E_CONFIG');
    expect(await code(ws.store())).toBe('E_CONFIG');
    expect(await code(ws.source())).toBe('E_CONFIG');
  } finally {
    writeFileSync(join(repo.root, '.jit-parallel.yaml'), 'ttl: 10m\n');
  }
});

test('each piece is opened once; the store follows config `remote` and --remote', async () => {
  const ws = openWorkspace(repo.root, { env });
  expect(await ws.store()).toBe(await ws.store());
  expect(await ws.source()).toBe(await ws.source());
  expect(await ws.store()).toBeInstanceOf(LocalLeaseStore);
  expect((await ws.source()).get('T1').title).toBe('one');
  expect(await ws.remote()).toBeNull();
  const flagged = openWorkspace(repo.root, { env, remote: 'origin' });
  expect(await flagged.remote()).toBe('origin');
  expect(await flagged.store()).toBeInstanceOf(RemoteLeaseStore);
  writeFileSync(join(repo.root, '.jit-parallel.yaml'), 'remote: upstream\n');
  try {
    const configured = openWorkspace(repo.root, { env });
    const store = await configured.store();
    expect(store).toBeInstanceOf(RemoteLeaseStore);
    expect((store as RemoteLeaseStore).remote).toBe('upstream');
    expect(await configured.remoteStore('upstream')).toBeInstanceOf(RemoteLeaseStore);
  } finally {
    writeFileSync(join(repo.root, '.jit-parallel.yaml'), 'ttl: 10m\n');
  }
});

test("main(): a linked worktree's workspace seen from the main checkout (worktree mode)", async () => {
  const ws = openWorkspace(wt, { env });
  expect(ws.repo.linked).toBe(true);
  expect([ws.root, ws.mainRoot]).toEqual([wt, repo.root]);
  const main = ws.main();
  expect(main.main()).toBe(main);
  expect([main.root, main.repo.linked, main.storeDir]).toEqual([repo.root, false, ws.storeDir]);
  // The main checkout's own config file (uncommitted here, so the worktree has none of its own).
  expect((await main.loadedConfig()).file).toBe(join(repo.root, '.jit-parallel.yaml'));
  expect(openWorkspace(repo.root, { env }).main().root).toBe(repo.root);
});
