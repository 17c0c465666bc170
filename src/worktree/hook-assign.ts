// Which issue a WorktreeCreate call is for. Pure: the worktree's name, the pending isolated Agent
// calls (from the parent transcript), their binding lines, and the batch in; a decision out.
//
// jitp acts only for a worktree a binding names. Everything else (`claude -w foo`, EnterWorktree,
// an isolated sub-agent whose prompt has no binding line) gets exactly the client's own worktree
// ('plain'). There is deliberately no "the batch's next unassigned issue" fallback any more: a
// worktree without a binding line is not known to be a batch worker, and handing it a batch
// issue's worktree gave an unrelated session that issue's branch and lease (issue 14, item 10).
// Batch sub-agents always carry the binding line: `jitp prompt` renders it as the first line.
import { parseBindingLine } from '../core/binding.js';
import type { Batch, BatchIssue } from './batch.js';
import type { PendingAgentCall } from './transcript.js';

export type Assignment =
  | { kind: 'existing'; issue: BatchIssue } // this agent already has a worktree (a retried hook)
  | { kind: 'binding'; leaseId: string; secret: string } // the one pending call's prompt names its lease
  | { kind: 'plain' } // nothing names this worktree: the client's own, made as the client would
  | { kind: 'refuse'; reason: string };

/** `agent-<agent id>`: the name the client gives an isolated sub-agent's worktree (2.1.330). */
const AGENT_NAME = /^agent-([A-Za-z0-9]+)$/;

/** The client's agent id in a sub-agent worktree's name, or null for any other name (`claude -w foo`). */
export function agentIdOfName(name: string): string | null {
  return AGENT_NAME.exec(name)?.[1] ?? null;
}

/** Some pending call's prompt starts with a binding line: only then is jitp's state worth reading. */
export const anyBinding = (calls: PendingAgentCall[]): boolean => calls.some((c) => parseBindingLine(c.prompt));

export function assignWorktree(calls: PendingAgentCall[], batch: Batch | undefined, name: string): Assignment {
  const claudeAgentId = agentIdOfName(name);
  // Not a sub-agent's worktree: no Agent call (and so no binding) can be about it.
  if (!claudeAgentId) return { kind: 'plain' };
  const mine = batch?.issues.find((i) => i.agent.claudeAgentId === claudeAgentId && i.worktree);
  if (mine) return { kind: 'existing', issue: mine };
  const bindings = calls.map((c) => parseBindingLine(c.prompt));
  if (calls.length > 1 && bindings.some(Boolean)) {
    return {
      kind: 'refuse',
      reason:
        `jit-parallel: ${calls.length} Agent calls with isolation "worktree" in one message; the client creates ` +
        `their worktrees ` +
        'in no fixed order, so jitp cannot tell which issue each is for. Start each worktree sub-agent in its own ' +
        'message ' +
        '(one Agent call per message with run_in_background: true; they still run in parallel).',
    };
  }
  const b = calls.length === 1 ? bindings[0] : null;
  if (b) return { kind: 'binding', leaseId: b.leaseId, secret: b.secret };
  return { kind: 'plain' };
}
