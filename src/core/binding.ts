// How a sub-agent is tied to its lease. The orchestrator renders each sub-agent's prompt
// with `jitp prompt`, whose FIRST line is a binding line carrying the lease id and the
// lease's secret nonce (generated at acquire time, stored only in the lease store). Hooks
// read the sub-agent's own first prompt line (never anything later, where issue text sits)
// and bind the client's `agent_id` to that lease. Issue text cannot forge a binding: it is
// never on the first line, and it cannot know the secret.

export const BINDING_RE = /^<!-- jitp-binding: lease=(L-[0-9a-f]{6,32}) secret=([0-9a-f]{16,64}) -->$/;

export function formatBindingLine(leaseId: string, secret: string): string {
  const line = `<!-- jitp-binding: lease=${leaseId} secret=${secret} -->`;
  if (!BINDING_RE.test(line)) throw new Error(`invalid binding values: ${leaseId}`);
  return line;
}

/** Parses only the first line of `prompt`; returns undefined when it is not a binding line. */
export function parseBindingLine(prompt: string): { leaseId: string; secret: string } | undefined {
  const nl = prompt.indexOf('\n');
  const first = (nl < 0 ? prompt : prompt.slice(0, nl)).replace(/\r$/, '');
  const m = BINDING_RE.exec(first);
  return m ? { leaseId: m[1]!, secret: m[2]! } : undefined;
}
