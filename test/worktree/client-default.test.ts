// WorktreeCreate acts only for a worktree a binding names; every other worktree is made exactly as
// the client makes it without a hook. Through the shipped bundle (real git repos, a bare origin),
// then side by side with the real client (2.1.330), which must make the same worktree.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe as describeAlways, expect, test as testAlways } from 'vitest';
import { formatBindingLine } from '../../src/core/binding.js';
import { discoverRepo } from '../../src/git/discover.js';
import { openLocalStore } from '../../src/store/open.js';
import { readBatch } from '../../src/worktree/batch.js';
import { runClaude } from '../support/claude.js';
import { git, makeRepo, tempDir, type TempRepo } from '../support/git.js';
import { startModelServer } from '../support/model-server.js';
import { DIST_HOOK, NO_CLIENT, ROOT } from '../support/paths.js';
import { jitp } from './helpers.js';

let repo: TempRepo;
afterEach(() => repo?.cleanup());

const hook = (input: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => {
  const clean = { ...process.env };
  delete clean.CLAUDE_PROJECT_DIR;
  return spawnSync(process.execPath, [DIST_HOOK, 'worktree-create'], {
    input: JSON.stringify({ hook_event_name: 'WorktreeCreate', session_id: 's', ...input }),
    encoding: 'utf8',
    // A HOME of its own: the user's ~/.claude/settings.json must not decide the base.
    env: { ...clean, HOME: tempDir('jitp-home-'), ...env },
  });
};

/**
 * A clone of a bare origin: origin/HEAD set, one local unpushed commit, and a newer commit on
 * origin that the local origin/main does not have yet. `.env` and `secret/` are ignored;
 * `.worktreeinclude` names them and an untracked file git does not ignore.
 */
function cloneWithOrigin() {
  repo = makeRepo({
    'README.md': '# t\n',
    '.gitignore': '.env\nsecret/\n',
    '.worktreeinclude': '.env\nnotignored.txt\nsecret/\n',
  });
  const base = join(repo.root, '..');
  const origin = join(base, 'origin.git');
  git(base, 'init', '-q', '--bare', '-b', 'main', origin);
  repo.git('remote', 'add', 'origin', origin);
  repo.git('push', '-q', '-u', 'origin', 'main');
  repo.git('remote', 'set-head', 'origin', 'main');
  const other = join(base, 'other');
  git(base, 'clone', '-q', origin, other);
  git(other, 'commit', '-q', '--allow-empty', '-m', 'newer on origin');
  git(other, 'push', '-q', 'origin', 'main');
  repo.write('local.txt', 'unpushed\n');
  const local = repo.commit('local, unpushed');
  repo.write('.env', 'E=1\n');
  repo.write('secret/k', 'k\n');
  repo.write('notignored.txt', 'n\n');
  return { remoteTip: git(other, 'rev-parse', 'HEAD'), local, origin };
}

const filesOf = (wt: string) =>
  (readdirSync(wt, { recursive: true }) as string[]).filter((f) => !f.startsWith('.git') || f === '.gitignore').sort();

/** An assistant message in the parent transcript with isolated Agent calls (the prompts given). */
function transcript(prompts: string[]): string {
  const file = join(tempDir('jitp-tr-'), 's.jsonl');
  const content = prompts.map((p, k) => ({
    type: 'tool_use',
    id: `toolu_${k}`,
    name: 'Agent',
    input: { description: 'd', prompt: p, subagent_type: 'general-purpose', isolation: 'worktree' },
  }));
  writeFileSync(file, `${JSON.stringify({ type: 'assistant', message: { id: 'm1', role: 'assistant', content } })}\n`);
  return file;
}

describeAlways('WorktreeCreate for worktrees no binding names (bundle)', () => {
  testAlways('`claude -w foo`: the client default: .claude/worktrees/foo, worktree-foo, fetched origin/HEAD', () => {
    const { remoteTip, local } = cloneWithOrigin();
    const r = hook({ cwd: repo.root, name: 'foo', transcript_path: '/nonexistent' });
    expect(r.status, r.stderr).toBe(0);
    const wt = join(repo.root, '.claude', 'worktrees', 'foo');
    expect(r.stdout).toBe(`${wt}\n`);
    expect(git(wt, 'symbolic-ref', '--short', 'HEAD')).toBe('worktree-foo');
    // origin was fetched: the base is origin's newest commit, not the stale tracking ref or local HEAD.
    expect(git(wt, 'rev-parse', 'HEAD')).toBe(remoteTip);
    expect(git(wt, 'rev-parse', 'HEAD')).not.toBe(local);
    // Ignored files .worktreeinclude names are copied; an untracked file git does not ignore is not.
    expect(readFileSync(join(wt, '.env'), 'utf8')).toBe('E=1\n');
    expect(readFileSync(join(wt, 'secret', 'k'), 'utf8')).toBe('k\n');
    expect(existsSync(join(wt, 'notignored.txt'))).toBe(false);
    // Kept out of the main checkout's status (jitp's one addition, in .git/info/exclude only).
    expect(repo.git('status', '--porcelain')).toBe('?? notignored.txt');
    // A second call (the client resuming `claude -w foo`) hands back the same worktree untouched.
    writeFileSync(join(wt, 'work.txt'), 'w\n');
    const again = hook({ cwd: repo.root, name: 'foo' });
    expect(again.stdout).toBe(`${wt}\n`);
    expect(readFileSync(join(wt, 'work.txt'), 'utf8')).toBe('w\n');
  });

  testAlways(
    'settings worktree.baseRef "head" takes local HEAD; no origin takes HEAD; unreachable origin keeps the ref',
    () => {
      const { local, remoteTip } = cloneWithOrigin();
      mkdirSync(join(repo.root, '.claude'), { recursive: true });
      writeFileSync(join(repo.root, '.claude', 'settings.local.json'), '{"worktree":{"baseRef":"head"}}');
      const h = hook({ cwd: repo.root, name: 'headref' });
      expect(h.status, h.stderr).toBe(0);
      expect(git(h.stdout.trim(), 'rev-parse', 'HEAD')).toBe(local);
      // The user's settings count too, below the project's.
      writeFileSync(join(repo.root, '.claude', 'settings.local.json'), '{}');
      const home = tempDir('jitp-home-');
      mkdirSync(join(home, '.claude'));
      writeFileSync(join(home, '.claude', 'settings.json'), '{"worktree":{"baseRef":"head"}}');
      expect(git(hook({ cwd: repo.root, name: 'userhead' }, { HOME: home }).stdout.trim(), 'rev-parse', 'HEAD')).toBe(
        local,
      );
      // Origin unreachable: the fetch fails and the tracking ref is used as it is (as the client does).
      repo.git('fetch', '-q', 'origin');
      repo.git('remote', 'set-url', 'origin', join(repo.root, '..', 'gone.git'));
      const u = hook({ cwd: repo.root, name: 'unreach' });
      expect(u.status, u.stderr).toBe(0);
      expect(git(u.stdout.trim(), 'rev-parse', 'HEAD')).toBe(remoteTip);
      const plain = makeRepo();
      try {
        const n = hook({ cwd: plain.root, name: 'bar' });
        expect(n.status, n.stderr).toBe(0);
        expect(git(n.stdout.trim(), 'rev-parse', 'HEAD')).toBe(plain.git('rev-parse', 'HEAD'));
      } finally {
        plain.cleanup();
      }
    },
  );

  testAlways(
    'an existing worktree-<name> branch is reset to the base, as the client does; a stray folder is refused',
    () => {
      repo = makeRepo();
      const first = repo.git('rev-parse', 'HEAD');
      repo.commit('second');
      repo.git('branch', 'worktree-pre', first);
      const r = hook({ cwd: repo.root, name: 'pre' });
      expect(r.status, r.stderr).toBe(0);
      expect(git(r.stdout.trim(), 'rev-parse', 'HEAD')).toBe(repo.git('rev-parse', 'HEAD'));
      mkdirSync(join(repo.root, '.claude', 'worktrees', 'stray'), { recursive: true });
      const s = hook({ cwd: repo.root, name: 'stray' });
      expect(s.status).toBe(2);
      expect(s.stdout).toBe('');
      expect(s.stderr).toContain('is not a git worktree');
    },
  );

  testAlways(
    'during a batch, unrelated worktrees never get a batch issue: not `-w foo`, not an unbound sub-agent',
    async () => {
      repo = makeRepo({ 'README.md': '# t\n', 'src/a.txt': 'a\n' });
      const file = join(repo.root, '..', 'tasks.json');
      writeFileSync(
        file,
        JSON.stringify([
          { id: 'alpha', title: 'Alpha', instructions: 'do alpha' },
          { id: 'beta', title: 'Beta', instructions: 'do beta' },
        ]),
      );
      const loaded = await jitp(repo.root, ['batch', 'load', file, '--no-worktrees', '--json']);
      expect(loaded.code, loaded.stderr).toBe(0);
      const before = JSON.stringify(readBatch(repo.root));
      const store = openLocalStore(discoverRepo(repo.root)!);
      const leasesBefore = JSON.stringify((await store.read()).leases);
      const cases = [
        { name: 'foo', transcript_path: '/nonexistent' },
        // A sub-agent whose prompt has no binding line, alone or with another in one message.
        { name: 'agent-a0123456789abcdef', transcript_path: transcript(['just explore']) },
        { name: 'agent-a1111111111111111', transcript_path: transcript(['one', 'two']) },
      ];
      for (const c of cases) {
        const r = hook({ cwd: repo.root, ...c });
        expect(r.status, `${c.name}: ${r.stderr}`).toBe(0);
        const wt = join(repo.root, '.claude', 'worktrees', c.name);
        expect(r.stdout).toBe(`${wt}\n`);
        expect(git(wt, 'symbolic-ref', '--short', 'HEAD')).toBe(`worktree-${c.name}`);
      }
      expect(JSON.stringify(readBatch(repo.root))).toBe(before);
      expect(JSON.stringify((await store.read()).leases)).toBe(leasesBefore);
      // A bound call still gets its issue's worktree (the contrast: jitp acts for what a binding names).
      const alpha = await store.acquire({ issueId: 'alpha', agentId: 'agent:claude', paths: ['src/**'] });
      const bound = hook({
        cwd: repo.root,
        name: 'agent-a2222222222222222',
        transcript_path: transcript([`${formatBindingLine(alpha.id, alpha.bindSecret!)}\ndo alpha`]),
      });
      expect(bound.status, bound.stderr).toBe(0);
      expect(bound.stdout.trim()).not.toContain('.claude');
      const i = readBatch(repo.root)!.issues.find((x) => x.id === 'alpha')!;
      expect(i).toMatchObject({ worktree: bound.stdout.trim() });
      expect(i.agent.claudeAgentId).toBe('a2222222222222222');
      expect(readBatch(repo.root)!.issues.find((x) => x.id === 'beta')!.agent.claudeAgentId).toBeNull();
      // A plain name with a bound call pending (`claude -w x` run from that session) stays plain.
      const named = hook({
        cwd: repo.root,
        name: 'feature-x',
        transcript_path: transcript([`${formatBindingLine(alpha.id, alpha.bindSecret!)}\ndo alpha`]),
      });
      expect(named.stdout).toBe(`${join(repo.root, '.claude', 'worktrees', 'feature-x')}\n`);
    },
  );

  testAlways('a corrupt batch or config does not stand in the way of a plain worktree', () => {
    repo = makeRepo();
    repo.write('.jit-parallel/batch.yaml', 'version: [unclosed\n');
    repo.write('.jit-parallel.yaml', 'policy: strcit\n');
    const r = hook({ cwd: repo.root, name: 'agent-a3333333333333333', transcript_path: transcript(['x']) });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(join(repo.root, '.claude', 'worktrees', 'agent-a3333333333333333'));
  });
});

// The real client (opt-in: npm run setup:client).
describeAlways.skipIf(NO_CLIENT)('the same worktree as the real client makes', () => {
  testAlways(
    '`claude -w` without the plugin and with it: same base, branch, copied files; batch untouched',
    async () => {
      const { remoteTip } = cloneWithOrigin();
      const server = await startModelServer();
      try {
        // Without the plugin: the client's own worktree.
        const own = await runClaude({ cwd: repo.root, prompt: 'hi', server, args: ['-w', 'client-own'] });
        expect(own.exitCode, own.stderr.slice(-1000)).toBe(0);
        // With the plugin installed and a batch running: jitp's hook makes it.
        const file = join(repo.root, '..', 'tasks.json');
        writeFileSync(file, JSON.stringify([{ id: 'alpha', title: 'Alpha', instructions: 'do alpha' }]));
        expect((await jitp(repo.root, ['batch', 'load', file, '--no-worktrees'])).code).toBe(0);
        const before = JSON.stringify(readBatch(repo.root));
        // The client itself never writes the exclude line; jitp's hook does: proof the hook made it.
        const exclude = join(repo.root, '.git', 'info', 'exclude');
        expect(readFileSync(exclude, 'utf8')).not.toContain('/.claude/worktrees/');
        const hooked = await runClaude({
          cwd: repo.root,
          prompt: 'hi',
          server,
          pluginDir: ROOT,
          args: ['-w', 'with-plugin'],
          timeoutMs: 90_000,
        });
        expect(hooked.exitCode, hooked.stderr.slice(-1000)).toBe(0);
        const a = join(repo.root, '.claude', 'worktrees', 'client-own');
        const b = join(repo.root, '.claude', 'worktrees', 'with-plugin');
        expect(git(a, 'symbolic-ref', '--short', 'HEAD')).toBe('worktree-client-own');
        expect(git(b, 'symbolic-ref', '--short', 'HEAD')).toBe('worktree-with-plugin');
        expect(git(a, 'rev-parse', 'HEAD')).toBe(remoteTip);
        expect(git(b, 'rev-parse', 'HEAD')).toBe(remoteTip);
        expect(filesOf(b)).toEqual(filesOf(a));
        expect(filesOf(b)).toContain('.env');
        expect(JSON.stringify(readBatch(repo.root))).toBe(before);
        expect(readFileSync(exclude, 'utf8')).toContain('/.claude/worktrees/');
      } finally {
        await server.close();
      }
    },
    180_000,
  );
});
