// Helpers for scripted models that follow a skill through the Bash tool and read jitp's real
// answers from the tool_results (test/dispatch/e2e-client.test.ts, test/worktree/skill-e2e.test.ts).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { tempDir } from './git.js';
import { say, startModelServer, type Actor, type ModelServer, type TurnContext } from './model-server.js';
// @ts-expect-error plain ESM helper shared with the demo
import { buildDemoRepo } from '../../scripts/demo-fixture.mjs';

export interface DemoSession {
  base: string;
  /** The example repository (scripts/demo-fixture.mjs), fresh for each test. */
  root: string;
  server: ModelServer;
}

/** Each test of the file gets a fresh example repository and a scripted model server. */
export function useDemoSession(prefix: string, set: (s: DemoSession) => void): void {
  let s: DemoSession | undefined;
  beforeEach(async () => {
    const base = tempDir(prefix);
    const root = join(base, 'textkit');
    buildDemoRepo(root);
    s = { base, root, server: await startModelServer() };
    set(s);
  });
  afterEach(async () => {
    await s?.server.close();
    if (s) rmSync(s.base, { recursive: true, force: true });
  });
}

/** A Bash tool_result's output without the client's trailing system reminders. */
export const toolOutput = (text: string): string =>
  text.replace(/\n*<system-reminder>[\s\S]*?<\/system-reminder>\s*/g, '').replace(/\n+$/, '');

/** The Bash tool merges stderr (jitp's progress lines) into the output: take the JSON object. */
export function jsonOf(text: string) {
  const t = toolOutput(text);
  const start = t.search(/^\{/m);
  if (start < 0) throw new Error(`no JSON in: ${t.slice(0, 500)}`);
  return JSON.parse(t.slice(start, t.lastIndexOf('}') + 1));
}

/**
 * The output of the last turn's Bash call whose command contains `needle`. `exitOneIsAnswer`:
 * jitp verify and finish exit 1 when a human is needed; the Bash tool marks that an error, but
 * its output is the answer the skill reads.
 */
export function resultFor(ctx: TurnContext, needle: string, exitOneIsAnswer = false): string {
  const r = ctx.toolResults.find((t) => String(t.input?.command ?? '').includes(needle));
  if (!r)
    throw new Error(
      `no tool_result for a command containing ${needle}: ${JSON.stringify(ctx.toolResults.map((t) => t.input))}`,
    );
  if (r.is_error && !(exitOneIsAnswer && /Exit code 1\b/.test(r.text))) throw new Error(`${needle} failed: ${r.text}`);
  return toolOutput(r.text);
}

/**
 * A scripted step that throws would make the client retry for minutes: end the run instead,
 * with the error as the model's answer (kept in `seen.error`, so the assertions fail with it).
 */
export function endOnScriptError(actor: Actor, seen: Record<string, unknown>): Actor {
  actor.turns = actor.turns.map((t) =>
    typeof t === 'function'
      ? async (ctx: TurnContext) => {
          try {
            return await t(ctx);
          } catch (e) {
            seen.error = String((e as Error).stack ?? e);
            return [say(`SCRIPT ERROR: ${(e as Error).message}`)];
          }
        }
      : t,
  );
  return actor;
}
