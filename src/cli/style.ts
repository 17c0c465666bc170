// Colour for people at a terminal, never for programs: on only when stdout is a TTY (or
// FORCE_COLOR asks for it), off when NO_COLOR is set (https://no-color.org) or TERM is dumb,
// and never with --json. Plain SGR codes: five of them do not need a library.
export interface Style {
  enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

/** Whether to colour: NO_COLOR (any non-empty value) wins, then FORCE_COLOR, then a TTY that is not dumb. */
export function colourWanted(env: NodeJS.ProcessEnv, isTty: boolean): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  return isTty && env.TERM !== 'dumb';
}

const sgr = (on: boolean, open: number, close: number) => (s: string) =>
  on && s ? `\u001b[${open}m${s}\u001b[${close}m` : s;

export function makeStyle(enabled: boolean): Style {
  return {
    enabled,
    bold: sgr(enabled, 1, 22),
    dim: sgr(enabled, 2, 22),
    red: sgr(enabled, 31, 39),
    green: sgr(enabled, 32, 39),
    yellow: sgr(enabled, 33, 39),
    cyan: sgr(enabled, 36, 39),
  };
}

export const PLAIN: Style = makeStyle(false);
