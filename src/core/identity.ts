// Who is acting. Same order and format as jit: `--agent`, else JIT_AGENT_ID, else
// ~/.config/jit/agent.toml `[agent] id`; ids are `type:name` (e.g. `agent:alice`).
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { JitpError } from '../platform/errors.js';

export const AGENT_ID_RE = /^[a-z][a-z0-9_-]{0,31}:[A-Za-z0-9._@+-][A-Za-z0-9._@+:-]{0,127}$/;

const HOW =
  'pass --agent agent:<name>, or export JIT_AGENT_ID=agent:<name>, or put `[agent] id = "agent:<name>"` in ~/.config/jit/agent.toml';

export function validateAgentId(id: string, from: string): string {
  if (!AGENT_ID_RE.test(id)) {
    throw new JitpError(
      'E_IDENTITY',
      `invalid agent id ${JSON.stringify(id)} (from ${from}): expected type:name, e.g. agent:alice`,
      {
        hint: `type is lower-case letters/digits/-/_, name has no spaces; ${HOW}`,
      },
    );
  }
  return id;
}

export interface IdentitySources {
  flag?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Home directory for agent.toml; defaults to os.homedir(). */
  home?: string;
}

export function agentTomlPath(home: string = homedir()): string {
  return join(home, '.config', 'jit', 'agent.toml');
}

/** Returns the agent id and where it came from, or throws E_IDENTITY (exit 9) saying how to set it. */
export function resolveAgentId(src: IdentitySources): { agentId: string; from: string } {
  if (src.flag !== undefined && src.flag !== '')
    return { agentId: validateAgentId(src.flag, '--agent'), from: '--agent' };
  const env = src.env ?? process.env;
  if (env.JIT_AGENT_ID) return { agentId: validateAgentId(env.JIT_AGENT_ID, 'JIT_AGENT_ID'), from: 'JIT_AGENT_ID' };
  const file = agentTomlPath(src.home ?? env.HOME ?? homedir());
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    let doc: Record<string, unknown>;
    try {
      doc = parseToml(text) as Record<string, unknown>;
    } catch (e) {
      throw new JitpError('E_IDENTITY', `cannot parse ${file}: ${(e as Error).message.split('\n')[0]}`, {
        hint: `fix the TOML in ${file} (expected [agent] id = "agent:<name>"), or ${HOW}`,
      });
    }
    const agent = doc.agent as Record<string, unknown> | undefined;
    const id = agent?.id;
    if (typeof id === 'string' && id) return { agentId: validateAgentId(id, file), from: file };
  }
  throw new JitpError(
    'E_IDENTITY',
    'no agent identity: --agent, JIT_AGENT_ID and ~/.config/jit/agent.toml are all unset',
    {
      hint: HOW,
    },
  );
}
