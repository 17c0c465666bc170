// The sub-agent transcript the client writes: <transcripts>/<session>/subagents/agent-<id>.jsonl,
// whose first record is the sub-agent's initial prompt (where the hooks look for its binding).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeSubagentTranscript(transcripts: string, session: string, agentId: string, prompt: string): void {
  const dir = join(transcripts, session, 'subagents');
  mkdirSync(dir, { recursive: true });
  const rec = {
    parentUuid: null,
    isSidechain: true,
    agentId,
    type: 'user',
    message: { role: 'user', content: prompt },
    uuid: 'u1',
  };
  writeFileSync(join(dir, `agent-${agentId}.jsonl`), `${JSON.stringify(rec)}\n`);
}
