// The headless agent's prompt for one issue.
// TODO(h/dispatch): render with `jitp prompt` (the shared sub-agent prompt, with the binding
// line) once it lands; this keeps the same first-line binding when a lease secret exists.
import { formatBindingLine } from '../core/binding.js';
import type { BatchIssue } from '../worktree/batch.js';

export function renderSpawnPrompt(issue: BatchIssue, opts: { lease?: { id: string; bindSecret?: string } | null; integration: string }): string {
  const lines: string[] = [];
  if (opts.lease?.bindSecret) lines.push(formatBindingLine(opts.lease.id, opts.lease.bindSecret));
  lines.push(
    `You are working on one issue in your own git worktree: ${issue.worktree}`,
    `Branch: ${issue.branch} (it will be merged into ${opts.integration} later; do not switch branches).`,
    'Edit only files inside this worktree. Keep the change focused on this issue.',
    '',
    `## Issue ${issue.short}: ${issue.title.replace(/[\r\n]+/g, ' ')}`,
  );
  if (issue.instructions) lines.push('', issue.instructions.trim());
  if (issue.files.length) lines.push('', 'Files this issue is expected to change:', ...issue.files.map((f) => `- ${f}`));
  lines.push('', 'When done, reply with a short summary of what you changed. Uncommitted changes are committed for you.');
  return lines.join('\n');
}
