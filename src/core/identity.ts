// Who is acting. Same order and format as jit: `--agent`, else JIT_AGENT_ID, else
// ~/.config/jit/agent.toml `[agent] id`, else DEFAULT_AGENT_ID; ids are `type:name` (e.g.
// `agent:alice`). One default, used by the CLI, the hooks and the skills alike, so a session
// that sets nothing still acts as one agent everywhere.
// Pure: the adapter (src/config/identity.ts) reads the file and hands its text in.
import { parse as parseToml } from 'smol-toml';
import { JitpError } from '../platform/errors.js';
import { DEFAULT_AGENT_ID } from './default-agent.js';

export { DEFAULT_AGENT_ID };

/** Where the default came from, as `from` says it. */
export const DEFAULT_AGENT_FROM = 'default';

export const AGENT_ID_RE = /^[a-z][a-z0-9_-]{0,31}:[A-Za-z0-9._@+-][A-Za-z0-9._@+:-]{0,127}$/;

const HOW =
  'pass --agent agent:<name>, or export JIT_AGENT_ID=agent:<name>, or put `[agent] id = "agent:<name>"` in ' +
  '~/.config/jit/agent.toml';

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

export interface IdentityInputs {
  flag?: string | undefined;
  /** JIT_AGENT_ID. */
  envId?: string | undefined;
  /** agent.toml: where it is, and its text when it could be read. */
  toml: { file: string; text?: string | undefined };
}

/** Returns the agent id and where it came from; throws E_IDENTITY (exit 9) only for a malformed one. */
export function agentIdFrom(src: IdentityInputs): { agentId: string; from: string } {
  if (src.flag !== undefined && src.flag !== '')
    return { agentId: validateAgentId(src.flag, '--agent'), from: '--agent' };
  if (src.envId) return { agentId: validateAgentId(src.envId, 'JIT_AGENT_ID'), from: 'JIT_AGENT_ID' };
  const { file, text } = src.toml;
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
  // A file without `[agent] id` is jit's config for other things: the default, not an error.
  return { agentId: DEFAULT_AGENT_ID, from: DEFAULT_AGENT_FROM };
}
