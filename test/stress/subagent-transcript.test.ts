// Stress for the fact the hooks' binding relies on (docs/claude-client-facts.md, b): at a
// sub-agent's first PreToolUse its transcript already holds its prompt as line 1 and its
// meta file names the spawning Agent call. Many sub-agents in one message, zero model latency,
// foreground and background. `npm run test:stress` (JITP_STRESS_RUNS, default 10 runs of 6).
import { dirname, join } from 'node:path';
import { expect, test as testAlways } from 'vitest';
import { NO_CLIENT } from '../support/paths.js';
import { expectOk, runClaude } from '../support/claude.js';
import { makeRepo } from '../support/git.js';
import { agent, firstUserIncludes, readFile, startModelServer, toolUse, writeFile } from '../support/model-server.js';
import { makeProbePlugin, type ProbeRecord } from '../support/probe-plugin.js';

// The real client is opt-in (npm run setup:client): without it these tests skip.
const test = testAlways.skipIf(NO_CLIENT);

const RUNS = Number(process.env.JITP_STRESS_RUNS ?? 10);
const AGENTS = 6;

test(
  `sub-agent transcript holds the prompt at its first PreToolUse (${RUNS} runs x ${AGENTS} sub-agents)`,
  { timeout: RUNS * 60_000 },
  async () => {
    let checked = 0;
    for (let run = 0; run < RUNS; run++) {
      const repo = makeRepo();
      const server = await startModelServer();
      try {
        const plugin = makeProbePlugin(dirname(repo.root), { events: ['PreToolUse'] });
        const ids = Array.from({ length: AGENTS }, (_, i) => i + 1);
        const background = run % 2 === 1;
        const prompt = (n: number) => `STRESS-${run}-${n}: go`;
        server.setScript([
          ...ids.map((n) => ({
            name: `s${n}`,
            match: firstUserIncludes(`STRESS-${run}-${n}:`),
            turns: [[n % 2 ? readFile(join(repo.root, 'README.md')) : writeFile(join(repo.root, `f${n}.txt`), 'x')]],
          })),
          {
            name: 'main',
            match: firstUserIncludes('STRESS-MAIN'),
            turns: [
              ids.map((n) =>
                background
                  ? toolUse('Agent', { description: `d${n}`, prompt: prompt(n), subagent_type: 'general-purpose' })
                  : agent(prompt(n)),
              ),
            ],
          },
        ]);
        expectOk(await runClaude({ cwd: repo.root, prompt: 'STRESS-MAIN', server, pluginDir: plugin.dir }));
        const recs = plugin.of('PreToolUse');
        const spawnIds = new Map(
          recs
            .filter((r) => r.input.tool_name === 'Agent')
            .map((r) => [r.input.tool_input.prompt as string, r.input.tool_use_id as string]),
        );
        const firsts = new Map<string, ProbeRecord>();
        for (const r of recs) if (r.input.agent_id && !firsts.has(r.input.agent_id)) firsts.set(r.input.agent_id, r);
        expect(firsts.size).toBe(AGENTS);
        for (const [id, r] of firsts) {
          const line0 = r.subagentTranscript!.lines[0];
          expect(r.subagentTranscript!.exists, `run ${run} agent ${id}`).toBe(true);
          expect(line0).toMatchObject({ type: 'user', agentId: id });
          expect(spawnIds.has(line0.message.content)).toBe(true);
          expect(r.subagentMeta?.toolUseId).toBe(spawnIds.get(line0.message.content));
          checked++;
        }
      } finally {
        await server.close();
        repo.cleanup();
      }
    }
    expect(checked).toBe(RUNS * AGENTS);
  },
);
