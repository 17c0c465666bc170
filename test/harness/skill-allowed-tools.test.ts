// A client fact the continuous-dispatch loop depends on (2.1.330, -p, acceptEdits, no
// --allowedTools): a skill's front matter `allowed-tools` applies to the turn the skill started,
// but NOT to a turn the client starts later because a background sub-agent finished (its
// <task-notification>). A project settings rule (`permissions.allow`, what `jitp init` writes)
// applies to both, even when written during the session by the skill's first command. So
// /jit-parallel's loop (start in the background, `jitp next` as each one finishes) needs
// `jitp init`'s rule. Written up in docs/claude-client-facts.md, section h.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe as describeAlways, expect, test as testAlways } from 'vitest';
import { claudeEnv } from '../support/claude-env.js';
import { expectOk, runClaude } from '../support/claude.js';
import { makeRepo, type TempRepo } from '../support/git.js';
import {
  agent,
  bash,
  firstUserIncludes,
  say,
  startModelServer,
  textOf,
  type ModelServer,
  type TurnContext,
} from '../support/model-server.js';
import { NO_CLIENT } from '../support/paths.js';
import { makeProbePlugin } from '../support/probe-plugin.js';

const describe = describeAlways.skipIf(NO_CLIENT);
const test = testAlways.skipIf(NO_CLIENT);

let repo: TempRepo;
let server: ModelServer;
let home: string | undefined;
beforeEach(async () => {
  repo = makeRepo({ 'README.md': '# t\n' });
  server = await startModelServer();
});
afterEach(async () => {
  await server.close();
  repo.cleanup();
  if (home) rmSync(home, { recursive: true, force: true });
  home = undefined;
});

const SKILL =
  '---\nname: loopdemo\ndescription: demo skill for tests\nallowed-tools: Bash(probe-bin:*)\n---\n' +
  'LOOPDEMO-BODY start one background agent, then run probe-bin when it finishes\n';

/**
 * The skill's turn runs `probe-bin before` and starts one background sub-agent, then ends; the
 * sub-agent finishes only after that, so its notification starts a new turn, which runs
 * `probe-bin after`. Returns what each call got (ran / denied) and the session's denials.
 */
async function scenario(opts: { trusted?: boolean; writtenBySkill?: boolean }) {
  const plugin = makeProbePlugin(dirname(repo.root), {
    events: ['PreToolUse'],
    files: {
      'bin/probe-bin':
        '#!/bin/sh\nif [ "$1" = before ] && [ -n "$PROBE_WRITES_SETTINGS" ]; then\n' +
        '  printf %s "$PROBE_WRITES_SETTINGS" > .claude/settings.json\nfi\necho "probe-bin-ran $1"\n',
      'skills/loopdemo/SKILL.md': SKILL,
    },
  });
  const env: Record<string, string> = {};
  if (opts.trusted) {
    // `jitp init`'s kind of rule, in a folder the user trusted (the client ignores a project
    // settings file's permissions before that: section h).
    mkdirSync(join(repo.root, '.claude'), { recursive: true });
    const rule = JSON.stringify({ permissions: { allow: ['Bash(probe-bin:*)'] } });
    // Written before the session, or by the skill's own first command (as `jitp init` in it would).
    if (opts.writtenBySkill) env.PROBE_WRITES_SETTINGS = rule;
    else writeFileSync(join(repo.root, '.claude', 'settings.json'), rule);
    home = claudeEnv().HOME!;
    writeFileSync(
      join(home, '.claude.json'),
      JSON.stringify({ projects: { [repo.root]: { hasTrustDialogAccepted: true } } }),
    );
    env.HOME = home;
  }
  const notified = (ctx: TurnContext) => textOf(ctx.body.messages.at(-1)).includes('<task-notification>');
  server.setScript([
    {
      name: 'sub',
      match: firstUserIncludes('LOOPDEMO-SUB'),
      turns: [
        async (ctx) => {
          // Finish only after the skill's turn ended, so the notification starts a turn of its own.
          await ctx.server.waitFor((r) => r.actor === 'main' && r.turn === 1, 60_000);
          await new Promise((r) => setTimeout(r, 500));
          return [say('sub-agent done')];
        },
      ],
    },
    {
      name: 'main',
      match: firstUserIncludes('LOOPDEMO-BODY'),
      turns: [
        [bash('probe-bin before', 'in the skill turn'), agent('LOOPDEMO-SUB do it', { run_in_background: true })],
        (ctx) => [say(notified(ctx) ? 'UNEXPECTED: notified too early' : 'waiting for the sub-agent')],
        (ctx) =>
          notified(ctx) ? [bash('probe-bin after', 'in the notification turn')] : [say('UNEXPECTED: no notification')],
      ],
      finalText: 'all done',
    },
  ]);
  const run = await runClaude({
    cwd: repo.root,
    prompt: '/loopdemo',
    server,
    pluginDir: plugin.dir,
    env,
    timeoutMs: 90_000,
  });
  const res = expectOk(run);
  const outcome = Object.fromEntries(
    server
      .toolResultsOf('main')
      .filter((r) => r.toolName === 'Bash')
      .map((r) => [
        String(r.input!.command),
        r.is_error ? 'denied' : r.text.includes('probe-bin-ran') ? 'ran' : r.text,
      ]),
  );
  return { res, outcome, denied: res.permission_denials.map((d) => String(d.tool_input.command)) };
}

describe('h: allowed-tools of a skill and the turn a background agent’s notification starts', () => {
  test('the skill’s allowed-tools covers its own turn, not the notification’s turn', async () => {
    const { outcome, denied } = await scenario({});
    // The notification turn really happened after the skill's turn ended.
    expect(server.requestsOf('main').length).toBeGreaterThanOrEqual(3);
    expect(outcome).toEqual({ 'probe-bin before': 'ran', 'probe-bin after': 'denied' });
    expect(denied).toEqual(['probe-bin after']);
  }, 180_000);

  test('a project settings rule (trusted folder) covers both turns', async () => {
    const { outcome, denied } = await scenario({ trusted: true });
    expect(outcome).toEqual({ 'probe-bin before': 'ran', 'probe-bin after': 'ran' });
    expect(denied).toEqual([]);
  }, 180_000);

  test('a rule the skill’s own first command wrote (no restart) covers the notification’s turn', async () => {
    const { outcome, denied } = await scenario({ trusted: true, writtenBySkill: true });
    expect(readFileSync(join(repo.root, '.claude', 'settings.json'), 'utf8')).toContain('Bash(probe-bin:*)');
    expect(outcome).toEqual({ 'probe-bin before': 'ran', 'probe-bin after': 'ran' });
    expect(denied).toEqual([]);
  }, 180_000);
});
