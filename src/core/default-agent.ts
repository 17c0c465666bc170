// The identity of a session that set none (no --agent, JIT_AGENT_ID or agent.toml). The one copy:
// the CLI (core/identity.ts), the hooks and the commit guard all take it from here, and the
// skills rely on it instead of spelling it out. A module of its own so the hooks' hot path can
// import it without the TOML parser.
export const DEFAULT_AGENT_ID = 'agent:claude';
