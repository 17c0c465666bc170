// The git runner: tasks, the error that names the command, and an environment in which git
// can never wait for a person (no terminal prompt, no askpass program, whatever the user's).
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  commitOf,
  exitsZero,
  git,
  gitEnv,
  gitSync,
  nulFields,
  outcome,
  output,
  type GitTask,
} from '../../src/platform/git.js';
import { runProcess } from '../../src/platform/process.js';
import { makeRepo, tempDir, type TempRepo } from '../support/git.js';

let repo: TempRepo;
let server: Server;
let port = 0;
beforeAll(async () => {
  repo = makeRepo({ 'a b.txt': 'x\n', 'dir/c.txt': 'y\n' });
  // An http remote that always wants credentials.
  server = createServer((_req, res) => {
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' });
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  repo.cleanup();
  server.close();
});

describe('tasks', () => {
  it('output: stdout without the final newline; nulFields: -z output exact (spaces kept)', async () => {
    expect(await git(repo.root, output(['rev-parse', '--abbrev-ref', 'HEAD']))).toBe('main');
    expect((await git(repo.root, nulFields(['ls-files', '-z']))).sort()).toEqual(['a b.txt', 'dir/c.txt']);
  });

  it('outcome: a non-zero exit is an answer, not a throw', async () => {
    const r = await git(repo.root, outcome(['rev-parse', '--verify', '--quiet', 'nosuch']));
    expect(r.code).not.toBe(0);
    expect(await git(repo.root, exitsZero(['show-ref', '--verify', '--quiet', 'refs/heads/main']))).toBe(true);
    expect(await git(repo.root, commitOf('nosuch'))).toBeUndefined();
    expect(await git(repo.root, commitOf('HEAD'))).toMatch(/^[0-9a-f]{40}$/);
  });

  it('a failure throws E_GIT naming the command, where, and what git said', async () => {
    await expect(git(repo.root, output(['checkout', 'nosuch-branch']))).rejects.toMatchObject({
      code: 'E_GIT',
      exitCode: 7,
      message: expect.stringMatching(/git checkout nosuch-branch failed in .*: .*nosuch-branch/),
      hint: expect.stringContaining(`git -C ${repo.root} checkout nosuch-branch`),
    });
  });

  it('a task parses what it needs; the sync form gives the same answer', async () => {
    const count: GitTask<number> = {
      args: ['rev-list', '--count', 'HEAD'],
      parse: (r) => Number(r.stdout.trim()),
    };
    expect(await git(repo.root, count)).toBe(1);
    expect(gitSync(repo.root, count)).toBe(1);
    expect(gitSync({ cwd: repo.root }, output(['hash-object', '--stdin'], { input: 'x\n' }))).toMatch(/^[0-9a-f]{40}$/);
  });

  it('git missing from PATH: E_GIT_SPAWN saying to install it', async () => {
    await expect(
      git({ cwd: repo.root, env: { ...process.env, PATH: tempDir('jitp-nogit-') } }, output(['status'])),
    ).rejects.toMatchObject({ code: 'E_GIT_SPAWN', hint: expect.stringContaining('install git') });
  });

  it('a deadline kills the command and throws the context’s error', async () => {
    const slow: GitTask<void> = { args: ['-c', 'alias.zzz=!sleep 30', 'zzz'], parse: () => undefined };
    const t0 = Date.now();
    await expect(
      git({ cwd: repo.root, timeoutMs: 300, timeoutError: (ms) => new Error(`late after ${ms}`) }, slow),
    ).rejects.toThrow('late after 300');
    expect(Date.now() - t0).toBeLessThan(5_000);
  });
});

describe('non-interactive environment', () => {
  it('sets what keeps git from prompting or paging, in the C locale', () => {
    const env = gitEnv({ PATH: '/bin', GIT_ASKPASS: '/usr/bin/ksshaskpass', LANG: 'de_DE.UTF-8' });
    expect(env).toMatchObject({
      PATH: '/bin',
      GIT_TERMINAL_PROMPT: '0',
      GIT_ASKPASS: '',
      SSH_ASKPASS: '',
      SSH_ASKPASS_REQUIRE: 'never',
      GIT_PAGER: 'cat',
      LC_ALL: 'C',
    });
    expect(env.GIT_HTTP_LOW_SPEED_TIME).toBeUndefined();
    expect(gitEnv({}, 4_500)).toMatchObject({ GIT_HTTP_LOW_SPEED_LIMIT: '1', GIT_HTTP_LOW_SPEED_TIME: '5' });
  });

  it(
    'a remote that asks for a password fails at once: no prompt, and the askpass program of the user is never ' + 'run',
    async () => {
      const marker = join(tempDir('jitp-askpass-'), 'asked');
      const askpass = join(tempDir('jitp-askpass-'), 'askpass.sh');
      writeFileSync(askpass, `#!/bin/sh\ntouch ${marker}\necho secret\n`);
      chmodSync(askpass, 0o755);
      const hostile = { ...process.env, GIT_ASKPASS: askpass, SSH_ASKPASS: askpass, GIT_TERMINAL_PROMPT: '1' };
      const t0 = Date.now();
      const r = await git(
        { cwd: repo.root, env: hostile, timeoutMs: 20_000 },
        outcome(['-c', `core.askPass=${askpass}`, 'ls-remote', `http://127.0.0.1:${port}/repo.git`]),
      );
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(/could not read Username|terminal prompts disabled|Authentication failed/i);
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(existsSync(marker)).toBe(false);
      // Control: the same call with the user's environment as is runs their askpass program
      // (async: the server answers from this process).
      await runProcess('git', ['ls-remote', `http://127.0.0.1:${port}/repo.git`], {
        cwd: repo.root,
        env: hostile,
        timeoutMs: 20_000,
      });
      expect(existsSync(marker)).toBe(true);
    },
  );
});
