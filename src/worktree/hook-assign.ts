// Which issue a WorktreeCreate call is for. Pure: the pending isolated Agent calls (from the
// parent transcript), their binding lines, and the batch in; a decision out.
import { parseBindingLine } from '../core/binding.js';
import type { Batch, BatchIssue } from './batch.js';
import type { PendingAgentCall } from './transcript.js';

export type Assignment =
  | { kind: 'existing'; issue: BatchIssue } // this agent already has a worktree (a retried hook)
  | { kind: 'binding'; leaseId: string; secret: string } // the one pending call's prompt names its lease
  | { kind: 'next'; issue: BatchIssue } // no binding line: the batch's next unassigned issue
  | { kind: 'plain' } // no batch, no binding: an ordinary worktree, as the client would make
  | { kind: 'refuse'; reason: string };

export function assignWorktree(calls: PendingAgentCall[], batch: Batch | undefined, claudeAgentId: string): Assignment {
  const mine = batch?.issues.find((i) => i.agent.claudeAgentId === claudeAgentId && i.worktree);
  if (mine) return { kind: 'existing', issue: mine };
  const bindings = calls.map((c) => parseBindingLine(c.prompt));
  if (calls.length > 1 && (bindings.some(Boolean) || batch)) {
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
  const b = bindings[0];
  if (b) return { kind: 'binding', leaseId: b.leaseId, secret: b.secret };
  if (!batch) return { kind: 'plain' };
  const next = batch.issues.find(
    (i) =>
      !i.agent.claudeAgentId &&
      i.merge.state !== 'merged' &&
      i.merge.state !== 'skipped' &&
      i.agent.state !== 'running' &&
      i.agent.state !== 'done',
  );
  if (!next) {
    return {
      kind: 'refuse',
      reason:
        'jit-parallel: every issue of the batch already has an agent; nothing left to give this sub-agent (`jitp ' +
        'status`)',
    };
  }
  return { kind: 'next', issue: next };
}
