// A sub-agent's own transcript, where its binding line is: found from the hook payload, and
// only its first record read. Shared by the binding lookup (binding-resolve.ts), its lazy first
// binding (first-binding.ts) and the SubagentStart/Stop handlers.
import { closeSync, openSync, readSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { HookInput } from './contract.js';

/** The sub-agent's transcript: `<dir of session transcript>/<session>/subagents/agent-<id>.jsonl`. */
export function subagentTranscriptPath(input: HookInput, agentId: string): string | undefined {
  const tp = input.transcript_path;
  if (typeof tp !== 'string' || !tp) return undefined;
  const session = typeof input.session_id === 'string' && input.session_id ? input.session_id : basename(tp, '.jsonl');
  return join(dirname(tp), session, 'subagents', `agent-${agentId}.jsonl`);
}

/** First line of a file, reading at most 1 MiB (the first record is the initial prompt). */
export function firstLine(file: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const chunks: Buffer[] = [];
    const buf = Buffer.alloc(64 * 1024);
    for (let total = 0; total < 1024 * 1024;) {
      const n = readSync(fd, buf, 0, buf.length, total);
      if (n <= 0) break;
      const nl = buf.subarray(0, n).indexOf(10);
      if (nl >= 0) {
        chunks.push(Buffer.from(buf.subarray(0, nl)));
        return Buffer.concat(chunks).toString('utf8');
      }
      chunks.push(Buffer.from(buf.subarray(0, n)));
      total += n;
    }
    return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
  } finally {
    closeSync(fd);
  }
}

/** The initial prompt text from a transcript's first record, if it is the sub-agent's user message. */
export function initialPromptOf(transcriptFirstLine: string | undefined, agentId: string): string | undefined {
  if (!transcriptFirstLine) return undefined;
  let rec: { type?: unknown; agentId?: unknown; message?: { role?: unknown; content?: unknown } };
  try {
    rec = JSON.parse(transcriptFirstLine);
  } catch {
    return undefined;
  }
  if (rec?.type !== 'user' || rec.message?.role !== 'user') return undefined;
  if (rec.agentId !== undefined && rec.agentId !== agentId) return undefined;
  const c = rec.message.content;
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) {
    const t = c.find((b) => b && typeof b === 'object' && (b as { type?: unknown }).type === 'text');
    return typeof (t as { text?: unknown })?.text === 'string' ? (t as { text: string }).text : undefined;
  }
  return undefined;
}
