// Whether to colour: for people at a terminal, never for programs. The painting itself is
// render/style.ts. Order (docs/cli.md, "Output for people"): --json never; --no-color / --color
// (the person at the keyboard, above the environment as no-color.org asks); NO_COLOR (any
// non-empty value) off; FORCE_COLOR 0/false off, 1-3/true/empty on even in a pipe, except in
// the Bash tool of Claude Code (CLAUDECODE=1, docs/claude-client-facts.md c), whose reader is a
// model: a FORCE_COLOR exported for a person's CI tools must not put escape codes in its way;
// else a TTY whose TERM is not dumb.
export interface ColourFlags {
  json?: boolean;
  color?: boolean;
  noColor?: boolean;
}

export function colourWanted(env: NodeJS.ProcessEnv, isTty: boolean, flags: ColourFlags = {}): boolean {
  if (flags.json || flags.noColor) return false;
  if (flags.color) return true;
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && !(env.CLAUDECODE && !isTty)) {
    const f = force.trim().toLowerCase();
    if (f === '' || f === 'true') return true;
    if (/^\d+$/.test(f)) return Number(f) > 0;
    return false; // an unreadable value: Node and supports-color colour nothing then either
  }
  return isTty && env.TERM !== 'dumb';
}
