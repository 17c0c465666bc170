// Helpers for scripted models that follow a skill through the Bash tool and read jitp's real
// answers from the tool_results (test/dispatch/e2e-client.test.ts, test/worktree/skill-e2e.test.ts).
import { say, type Actor, type TurnContext } from './model-server.js';

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
