// Painting: Node's util.styleText when it exists (20.12+), plain text where it does not (20.0-20.11,
// which package.json still allows), and never a named import of it that would stop the bundle
// from loading on those releases.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeStyle, PLAIN, type StyleText } from '../../src/render/style.js';
import { findJitpCalls, parseJitpArgs } from '../../src/core/jitp-calls.js';
import { ROOT } from '../support/paths.js';

describe('makeStyle', () => {
  it('on: SGR codes from util.styleText, closed so the next cell is not tinted', () => {
    const s = makeStyle(true);
    expect(s.enabled).toBe(true);
    expect(s.red('x')).toBe('\u001b[31mx\u001b[39m');
    expect(s.bold('x')).toBe('\u001b[1mx\u001b[22m');
    expect(s.green('')).toBe(''); // an empty cell stays empty
  });

  it('off, or a Node without styleText: the text as given', () => {
    for (const s of [makeStyle(false), PLAIN, makeStyle(true, null)]) {
      expect(s.red('x')).toBe('x');
      expect(s.bold('日本')).toBe('日本');
    }
    expect(makeStyle(true, null).enabled).toBe(false);
  });

  it('asks styleText not to second-guess the decision (newer Node re-checks process.stdout otherwise)', () => {
    const calls: unknown[] = [];
    const fake: StyleText = (f, t, o) => (calls.push([f, t, o]), `<${f}>${t}`);
    expect(makeStyle(true, fake).cyan('a')).toBe('<cyan>a');
    expect(calls).toEqual([['cyan', 'a', { validateStream: false }]]);
  });

  it('no built file imports styleText by name (a load-time error on Node 20.0-20.11)', () => {
    const files = readdirSync(join(ROOT, 'dist'), { recursive: true })
      .map(String)
      .filter((f) => /\.(mjs|cjs)$/.test(f));
    const named = files.filter((f) =>
      /import\s*\{[^}]*\bstyleText\b[^}]*\}\s*from\s*["'](node:)?util["']/.test(
        readFileSync(join(ROOT, 'dist', f), 'utf8'),
      ),
    );
    expect(files.length).toBeGreaterThan(3);
    expect(named).toEqual([]);
  });
});

describe('the hook reads --color / --no-color as flags, not as the command', () => {
  it.each([
    ['jitp --no-color claim release T-1', 'claim release', ['T-1']],
    ['jitp --color claim list', 'claim list', []],
    ['jitp claim --no-color acquire T-2 --paths a', 'claim acquire', ['T-2']],
  ])('%s', (line, command, positionals) => {
    const [call] = findJitpCalls(line).calls;
    const p = parseJitpArgs(call!.args);
    expect(p.command).toBe(command);
    expect(p.positionals.map((w) => w.text)).toEqual(positionals);
  });
});
