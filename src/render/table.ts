// Aligned text tables for terminals: widths are display columns, not string lengths, so CJK
// and other East-Asian wide characters and emoji count two, combining marks, zero-width and
// ANSI colour codes none (get-east-asian-width: the Unicode table, small and kept up to date by
// its author; the grapheme split is the built-in Intl.Segmenter). CLI only; never on the hooks'
// hot path (test/layers.test.ts).
import { eastAsianWidth } from 'get-east-asian-width';
import { flatLine } from './text.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const segmenter = new Intl.Segmenter();
/** Marks, format characters (zero-width joiners, bidi marks) and controls: no column of their own. */
const ZERO = /^[\p{Mn}\p{Me}\p{Cf}\p{Cc}]/u;
const ELLIPSIS = '…';

/** Display width of one grapheme cluster. */
function graphemeWidth(g: string): number {
  if (ZERO.test(g)) return 0;
  // An emoji (presentation by default, or asked for by VS16, or a keycap) takes two columns even
  // where the East Asian Width table says neutral (regional-indicator flags, ☺️, 1️⃣).
  if (/\p{Emoji_Presentation}|\ufe0f|\u20e3/u.test(g)) return 2;
  return eastAsianWidth(g.codePointAt(0)!);
}

/** Display width of `s` in a monospace terminal. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const { segment } of segmenter.segment(s.replace(ANSI, ''))) w += graphemeWidth(segment);
  return w;
}

/**
 * `s` cut to at most `max` display columns, ending in `…` when cut. A wide character that
 * would straddle the limit is left out whole (the caller pads what is left).
 */
export function truncate(s: string, max: number): string {
  if (displayWidth(s) <= max) return s;
  if (max <= 0) return '';
  let out = '';
  let w = 0;
  for (const { segment } of segmenter.segment(s.replace(ANSI, ''))) {
    const g = graphemeWidth(segment);
    if (w + g > max - 1) break;
    out += segment;
    w += g;
  }
  return out + ELLIPSIS;
}

/** A cell: its text (made one line: a title with a newline never breaks its row) and its colour. */
export type Cell = string | { text: string; paint?: (s: string) => string };

export interface TableOptions {
  /** Spaces before every row. */
  indent?: number;
  /** Spaces between columns (default 2). */
  gap?: number;
  /** `r`: right-aligned (numbers). Default left. */
  align?: ReadonlyArray<'l' | 'r'>;
  /**
   * Fit every line in this many display columns (a terminal's width), cutting cells with `…`;
   * columns in `shrink` give way first. Unset (pipes, files): nothing is ever cut.
   */
  width?: number;
  /** Columns to narrow first when the table is too wide (titles, paths, details). */
  shrink?: readonly number[];
  /** The first row is a header: painted so (e.g. bold), and its cells are not cut while others can be. */
  header?: (s: string) => string;
}

/** Columns are not narrowed below this (or their header) until every column is; then down to `x…`. */
const MIN_COLUMN = 6;
/** How far the `shrink` columns narrow before the others start to. */
const READABLE = 20;

/**
 * Column widths that fit `room`: narrow the widest column of `first` down to READABLE, then the
 * widest of all, each no further than its floor (MIN_COLUMN or its header's width, never more than
 * it needs); then every column down to two when the terminal is that narrow.
 */
export function fitWidths(
  natural: readonly number[],
  room: number,
  first: readonly number[] = [],
  header: readonly number[] = [],
): number[] {
  const w = [...natural];
  let over = w.reduce((a, b) => a + b, 0) - room;
  const all = w.map((_, i) => i);
  const soft = w.map((n, c) => Math.min(n, Math.max(MIN_COLUMN, header[c] ?? 0)));
  const hard = w.map(() => 2);
  // The free-text columns (titles, details) give way first, but only down to a readable width.
  const readable = soft.map((f, c) => Math.min(w[c]!, Math.max(f, READABLE)));
  for (const [set, floor] of [
    [first.filter((c) => c < w.length), readable],
    [all, soft],
    [all, hard],
  ] as const) {
    while (over > 0) {
      let widest = -1;
      for (const c of set) if (w[c]! > floor[c]! && (widest < 0 || w[c]! > w[widest]!)) widest = c;
      if (widest < 0) break;
      // Down to the next widest (or just enough): the widest columns meet, then narrow together.
      const next = Math.max(0, ...set.filter((c) => c !== widest && w[c]! > floor[c]!).map((c) => w[c]!));
      const cut = Math.max(1, Math.min(over, w[widest]! - Math.max(next, floor[widest]!)));
      w[widest]! -= cut;
      over -= cut;
    }
  }
  return w;
}

/** Rows as aligned lines, one line per row whatever the cells hold. The last column is not padded. */
export function table(rows: readonly (readonly Cell[])[], opts: TableOptions = {}): string[] {
  const { indent = 0, gap = 2, align = [] } = opts;
  const cells = rows.map((r) =>
    r.map((c) => (typeof c === 'string' ? { text: flatLine(c) } : { ...c, text: flatLine(c.text) })),
  );
  const cols = Math.max(0, ...cells.map((r) => r.length));
  let widths = Array.from({ length: cols }, (_, c) => Math.max(0, ...cells.map((r) => displayWidth(r[c]?.text ?? ''))));
  if (opts.width !== undefined) {
    const room = opts.width - indent - gap * Math.max(0, cols - 1);
    const header = opts.header ? (cells[0] ?? []).map((c) => displayWidth(c.text)) : [];
    widths = fitWidths(widths, room, opts.shrink ?? [], header);
  }
  return cells.map((row, r) => {
    const parts = row.map((cell, c) => {
      const text = opts.width !== undefined ? truncate(cell.text, widths[c]!) : cell.text;
      const pad = ' '.repeat(Math.max(0, widths[c]! - displayWidth(text)));
      const paint = r === 0 && opts.header ? opts.header : (cell.paint ?? ((s: string) => s));
      const last = c === row.length - 1;
      if (align[c] === 'r') return pad + paint(text);
      return last ? paint(text) : paint(text) + pad;
    });
    return (' '.repeat(indent) + parts.join(' '.repeat(gap))).trimEnd();
  });
}
