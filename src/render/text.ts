// Text hygiene for anything that came from an issue (titles, descriptions, paths) before
// it lands in a prompt or a commit message. Pure.

/** Line breaks in the Unicode sense: a renderer or git may split on any of them. */
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
// C0/C1 controls except tab and newline; DEL. Shown escaped so nothing hides in a terminal.
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// Zero-width and bidi-override characters can make text read differently than it is.
const INVISIBLE = /[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

const hex = (c: string) => `\\u{${c.codePointAt(0)!.toString(16)}}`;

/** One line, no controls, collapsed whitespace; for titles, labels, subjects. */
export function oneLine(s: string): string {
  return s
    .replace(LINE_BREAKS, ' ')
    .replace(/\t/g, ' ')
    .replace(CONTROLS, '')
    .replace(INVISIBLE, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** One line, no controls or invisible characters, spacing kept (a table cell: `  --flag` stays indented). */
export function flatLine(s: string): string {
  return s.replace(LINE_BREAKS, ' ').replace(/\t/g, ' ').replace(CONTROLS, '').replace(INVISIBLE, '');
}

/**
 * Multi-line text kept verbatim except: line endings normalised to \n and control or
 * invisible characters shown as `\u{..}` escapes (so the reader sees exactly what is there).
 */
export function visibleText(s: string): string {
  return s
    .replace(/\r\n?/g, '\n')
    .replace(/[\u0085\u2028\u2029\v\f]/g, '\n')
    .replace(CONTROLS, hex)
    .replace(INVISIBLE, hex);
}

/** Longest run of `ch` in `s`. */
export function longestRun(s: string, ch: string): number {
  let best = 0;
  let cur = 0;
  for (const c of s) {
    if (c === ch) best = Math.max(best, ++cur);
    else cur = 0;
  }
  return best;
}

/**
 * A fenced block the text cannot close: CommonMark closes a backtick fence only with a run
 * of at least as many backticks, so a fence longer than any run inside is unbreakable.
 */
export function fence(text: string, info = 'text'): string {
  const body = visibleText(text);
  const n = Math.max(3, longestRun(body, '`') + 1);
  const f = '`'.repeat(n);
  return `${f}${info}\n${body.endsWith('\n') ? body : `${body}\n`}${f}`;
}

/** Lowercase ascii slug for file names; never empty. */
export function slug(s: string, max = 40): string {
  const out = oneLine(s)
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return out || 'issue';
}

/** Cuts to at most `max` characters (code points), ending with an ellipsis when cut. */
export function truncate(s: string, max: number): string {
  const cps = [...s];
  if (cps.length <= max) return s;
  return `${cps
    .slice(0, Math.max(0, max - 1))
    .join('')
    .trimEnd()}…`;
}
