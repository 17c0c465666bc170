// The real `claude` binary (pinned) with this plugin: a bound sub-agent writes a free file
// (policy extend), the hook adds it to the lease and answers with PreToolUse
// `additionalContext`. Does the model get that text? (issue 13, item 10; docs/claude-client-facts.md)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe as describeAlways, expect, test as testAlways } from 'vitest';
import { formatBindingLine } from '../../../src/core/binding.js';
import { LocalLeaseStore } from '../../../src/store/local/local-store.js';
import { expectOk, runClaude } from '../../support/claude.js';
import { makeRepo, type TempRepo } from '../../support/git.js';
import { agent, firstUserIncludes, startModelServer, writeFile, type ModelServer } from '../../support/model-server.js';
import { ROOT, NO_CLIENT } from '../../support/paths.js';
import { stateText } from '../../support/state-edit.js';

const describe = describeAlways.skipIf(NO_CLIENT);
const test = testAlways.skipIf(NO_CLIENT);

let repo: TempRepo;
let server: ModelServer;
beforeEach(async () => {
  repo = makeRepo({ 'src/f1.ts': 'one\n' });
  server = await startModelServer();
});
afterEach(async () => {
  await server.close();
  repo.cleanup();
});

describe('real client: the extend note', () => {
  test("a free file added to a sub-agent's lease is told to that sub-agent's model", async () => {
    const storeDir = join(repo.root, '.git', 'jit-parallel');
    const L = await new LocalLeaseStore({ storeDir }).acquire({
      issueId: 'issue-1',
      agentId: 'agent:orch',
      paths: ['src/f1.ts'],
    });
    const free = join(repo.root, 'src/new-free.ts');
    server.setScript([
      {
        name: 'sub',
        match: firstUserIncludes('E2E-EXTEND-SUB'),
        turns: [[writeFile(free, 'new\n')]],
        finalText: 'sub done',
      },
      {
        name: 'main',
        match: firstUserIncludes('E2E-EXTEND'),
        turns: [[agent(`${formatBindingLine(L.id, L.bindSecret!)}\nE2E-EXTEND-SUB: work on issue-1`)]],
      },
    ]);
    expectOk(await runClaude({ cwd: repo.root, prompt: 'E2E-EXTEND go', server, pluginDir: ROOT, timeoutMs: 90_000 }));
    expect(readFileSync(free, 'utf8')).toBe('new\n'); // the write went ahead
    const state = stateText(storeDir);
    expect(state).toContain('src/new-free.ts'); // and the file joined the lease
    // Everything the sub-agent's model was sent after its Write.
    const after = server
      .requestsOf('sub')
      .slice(1)
      .map((r) => JSON.stringify(r.body))
      .join('\n');
    // Observed on 2.1.330: a text block after the tool result, in a system reminder.
    expect(after).toContain(
      `<system-reminder>\\nPreToolUse:Write hook additional context: jit-parallel: src/new-free.ts was free and ` +
        `is now part of your lease ${L.id} (issue issue-1)`,
    );
  });
});
