// Reads the parent session's transcript to see which `Agent` calls with `isolation:
// "worktree"` the model has just made. The WorktreeCreate hook input carries only a name
// (`agent-<agent id>`), not the sub-agent's prompt, and the client creates the worktrees of
// one message's Agent calls concurrently in no fixed order (seen on 2.1.330): only the
// prompts in the transcript say which issue a worktree is for.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

export interface PendingAgentCall {
  toolUseId: string;
  prompt: string;
  description: string;
}

const TAIL_BYTES = 512 * 1024;

function readTail(path: string): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const len = Math.min(size, TAIL_BYTES);
    const buf = Buffer.alloc(len);
    readSync(fd, buf, 0, len, size - len);
    const text = buf.toString('utf8');
    return size > len ? text.slice(text.indexOf('\n') + 1) : text; // drop a torn first line
  } finally {
    closeSync(fd);
  }
}

/** Isolated Agent calls of the last assistant message in the transcript text. Pure. */
export function isolatedCallsOfLastMessage(text: string): PendingAgentCall[] {
  const entries: Array<{ id: string; content: unknown[] }> = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let e: { type?: string; isSidechain?: boolean; message?: { id?: string; role?: string; content?: unknown } };
    try {
      e = JSON.parse(line);
    } catch {
      continue;
    }
    const m = e.message;
    if (e.isSidechain || !m || m.role !== 'assistant' || !Array.isArray(m.content)) continue;
    entries.push({ id: String(m.id ?? ''), content: m.content });
  }
  const last = entries[entries.length - 1];
  if (!last) return [];
  // One model message may be stored as several lines sharing the message id.
  const blocks = entries.filter((e) => e.id === last.id && last.id !== '').flatMap((e) => e.content);
  const all = last.id ? blocks : last.content;
  const calls: PendingAgentCall[] = [];
  for (const b of all as Array<{ type?: string; id?: string; name?: string; input?: Record<string, unknown> }>) {
    if (b?.type !== 'tool_use' || (b.name !== 'Agent' && b.name !== 'Task')) continue;
    if (b.input?.isolation !== 'worktree') continue;
    calls.push({
      toolUseId: String(b.id ?? ''),
      prompt: String(b.input.prompt ?? ''),
      description: String(b.input.description ?? ''),
    });
  }
  return calls;
}

export function pendingIsolatedCalls(transcriptPath: string): PendingAgentCall[] {
  try {
    return isolatedCallsOfLastMessage(readTail(transcriptPath));
  } catch {
    return [];
  }
}
