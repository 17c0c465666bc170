// Aligned text tables for terminals: widths are display columns, not string lengths, so CJK
// and other East-Asian wide characters count two, combining marks and ANSI colour codes none
// (get-east-asian-width: the Unicode table, small and kept up to date by its author; the
// grapheme split is the built-in Intl.Segmenter). CLI only; never on the hooks' hot path.
import { eastAsianWidth } from 'get-east-asian-width';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;
const segmenter = new Intl.Segmenter();

/** Display width of `s` in a monospace terminal. */
export function displayWidth(s: string): number {
  let w = 0;
  for (const { segment } of segmenter.segment(s.replace(ANSI, ''))) {
    const cp = segment.codePointAt(0)!;
    // Control characters and zero-width joiners/marks take no column; an emoji sequence takes two.
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || /^\p{Mn}/u.test(segment) || cp === 0x200b) continue;
    w += /\p{Extended_Pictographic}/u.test(segment) ? 2 : eastAsianWidth(cp);
  }
  return w;
}

export interface TableOptions {
  /** Spaces before every row. */
  indent?: number;
  /** Spaces between columns (default 2). */
  gap?: number;
  /** Columns wider than this (display columns) do not widen the table: a longer cell ends its line. */
  maxColumn?: number;
  /** `r`: right-aligned (numbers). Default left. */
  align?: ReadonlyArray<'l' | 'r'>;
}

/**
 * Rows as aligned lines. The last column is never padded. A cell longer than `maxColumn` is shown
 * whole, and the rest of its row continues on the next line at its own column, so one long
 * value (a path, an id) never pushes every other row out of line.
 */
export function table(rows: readonly (readonly string[])[], opts: TableOptions = {}): string[] {
  const { indent = 0, gap = 2, maxColumn = 40, align = [] } = opts;
  const cols = Math.max(0, ...rows.map((r) => r.length));
  const widths: number[] = [];
  for (let c = 0; c < cols - 1; c++) {
    const fitting = rows.map((r) => displayWidth(r[c] ?? '')).filter((w) => w <= maxColumn);
    widths.push(Math.max(0, ...fitting));
  }
  const out: string[] = [];
  for (const row of rows) {
    let line = ' '.repeat(indent);
    let at = indent;
    const start = (c: number) => indent + widths.slice(0, c).reduce((a, w) => a + w + gap, 0);
    for (let c = 0; c < row.length; c++) {
      const cell = row[c] ?? '';
      const w = displayWidth(cell);
      if (at > start(c)) {
        out.push(line.trimEnd());
        line = ' '.repeat(start(c));
        at = start(c);
      }
      const last = c === row.length - 1;
      const pad = last ? 0 : Math.max(0, widths[c]! - w);
      line += align[c] === 'r' && !last ? ' '.repeat(pad) + cell : cell + (last ? '' : ' '.repeat(pad));
      at += w + pad;
      if (!last) {
        line += ' '.repeat(gap);
        at += gap;
      }
    }
    out.push(line.trimEnd());
  }
  return out;
}
