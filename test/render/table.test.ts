// Tables for people: aligned by what a terminal shows (wide CJK and emoji two columns, combining
// marks and colour codes none), one line per row whatever a cell holds, cut to a terminal's
// width with `…` only when asked (never in a pipe).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayWidth, fitWidths, table, truncate } from '../../src/render/table.js';
import { makeStyle } from '../../src/render/style.js';

const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
/** The display column where each cell after the first starts, found by the gap before it. */
const starts = (line: string, cells: string[]): number[] => {
  const out: number[] = [];
  let at = 0;
  for (const cell of cells) {
    const i = line.indexOf(cell, at);
    out.push(displayWidth(line.slice(0, i)));
    at = i + cell.length;
  }
  return out;
};

describe('displayWidth', () => {
  it.each([
    ['ascii', 'abc', 3],
    ['CJK wide', '日本語', 6],
    ['fullwidth latin', 'ＡＢ', 4],
    ['halfwidth katakana', 'ｱｲ', 2],
    ['hangul', '한국어', 6],
    ['emoji', '🚀', 2],
    ['emoji with skin tone', '👍🏽', 2],
    ['ZWJ family', '👨‍👩‍👧', 2],
    ['flag (regional indicators)', '🇫🇷', 2],
    ['text symbol with VS16', '❤️', 2],
    ['keycap', '1️⃣', 2],
    ['text-presentation symbol', '☺', 1],
    ['combining acute (decomposed é)', 'e\u0301', 1],
    ['many combining marks', 'a\u0301\u0302\u0303', 1],
    ['zero-width space and joiner', 'a\u200b\u200db', 2],
    ['bidi override', 'a\u202eb', 2],
    ['ANSI colour', '\u001b[31mred\u001b[39m', 3],
    ['bold CJK', '\u001b[1m字\u001b[22m', 2],
    ['empty', '', 0],
  ])('%s', (_, s, w) => expect(displayWidth(s)).toBe(w));
});

describe('truncate', () => {
  it.each([
    ['abcdef', 4, 'abc…'],
    ['abcdef', 6, 'abcdef'],
    ['日本語テキスト', 7, '日本語…'], // 3 wide + … = 7
    ['日本語テキスト', 6, '日本…'], // the third would straddle: left out, the caller pads
    ['a🚀b', 3, 'a…'],
    ['e\u0301e\u0301e\u0301', 2, 'e\u0301…'], // never splits a letter from its accent
    ['👨‍👩‍👧👨‍👩‍👧', 3, '👨‍👩‍👧…'], // nor a ZWJ sequence
    ['abc', 0, ''],
  ])('%j to %i columns', (s, n, want) => {
    const got = truncate(s, n);
    expect(got).toBe(want);
    expect(displayWidth(got)).toBeLessThanOrEqual(n);
  });
});

describe('table', () => {
  it('aligns CJK, emoji, combining marks and coloured cells by display width', () => {
    const s = makeStyle(true);
    const rows = [
      ['id', 'title', 'state'],
      ['T-1', '日本語のタイトル', 'ready'],
      ['T-22', 'Fix 🚀 launch', 'done'],
      ['T-3', 'Cafe\u0301 ok', 'open'],
      [
        { text: 'T-4', paint: s.red },
        { text: '한국어', paint: s.bold },
        { text: 'x', paint: s.green },
      ],
    ];
    const lines = table(rows).map(strip);
    const state = ['state', 'ready', 'done', 'open', 'x'];
    const title = ['title', '日本語のタイトル', 'Fix 🚀 launch', 'Cafe\u0301 ok', '한국어'];
    const cols = lines.map((l, r) => starts(l, [title[r]!, state[r]!]));
    expect(new Set(cols.map((c) => c.join(','))).size).toBe(1);
    expect(cols[0]).toEqual([6, 6 + 16 + 2]); // 'T-22' + gap; the title column is 16 wide
  });

  it('colour codes do not count: a painted table lines up exactly as the plain one', () => {
    const s = makeStyle(true);
    const cells = [
      ['a', 'bb', 'c'],
      ['日本', 'x', 'y'],
    ];
    const plain = table(cells);
    const painted = table(cells.map((r) => r.map((text) => ({ text, paint: s.cyan }))));
    expect(painted.some((l) => l.includes('\u001b['))).toBe(true);
    expect(painted.map(strip)).toEqual(plain);
  });

  it('a newline, tab, CR or escape in a cell never breaks its row or reaches the terminal', () => {
    const rows = [
      ['T-1', 'first line\nsecond line', 'x'],
      ['T-2', 'tab\there\r\nand\u2028sep', 'y'],
      ['T-3', 'esc \u001b[2J\u001b]0;title\u0007 bell', 'z'],
      ['T-4', '\n\n\n', 'w'],
    ];
    const lines = table(rows);
    expect(lines).toHaveLength(4);
    for (const l of lines) {
      expect(l).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028]/);
    }
    const ends = lines.map((l) => displayWidth(l) - 1); // the last cell is one letter
    expect(new Set(ends).size).toBe(1);
    expect(lines[0]).toContain('first line second line');
  });

  it('without a width nothing is cut (a pipe); with one every line fits and cuts end in …', () => {
    const long = 'a title that goes on and on and on, far past any terminal, '.repeat(4);
    const rows = [
      ['issue', 'title', 'state'],
      ['T-1', long, 'ready'],
      ['T-2', '短い', 'done'],
    ];
    expect(table(rows)[1]).toContain(long.trim());
    for (const width of [100, 60, 40, 24]) {
      const lines = table(rows, { width, shrink: [1], header: (x) => x });
      for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(width);
      expect(lines[1]).toContain('…');
      expect(lines[1]).toMatch(/ready$/); // the other columns keep their values
      expect(lines[0]).toMatch(/^issue {2}title +state$/); // headers stay whole
    }
  });

  it('a table that fits is not touched by a width', () => {
    const rows = [
      ['a', 'b'],
      ['cc', 'dd'],
    ];
    expect(table(rows, { width: 80 })).toEqual(table(rows));
  });

  it('right alignment, indent, ragged rows', () => {
    expect(
      table(
        [
          ['x', '1', 'a'],
          ['yy', '100'],
        ],
        { indent: 2, align: ['l', 'r'] },
      ),
    ).toEqual(['  x     1  a', '  yy  100']);
  });

  it('property: any cells, one line per row, every row the same column starts', () => {
    const cell = fc.string({
      unit: fc.oneof(
        fc.constantFrom('\n', '\t', '\r', '\u001b', '日', '🚀', 'e\u0301', '\u200d', '👨‍👩‍👧', ' '),
        fc.string({ unit: 'grapheme', maxLength: 3 }),
      ),
      maxLength: 12,
    });
    fc.assert(
      fc.property(fc.array(fc.tuple(cell, cell, fc.constant('END')), { minLength: 1, maxLength: 6 }), (rows) => {
        const lines = table(rows);
        expect(lines).toHaveLength(rows.length);
        const ends = lines.map((l) => displayWidth(l));
        expect(new Set(ends).size).toBe(1); // 'END' closes every row at the same column
        for (const width of [20, 33]) {
          for (const l of table(rows, { width })) expect(displayWidth(l)).toBeLessThanOrEqual(width);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('fitWidths', () => {
  it.each([
    ['fits: unchanged', [5, 10, 5], 30, [], [5, 10, 5]],
    ['the shrink column gives way first', [5, 40, 30], 60, [1], [5, 25, 30]],
    ['…down to a readable 20, then the others share', [5, 40, 30], 40, [1], [5, 17, 18]],
    ['then the widest of all', [5, 40, 30], 30, [1], [5, 12, 13]],
    ['never below the floor (6) while others are wider', [5, 8, 50], 20, [], [5, 7, 8]],
    ['down to two each when the terminal is tiny', [10, 10, 10], 3, [], [2, 2, 2]],
  ])('%s', (_, natural, room, first, want) => {
    expect(fitWidths(natural, room, first)).toEqual(want);
  });
  it('keeps a header whole while anything else can give', () => {
    expect(fitWidths([20, 40], 40, [1], [20, 5])).toEqual([20, 20]);
  });
});
