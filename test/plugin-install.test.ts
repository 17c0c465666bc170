// Installing the plugin the way the README says, with the real client: `claude plugin
// marketplace add <clone>` + `claude plugin install`. The clone has node_modules (a user who ran
// `npm ci` in it); the installed copy must hold only what the plugin runs, as real files, and
// its hooks must work from there. Uses the committed HEAD (git clone), as a user's clone would.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { LocalLeaseStore } from '../src/store/local/local-store.js';
import { claudeEnv } from './support/claude-env.js';
import { expectOk, runClaude } from './support/claude.js';
import { makeRepo, tempDir, type TempRepo } from './support/git.js';
import { editFile, firstUserIncludes, readFile, startModelServer, type ModelServer } from './support/model-server.js';
import { CLAUDE_BIN, NO_CLIENT, ROOT } from './support/paths.js';
import { rmSync } from 'node:fs';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function walk(dir: string): { files: number; bytes: number; links: string[] } {
  const out = { files: 0, bytes: 0, links: [] as string[] };
  for (const e of readdirSync(dir, { recursive: true }).map(String)) {
    const st = lstatSync(join(dir, e));
    if (st.isSymbolicLink()) out.links.push(e);
    else if (st.isFile()) {
      out.files++;
      out.bytes += st.size;
    }
  }
  return out;
}

describe.skipIf(NO_CLIENT)('install from the marketplace', () => {
  test('a clone with node_modules installs only the plugin folder, and its hooks deny from the copy', async () => {
    const base = tempDir('jitp-install-');
    cleanups.push(() => rmSync(base, { recursive: true, force: true }));
    const clone = join(base, 'jit-parallel');
    execFileSync('git', ['clone', '-q', ROOT, clone]);
    mkdirSync(join(clone, 'node_modules', 'big'), { recursive: true });
    writeFileSync(join(clone, 'node_modules', 'big', 'blob.bin'), Buffer.alloc(20 * 1024 * 1024));
    const env = claudeEnv();
    cleanups.push(() => rmSync(env.HOME!, { recursive: true, force: true }));
    const claude = (...args: string[]) => execFileSync(CLAUDE_BIN!, args, { env, encoding: 'utf8', cwd: base });
    claude('plugin', 'marketplace', 'add', clone);
    claude('plugin', 'install', 'jit-parallel@jit-parallel');
    const installed = JSON.parse(readFileSync(join(env.HOME!, '.claude/plugins/installed_plugins.json'), 'utf8'))
      .plugins['jit-parallel@jit-parallel'][0].installPath as string;
    expect(
      readdirSync(installed)
        .filter((e) => e !== '.in_use') // the client's own marker
        .sort(),
    ).toEqual(['.claude-plugin', 'bin', 'dist', 'hooks', 'references', 'skills']);
    const w = walk(installed);
    expect(w.links).toEqual([]); // copies, not links back into the clone
    expect(w.bytes).toBeLessThan(10 * 1024 * 1024);
    expect(execFileSync(join(installed, 'bin', 'jitp'), ['version'], { encoding: 'utf8' })).toMatch(/^jitp \d/);

    // The installed hooks (no --plugin-dir) refuse an edit of a file another agent's lease holds.
    const repo: TempRepo = makeRepo({ 'src/f1.ts': 'one\n' });
    cleanups.push(() => repo.cleanup());
    const server: ModelServer = await startModelServer();
    cleanups.push(() => server.close());
    const lease = await new LocalLeaseStore({ storeDir: join(repo.root, '.git', 'jit-parallel') }).acquire({
      issueId: 'issue-1',
      agentId: 'agent:other',
      paths: ['src/f1.ts'],
    });
    server.setScript([
      {
        name: 'main',
        match: firstUserIncludes('INSTALLED-EDIT'),
        turns: [[readFile(join(repo.root, 'src/f1.ts'))], [editFile(join(repo.root, 'src/f1.ts'), 'one', 'ONE')]],
      },
    ]);
    const res = expectOk(
      await runClaude({
        cwd: repo.root,
        prompt: 'INSTALLED-EDIT go',
        server,
        env: { HOME: env.HOME!, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME! },
        timeoutMs: 90_000,
      }),
    );
    expect(readFileSync(join(repo.root, 'src/f1.ts'), 'utf8')).toBe('one\n');
    expect(res.permission_denials.map((d) => d.tool_name)).toEqual(['Edit']);
    expect(server.toolResultsOf('main')[1]!.text).toContain(`held by lease ${lease.id} of issue issue-1`);
  }, 120_000);
});
