// The PreToolUse input the client sends (docs/hooks.md, "What the answers look like"), built once
// for the hook tests: each used to carry its own copy of this literal.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { DIST_HOOK } from './paths.js';

export interface PreToolUseAt {
  session: string;
  /** The folder of the session's transcript (`<transcripts>/<session>.jsonl`). */
  transcripts: string;
  cwd: string;
  /** A sub-agent's id: the call is the sub-agent's (agent_id, agent_type general-purpose). */
  agent?: string;
  /** Fields added last (they may override the above). */
  extra?: Record<string, unknown>;
}

export const preToolUse = (tool: string, tool_input: Record<string, unknown>, at: PreToolUseAt) => ({
  session_id: at.session,
  transcript_path: join(at.transcripts, `${at.session}.jsonl`),
  cwd: at.cwd,
  permission_mode: 'acceptEdits',
  hook_event_name: 'PreToolUse',
  tool_name: tool,
  tool_input,
  tool_use_id: 'toolu_1',
  ...(at.agent ? { agent_id: at.agent, agent_type: 'general-purpose' } : {}),
  ...at.extra,
});

/**
 * The shipped PreToolUse hook run on `payload` in `cwd`, with a bare environment (PATH, HOME and the
 * run's code-cache folder): its trimmed stdout, after checking it exited 0.
 */
export function preToolUseOut(cwd: string, payload: object): string {
  const r = spawnSync(process.execPath, [DIST_HOOK, 'pre-tool-use'], {
    input: JSON.stringify(payload),
    encoding: 'utf8',
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, JITP_CODE_CACHE_DIR: process.env.JITP_CODE_CACHE_DIR },
  });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}
