// `jitp` never asks for approval, seen through the real client (2.1.330, -p, acceptEdits, no
// --allowedTools): inside the plugin's skills their front matter `allowed-tools: Bash(jitp:*)`
// allows it; outside them the rule `jitp init` writes to .claude/settings.json does, once the
// folder is trusted (the client ignores a project settings file's permissions before that).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runClaude, type ClaudeRun } from '../support/claude.js';
import { claudeEnv } from '../support/claude-env.js';
import { makeRepo, type TempRepo } from '../support/git.js';
import { bash, firstUserIncludes, startModelServer, type ModelServer } from '../support/model-server.js';
import { NO_CLIENT, ROOT } from '../support/paths.js';
import { jitp } from './support.js';

let repo: TempRepo;
let server: ModelServer;
beforeEach(async () => {
  repo = makeRepo({ 'README.md': '# t\n' });
  server = await startModelServer();
});
afterEach(async () => {
  await server?.close();
  repo?.cleanup();
});

const denied = (r: ClaudeRun) => (r.json?.permission_denials ?? []).map((d) => String(d.tool_input.command));

describe.skipIf(NO_CLIENT)('jitp runs without asking (real client)', () => {
  test('inside /jit-parallel and /jit-conflicts: allowed by the skills; outside a skill: asked', async () => {
    const turns = [[bash('jitp --version', 'version'), bash('jitp issues --json', 'issues')]];
    server.setScript([
      { name: 'skill', match: firstUserIncludes('jit-parallel'), turns },
      { name: 'conflicts', match: firstUserIncludes('jit-conflicts'), turns },
      { name: 'plain', match: firstUserIncludes('PLAIN-RUN'), turns },
    ]);
    for (const prompt of ['/jit-parallel a b', '/jit-conflicts a b']) {
      const r = await runClaude({ cwd: repo.root, prompt, server, pluginDir: ROOT, timeoutMs: 90_000 });
      expect(r.exitCode, r.stderr.slice(-1000)).toBe(0);
      expect(denied(r), prompt).toEqual([]);
    }
    const ran = server.toolResultsOf('skill').find((t) => t.input?.command === 'jitp --version')!;
    expect(ran.is_error).toBe(false);
    expect(ran.text).toMatch(/\d+\.\d+\.\d+/);
    // The contrast: the same calls outside a skill, in a repository without `jitp init`.
    const plain = await runClaude({ cwd: repo.root, prompt: 'PLAIN-RUN', server, pluginDir: ROOT, timeoutMs: 90_000 });
    expect(denied(plain).sort()).toEqual(['jitp --version', 'jitp issues --json']);
  }, 240_000);

  test('outside a skill, after `jitp init` in a trusted folder: allowed by .claude/settings.json', async () => {
    expect((await jitp(repo.root, ['init'])).code).toBe(0);
    server.setScript([
      { name: 'plain', match: firstUserIncludes('PLAIN-RUN'), turns: [[bash('jitp issues --json', 'issues')]] },
    ]);
    // The folder trusted, as after the client's trust dialog.
    const home = claudeEnv().HOME!;
    writeFileSync(
      join(home, '.claude.json'),
      JSON.stringify({ projects: { [repo.root]: { hasTrustDialogAccepted: true } } }),
    );
    const r = await runClaude({
      cwd: repo.root,
      prompt: 'PLAIN-RUN',
      server,
      pluginDir: ROOT,
      env: { HOME: home },
      timeoutMs: 90_000,
    });
    expect(r.exitCode, r.stderr.slice(-1000)).toBe(0);
    expect(denied(r)).toEqual([]);
    const res = server.toolResultsOf('plain')[0]!;
    expect(res.text).toContain('"id": "example"');
  }, 240_000);
});
