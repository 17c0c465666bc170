// Colour for people at a terminal. Whether to colour is the CLI's decision (cli/style.ts); this
// only paints, through Node's own util.styleText (Node >= 20.12: the SGR codes are Node's, no
// table of our own and no package). Older Node 20 releases have no styleText: text stays plain
// there rather than failing. It is read off the namespace, not imported by name, because a
// named import of a missing export fails the whole bundle at load time on those releases.
import * as util from 'node:util';

export interface Style {
  enabled: boolean;
  bold(s: string): string;
  dim(s: string): string;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

type Format = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan';
/** util.styleText's shape; the options argument is ignored by the 20.x releases that predate it. */
export type StyleText = (format: Format, text: string, options?: { validateStream?: boolean }) => string;

const nodeStyleText = (util as { styleText?: StyleText }).styleText;

/**
 * Painters that colour when `enabled` (and `styleText` exists; null: a Node without it). `validateStream: false`: the
 * caller has decided already; newer Node would otherwise re-check process.stdout and NO_COLOR.
 */
export function makeStyle(enabled: boolean, styleText: StyleText | null = nodeStyleText ?? null): Style {
  const on = enabled && typeof styleText === 'function';
  const paint = (f: Format) => (s: string) => (on && s ? styleText!(f, s, { validateStream: false }) : s);
  return {
    enabled: on,
    bold: paint('bold'),
    dim: paint('dim'),
    red: paint('red'),
    green: paint('green'),
    yellow: paint('yellow'),
    cyan: paint('cyan'),
  };
}

export const PLAIN: Style = makeStyle(false);
