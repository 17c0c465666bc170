// Facts about the real client (2.1.330) that the plugin's design relies on, established by
// running it against the scripted model with a probe plugin that records what hooks receive.
// Written up in docs/claude-client-facts.md; if one of these fails after a client upgrade, the
// doc and the designs that cite it need a second look.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe as describeAlways, expect, test as testAlways } from 'vitest';
import { NO_CLIENT } from '../support/paths.js';
import { expectOk, runClaude } from '../support/claude.js';
import { makeRepo, type TempRepo } from '../support/git.js';
import {
  agent,
  bash,
  editFile,
  firstUserIncludes,
  readFile,
  say,
  startModelServer,
  writeFile,
  type ModelServer,
} from '../support/model-server.js';
import { makeProbePlugin, type ProbeRecord } from '../support/probe-plugin.js';

// The real client is opt-in (npm run setup:client): without it these tests skip.
const describe = describeAlways.skipIf(NO_CLIENT);
const test = testAlways.skipIf(NO_CLIENT);

let repo: TempRepo;
let server: ModelServer;
beforeEach(async () => {
  repo = makeRepo({ 'README.md': '# t\n', 'e.txt': 'old\n' });
  server = await startModelServer();
});
afterEach(async () => {
  await server.close();
  repo.cleanup();
});

const parent = () => dirname(repo.root);
const pre = (recs: ProbeRecord[], tool: string) =>
  recs.filter((r) => r.event === 'PreToolUse' && r.input.tool_name === tool);
const ENV_SCRIPT = 'env | sort; command -v probe-bin; probe-bin';
const envOf = (text: string) =>
  Object.fromEntries(
    text
      .split('\n')
      .filter((l) => /^[A-Za-z_][A-Za-z0-9_]*=/.test(l))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );

describe('a/b/c: hook payloads, sub-agent transcripts, hook and Bash env (3 sub-agents in one message)', () => {
  for (const background of [false, true]) {
    test(`run_in_background ${background ? 'unset (background in -p)' : 'false (foreground)'}`, async () => {
      const plugin = makeProbePlugin(parent(), { files: { 'bin/probe-bin': '#!/bin/sh\necho probe-bin-ran\n' } });
      const ids = [1, 2, 3];
      const prompts = ids.map((n) => `FACT-SUB-${n}: write s${n}.txt\nsecond line of the prompt`);
      server.setScript([
        ...ids.map((n) => ({
          name: `sub${n}`,
          match: firstUserIncludes(`FACT-SUB-${n}:`),
          turns: [[writeFile(join(repo.root, `s${n}.txt`), `sub${n}\n`)], [bash(ENV_SCRIPT, 'env')]],
        })),
        {
          name: 'main',
          match: firstUserIncludes('FACT-MAIN'),
          turns: [
            [writeFile(join(repo.root, 'm.txt'), 'main\n')],
            [readFile(join(repo.root, 'e.txt'))],
            [editFile(join(repo.root, 'e.txt'), 'old', 'new')],
            [bash(ENV_SCRIPT, 'env')],
            ids.map((n) =>
              background
                ? {
                    type: 'tool_use' as const,
                    name: 'Agent',
                    input: { description: `task ${n}`, prompt: prompts[n - 1]!, subagent_type: 'general-purpose' },
                  }
                : agent(prompts[n - 1]!, { description: `task ${n}` }),
            ),
          ],
        },
      ]);
      const run = await runClaude({
        cwd: repo.root,
        prompt: 'FACT-MAIN go',
        server,
        pluginDir: plugin.dir,
        args: ['--allowedTools', 'Bash'],
      });
      const res = expectOk(run);
      expect(server.unmatched()).toEqual([]);
      for (const n of ids) expect(readFileSync(join(repo.root, `s${n}.txt`), 'utf8')).toBe(`sub${n}\n`);
      const recs = plugin.records();
      const sessionId = res.session_id;

      // --- a: payload shapes ----------------------------------------------------------------
      const start = recs.find((r) => r.event === 'SessionStart')!;
      expect(start.input).toMatchObject({
        session_id: sessionId,
        cwd: repo.root,
        hook_event_name: 'SessionStart',
        source: 'startup',
      });
      const transcriptPath = start.input.transcript_path as string;
      expect(transcriptPath).toBe(
        join(run.home, '.claude', 'projects', repo.root.replace(/[^A-Za-z0-9]/g, '-'), `${sessionId}.jsonl`),
      );

      const mainPre = recs.filter((r) => r.event === 'PreToolUse' && !r.input.agent_id);
      expect(mainPre.map((r) => r.input.tool_name)).toEqual([
        'Write',
        'Read',
        'Edit',
        'Bash',
        'Agent',
        'Agent',
        'Agent',
      ]);
      for (const r of mainPre) {
        expect(Object.keys(r.input).sort()).toEqual(
          [
            'cwd',
            'hook_event_name',
            'permission_mode',
            'prompt_id',
            'session_id',
            'tool_input',
            'tool_name',
            'tool_use_id',
            'transcript_path',
          ].sort(),
        );
        expect(r.input).toMatchObject({
          session_id: sessionId,
          transcript_path: transcriptPath,
          cwd: repo.root,
          permission_mode: 'acceptEdits',
        });
        expect(r.input.agent_type).toBeUndefined();
      }
      expect(pre(mainPre, 'Write')[0]!.input.tool_input).toEqual({
        file_path: join(repo.root, 'm.txt'),
        content: 'main\n',
      });
      expect(pre(mainPre, 'Edit')[0]!.input.tool_input).toEqual({
        file_path: join(repo.root, 'e.txt'),
        old_string: 'old',
        new_string: 'new',
        replace_all: false,
      });
      expect(pre(mainPre, 'Bash')[0]!.input.tool_input).toEqual({ command: ENV_SCRIPT, description: 'env' });
      const agentPre = pre(mainPre, 'Agent');
      expect(agentPre.map((r) => r.input.tool_input.prompt).sort()).toEqual([...prompts].sort());
      for (const r of agentPre) expect(r.input.tool_input).toMatchObject({ subagent_type: 'general-purpose' });

      const subPre = recs.filter((r) => r.event === 'PreToolUse' && r.input.agent_id);
      expect(subPre).toHaveLength(6);
      const agentIds = [...new Set(subPre.map((r) => r.input.agent_id as string))];
      expect(agentIds).toHaveLength(3);
      for (const r of subPre) {
        expect(r.input.agent_id).toMatch(/^a[0-9a-f]{16}$/);
        expect(r.input).toMatchObject({
          agent_type: 'general-purpose',
          session_id: sessionId,
          transcript_path: transcriptPath,
          cwd: repo.root,
        });
      }
      const starts = recs.filter((r) => r.event === 'SubagentStart');
      expect(starts.map((r) => r.input.agent_id).sort()).toEqual([...agentIds].sort());
      for (const s of starts) {
        expect(Object.keys(s.input).sort()).toEqual(
          ['agent_id', 'agent_type', 'cwd', 'hook_event_name', 'prompt_id', 'session_id', 'transcript_path'].sort(),
        );
      }
      const stops = recs.filter((r) => r.event === 'SubagentStop');
      expect(stops).toHaveLength(3);
      for (const s of stops) {
        expect(s.input.agent_transcript_path).toBe(
          join(dirname(transcriptPath), sessionId, 'subagents', `agent-${s.input.agent_id}.jsonl`),
        );
        expect(s.input.last_assistant_message).toBe('done');
      }

      // --- b: at a sub-agent's FIRST PreToolUse its transcript holds its prompt -------------
      const agentCallByPrompt = new Map(
        agentPre.map((r) => [r.input.tool_input.prompt as string, r.input.tool_use_id as string]),
      );
      for (const id of agentIds) {
        const first = subPre.find((r) => r.input.agent_id === id)!;
        const t = first.subagentTranscript!;
        expect(t.path).toBe(join(dirname(transcriptPath), sessionId, 'subagents', `agent-${id}.jsonl`));
        expect(t.exists).toBe(true);
        const line0 = t.lines[0];
        expect(line0).toMatchObject({
          type: 'user',
          isSidechain: true,
          parentUuid: null,
          agentId: id,
          sessionId,
          message: { role: 'user' },
        });
        const prompt = line0.message.content as string;
        expect(typeof prompt).toBe('string');
        expect(prompts).toContain(prompt);
        // The sibling meta file names the spawning Agent call.
        expect(first.subagentMeta).toMatchObject({
          agentType: 'general-purpose',
          toolUseId: agentCallByPrompt.get(prompt),
        });
        // ... and the sub-agent that got this prompt is the one that wrote its file.
        const n = prompts.indexOf(prompt) + 1;
        expect(first.input.tool_input.file_path).toBe(join(repo.root, `s${n}.txt`));
      }
      // After the fact, PostToolUse on Agent maps tool_use_id -> agentId too (foreground only:
      // a background launch returns before the agent runs).
      const postAgent = recs.filter((r) => r.event === 'PostToolUse' && r.input.tool_name === 'Agent');
      expect(postAgent).toHaveLength(3);
      for (const r of postAgent) {
        if (background) expect(r.input.tool_response).toMatchObject({ isAsync: true, status: 'async_launched' });
        else expect(agentIds).toContain(r.input.tool_response.agentId);
      }

      // --- c: hook env, and the Bash tool's env ----------------------------------------------
      for (const r of [start, ...mainPre, ...subPre]) {
        expect(r.env).toMatchObject({
          CLAUDE_PROJECT_DIR: repo.root,
          CLAUDE_PLUGIN_ROOT: plugin.dir,
          CLAUDE_PLUGIN_DATA: join(run.home, '.claude', 'plugins', 'data', 'probe-inline'),
          CLAUDE_CODE_SESSION_ID: sessionId,
          CLAUDECODE: '1',
        });
        expect(r.env.PWD).toBe(repo.root);
        expect(Object.values(r.env)).not.toContain(r.input.agent_id ?? '--none--');
      }
      const mainBash = server.toolResultsOf('main').find((r) => r.toolName === 'Bash')!;
      const subBash = ids.map((n) => server.toolResultsOf(`sub${n}`).find((r) => r.toolName === 'Bash')!);
      for (const out of [mainBash, ...subBash]) {
        const env = envOf(out.text);
        expect(env).toMatchObject({ CLAUDE_CODE_SESSION_ID: sessionId, CLAUDECODE: '1' });
        expect(env.CLAUDE_PLUGIN_ROOT).toBeUndefined();
        expect(env.CLAUDE_PROJECT_DIR).toBeUndefined();
        expect(env.PATH!.split(':')).toContain(join(plugin.dir, 'bin'));
        expect(out.text).toContain(`${join(plugin.dir, 'bin', 'probe-bin')}\nprobe-bin-ran`);
        // Nothing in a sub-agent's Bash env says which sub-agent runs it.
        for (const id of agentIds) expect(out.text).not.toContain(id);
      }
    });
  }
});

describe('d: deny from a PreToolUse hook inside a sub-agent', () => {
  for (const mode of ['deny-json', 'exit2'] as const) {
    test(mode, async () => {
      const reason = `FILE HELD by lease L-1 (${mode}); report it instead`;
      const plugin = makeProbePlugin(parent(), {
        events: ['PreToolUse'],
        rules: [{ event: 'PreToolUse', tool: 'Write', inputIncludes: 'held.txt', agent: 'sub', action: mode, reason }],
      });
      server.setScript([
        {
          name: 'sub',
          match: firstUserIncludes('DENY-SUB'),
          turns: [[writeFile(join(repo.root, 'held.txt'), 'x\n'), writeFile(join(repo.root, 'free.txt'), 'y\n')]],
        },
        { name: 'main', match: firstUserIncludes('DENY-MAIN'), turns: [[agent('DENY-SUB write two files')]] },
      ]);
      const run = await runClaude({ cwd: repo.root, prompt: 'DENY-MAIN go', server, pluginDir: plugin.dir });
      const res = expectOk(run);
      expect(existsSync(join(repo.root, 'held.txt'))).toBe(false);
      expect(readFileSync(join(repo.root, 'free.txt'), 'utf8')).toBe('y\n');
      const results = server.toolResultsOf('sub');
      const denied = results.find((r) => r.input?.file_path === join(repo.root, 'held.txt'))!;
      expect(denied.is_error).toBe(true);
      expect(denied.text).toContain(reason);
      if (mode === 'deny-json')
        expect(denied.text.startsWith(`Hook PreToolUse:Write denied this tool`) || denied.text.includes(reason)).toBe(
          true,
        );
      // Denials inside sub-agents reach the session result's permission_denials.
      expect(res.permission_denials).toEqual([
        {
          tool_name: 'Write',
          tool_use_id: denied.tool_use_id,
          tool_input: { file_path: join(repo.root, 'held.txt'), content: 'x\n' },
        },
      ]);
      process.stdout.write(
        `[fact d ${mode}] tool_result text: ${JSON.stringify(denied.text.split('\n\n<system-reminder>')[0])}\n`,
      );
    });
  }
});

describe('g: a failing or hanging PreToolUse hook lets the tool run (fail-open)', () => {
  for (const action of ['exit1', 'crash', 'sleep'] as const) {
    test(action, async () => {
      const plugin = makeProbePlugin(parent(), {
        events: ['PreToolUse'],
        timeout: action === 'sleep' ? 1 : 10,
        rules: [{ event: 'PreToolUse', tool: 'Write', action }],
      });
      const file = join(repo.root, `${action}.txt`);
      server.setScript([
        { name: 'main', match: firstUserIncludes('FAILOPEN'), turns: [[writeFile(file, 'went ahead\n')]] },
      ]);
      const started = Date.now();
      const run = await runClaude({ cwd: repo.root, prompt: 'FAILOPEN go', server, pluginDir: plugin.dir });
      const res = expectOk(run);
      expect(plugin.of('PreToolUse').map((r) => r.action)).toEqual([action]);
      expect(readFileSync(file, 'utf8')).toBe('went ahead\n');
      expect(res.permission_denials).toEqual([]);
      if (action === 'sleep') expect(Date.now() - started).toBeLessThan(25_000);
    });
  }
});

describe('e: a plugin skill invoked as a slash command in -p', () => {
  test('/demo a b expands to the skill body with $ARGUMENTS, $0, $1 and the dirs substituted', async () => {
    const plugin = makeProbePlugin(parent(), {
      events: ['UserPromptSubmit'],
      files: {
        'skills/demo/SKILL.md':
          '---\nname: demo\ndescription: demo skill for tests\n---\nDEMO-BODY args=[$ARGUMENTS] zero=[$0] one=[$1] ' +
          'dir=[${CLAUDE_SKILL_DIR}] root=[${CLAUDE_PLUGIN_ROOT}]\n',
      },
    });
    server.setScript([{ name: 'skill', match: firstUserIncludes('DEMO-BODY'), turns: [[say('ran the skill')]] }]);
    for (const cmd of ['/demo a b', '/probe:demo a b']) {
      const res = expectOk(await runClaude({ cwd: repo.root, prompt: cmd, server, pluginDir: plugin.dir }));
      expect(res.result).toBe('ran the skill');
    }
    const reqs = server.requestsOf('skill');
    expect(reqs).toHaveLength(2);
    for (const r of reqs) {
      const blocks = (r.body as { messages: Array<{ content: Array<{ type: string; text: string }> }> }).messages[0]!
        .content;
      const texts = blocks.map((b) => b.text);
      expect(texts).toContain(
        '<command-message>probe:demo</command-message>\n<command-name>/probe:demo</command-name>\n<command-args>a ' +
          'b</command-args>\n',
      );
      const dir = join(plugin.dir, 'skills', 'demo');
      expect(texts.at(-1)).toBe(
        `Base directory for this skill: ${dir}\n\nDEMO-BODY args=[a b] zero=[a] one=[b] dir=[${dir}] ` +
          `root=[${plugin.dir}]\n`,
      );
    }
    // UserPromptSubmit sees the raw slash command, not the expansion.
    expect(plugin.of('UserPromptSubmit').map((r) => r.input.prompt)).toEqual(['/demo a b', '/probe:demo a b']);
    expect(server.unmatched()).toEqual([]);
  });
});

describe('f: isolation "worktree" on an Agent call', () => {
  test(
    'default: .claude/worktrees/agent-<id> on worktree-agent-<id>, hooks see it as cwd, main-checkout writes ' +
      'refused before hooks',
    async () => {
      const plugin = makeProbePlugin(parent(), {
        events: ['PreToolUse', 'SubagentStart', 'SubagentStop', 'WorktreeRemove'],
      });
      const head = repo.git('rev-parse', 'HEAD');
      server.setScript([
        {
          name: 'sub',
          match: firstUserIncludes('WT-SUB'),
          turns: [
            [bash('pwd; git rev-parse --abbrev-ref HEAD; git rev-parse HEAD', 'where')],
            (ctx) => [writeFile(join(ctx.toolResults[0]!.text.split('\n')[0]!, 'inwt.txt'), 'x\n')],
            [writeFile(join(repo.root, 'leak.txt'), 'leak\n')],
          ],
        },
        { name: 'clean', match: firstUserIncludes('WT-CLEAN'), turns: [[bash('pwd', 'where')]] },
        {
          name: 'main',
          match: firstUserIncludes('WT-MAIN'),
          // One Agent call per turn: two isolated Agent calls in one message race in the client's
          // own `git worktree add` (both write .git/config for the new branch; the loser fails with
          // "could not lock config file", anthropics/claude-code#34645, #47266) and that sub-agent
          // never runs. jitp's WorktreeCreate hook serializes them (worktreeAdmin); this probe has none.
          turns: [
            [agent('WT-SUB work', { isolation: 'worktree' })],
            [agent('WT-CLEAN look only', { isolation: 'worktree' })],
          ],
        },
      ]);
      const res = expectOk(
        await runClaude({
          cwd: repo.root,
          prompt: 'WT-MAIN go',
          server,
          pluginDir: plugin.dir,
          args: ['--allowedTools', 'Bash'],
        }),
      );
      const recs = plugin.records();
      const [where, wrote, leak] = server.toolResultsOf('sub');
      expect(
        where,
        `the sub-agent ran no tool; main saw: ${JSON.stringify(server.toolResultsOf('main'))}`,
      ).toBeDefined();
      const [wtPath, branch, base] = where!.text.split('\n');
      const subStart = recs.find((r) => r.event === 'SubagentStart' && r.input.cwd === wtPath)!;
      const id = subStart.input.agent_id as string;
      expect(wtPath).toBe(join(repo.root, '.claude', 'worktrees', `agent-${id}`));
      expect(branch).toBe(`worktree-agent-${id}`);
      expect(base).toBe(head); // no origin here: based on HEAD
      // Every hook of that sub-agent gets the worktree as cwd; the Agent call itself shows isolation.
      for (const r of recs.filter((r) => r.input.agent_id === id)) expect(r.input.cwd).toBe(wtPath);
      expect(pre(recs, 'Agent').map((r) => r.input.tool_input.isolation)).toEqual(['worktree', 'worktree']);
      expect(wrote!.is_error).toBe(false);
      expect(readFileSync(join(wtPath!, 'inwt.txt'), 'utf8')).toBe('x\n');
      // The write aimed at the main checkout is refused by the client; no PreToolUse ran for it.
      expect(leak!.is_error).toBe(true);
      expect(leak!.text).toContain(`This agent is isolated in the worktree ${wtPath}`);
      expect(existsSync(join(repo.root, 'leak.txt'))).toBe(false);
      expect(pre(recs, 'Write').map((r) => r.input.tool_input.file_path)).toEqual([join(wtPath!, 'inwt.txt')]);
      expect(res.permission_denials).toEqual([]);
      // The worktree with changes is kept (uncommitted); the one without changes is removed.
      expect(repo.git('worktree', 'list', '--porcelain')).toContain(`worktree ${wtPath}`);
      expect(repo.git('status', '--porcelain', '--untracked-files=all', '--', 'inwt.txt', 'leak.txt')).toBe('');
      const cleanPwd = server.toolResultsOf('clean')[0]!.text.split('\n')[0]!;
      expect(cleanPwd).toMatch(new RegExp(`/\\.claude/worktrees/agent-a[0-9a-f]{16}$`));
      expect(existsSync(cleanPwd)).toBe(false);
      expect(
        repo
          .git('branch', '--list', 'worktree-agent-*')
          .split('\n')
          .map((s) => s.replace(/^[*+ ]+/, '')),
      ).toEqual([branch]);
      // No WorktreeRemove hook is called when the client did the git work itself.
      expect(plugin.of('WorktreeRemove')).toEqual([]);
    },
  );

  test(
    'WorktreeCreate hook: its payload, its printed path is used; hook-made worktrees are kept, no WorktreeRemove ' +
      'in -p',
    async () => {
      const wtDir = join(parent(), 'wts');
      const plugin = makeProbePlugin(parent(), {
        events: ['PreToolUse', 'SubagentStart', 'WorktreeCreate', 'WorktreeRemove'],
        rules: [{ event: 'WorktreeCreate', action: 'create-worktree', dir: wtDir }],
      });
      server.setScript([
        {
          name: 'sub',
          match: firstUserIncludes('WTH-SUB'),
          turns: [
            [bash('pwd', 'where')],
            (ctx) => [writeFile(join(ctx.toolResults[0]!.text.split('\n')[0]!, 'inwt.txt'), 'x\n')],
          ],
        },
        { name: 'clean', match: firstUserIncludes('WTH-CLEAN'), turns: [[bash('pwd', 'where')]] },
        {
          name: 'main',
          match: firstUserIncludes('WTH-MAIN'),
          turns: [
            [agent('WTH-SUB work', { isolation: 'worktree' }), agent('WTH-CLEAN look', { isolation: 'worktree' })],
          ],
        },
      ]);
      const res = expectOk(
        await runClaude({
          cwd: repo.root,
          prompt: 'WTH-MAIN go',
          server,
          pluginDir: plugin.dir,
          args: ['--allowedTools', 'Bash'],
        }),
      );
      const creates = plugin.of('WorktreeCreate');
      expect(creates).toHaveLength(2);
      for (const c of creates) {
        expect(Object.keys(c.input).sort()).toEqual(
          ['cwd', 'hook_event_name', 'name', 'prompt_id', 'session_id', 'transcript_path'].sort(),
        );
        expect(c.input.cwd).toBe(repo.root);
        expect(c.input.name).toMatch(/^agent-a[0-9a-f]{16}$/);
      }
      const subPwd = server.toolResultsOf('sub')[0]!.text.split('\n')[0]!;
      const cleanPwd = server.toolResultsOf('clean')[0]!.text.split('\n')[0]!;
      expect(creates.map((c) => join(wtDir, c.input.name)).sort()).toEqual([subPwd, cleanPwd].sort());
      // The name is agent-<agent_id> of the sub-agent that then runs there.
      for (const s of plugin.of('SubagentStart')) expect(s.input.cwd).toBe(join(wtDir, `agent-${s.input.agent_id}`));
      expect(readFileSync(join(subPwd, 'inwt.txt'), 'utf8')).toBe('x\n');
      expect(res.permission_denials).toEqual([]);
      // A hook-made worktree is kept even when the sub-agent changed nothing, and WorktreeRemove
      // is not called in -p (not at sub-agent end, not at session end): the plugin must clean up.
      expect(existsSync(cleanPwd)).toBe(true);
      expect(plugin.of('WorktreeRemove')).toEqual([]);
      expect(
        server
          .toolResultsOf('main')
          .map((r) => r.text)
          .join('\n'),
      ).toContain(`worktreePath: ${cleanPwd}`);
    },
  );
});

describe('Bash permissions under -p --permission-mode acceptEdits', () => {
  test('without --allowedTools, a plain plugin bin command and a compound command: which are denied', async () => {
    const plugin = makeProbePlugin(parent(), {
      events: ['PreToolUse'],
      files: { 'bin/probe-bin': '#!/bin/sh\necho probe-bin-ran\n' },
    });
    server.setScript([
      {
        name: 'main',
        match: firstUserIncludes('PERM'),
        turns: [
          [
            bash('probe-bin', 'one'),
            bash('git status --short', 'two'),
            bash('echo a > out.txt', 'three'),
            bash('ls; probe-bin', 'four'),
          ],
        ],
      },
    ]);
    const res = expectOk(await runClaude({ cwd: repo.root, prompt: 'PERM go', server, pluginDir: plugin.dir }));
    const out = Object.fromEntries(
      server.toolResultsOf('main').map((r) => [r.input!.command as string, r.is_error ? 'denied' : 'ran']),
    );
    process.stdout.write(`[fact bash-perm] ${JSON.stringify(out)}\n`);
    const deniedCmds = res.permission_denials.map((d) => d.tool_input.command).sort();
    expect(deniedCmds).toEqual(
      Object.keys(out)
        .filter((k) => out[k] === 'denied')
        .sort(),
    );
    expect(out['git status --short']).toBe('ran');
  });
});
