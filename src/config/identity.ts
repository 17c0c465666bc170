// The acting agent's identity from where jit keeps it: --agent, JIT_AGENT_ID, or
// ~/.config/jit/agent.toml (read here; the rules are core/identity.ts), else the default.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { agentIdFrom } from '../core/identity.js';

export interface IdentitySources {
  flag?: string | undefined;
  env?: NodeJS.ProcessEnv;
  /** Home directory for agent.toml; defaults to os.homedir(). */
  home?: string;
}

export function agentTomlPath(home: string = homedir()): string {
  return join(home, '.config', 'jit', 'agent.toml');
}

/** The agent id and where it came from; E_IDENTITY (exit 9) only for a malformed id or agent.toml. */
export function resolveAgentId(src: IdentitySources): { agentId: string; from: string } {
  const env = src.env ?? process.env;
  const file = agentTomlPath(src.home ?? env.HOME ?? homedir());
  let text: string | undefined;
  // Read only when it decides: --agent and JIT_AGENT_ID come first.
  if (!src.flag && !env.JIT_AGENT_ID) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      text = undefined;
    }
  }
  return agentIdFrom({ flag: src.flag, envId: env.JIT_AGENT_ID, toml: { file, text } });
}
