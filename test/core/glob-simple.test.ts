// The tiny glob matcher (core/glob-simple.ts) against the real one (core/globs.ts `matches`,
// picomatch): wherever the tiny one answers, it must answer the same, over hand-picked pairs
// (dot files, `..`, odd characters, empty segments) and thousands of generated ones. A glob the
// tiny matcher gets wrong fails here.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { simpleMatch } from '../../src/core/glob-simple.js';
import { matches } from '../../src/core/globs.js';

const GLOBS = [
  'src/**',
  'pkg10/**',
  'a/**/b',
  '**/b',
  '**/b/**',
  '**',
  '*',
  '*.ts',
  'src/*.ts',
  'src/*',
  'src/**/*.ts',
  '.github/**',
  'src/.env*',
  'a*b*c',
  'a/*/c',
  '**/*.test.ts',
  'a-b_c.d/**',
  '**/**/x',
  'a/**/**',
  '*/*',
  '.*',
  '*.',
  'src/a.ts',
  // Left to picomatch (undefined from the tiny matcher), still compared where answered:
  'src/?.ts',
  'src/[ab].ts',
  'src/{a,b}.ts',
  '!src/**',
  'src/@(a|b).ts',
  'src/a\\*.ts',
  './src/**',
  '/src/**',
  'src//a.ts',
  'src/**/',
  'a**/b',
  'src/+(a).ts',
  'a b/**',
  'src/$x/**',
  'src/../**',
  'src/./a.ts',
];
const PATHS = [
  'src',
  'src/a.ts',
  'src/.env',
  'src/.env.local',
  'src/.ts',
  'src/..ts',
  'src/a/b/c.ts',
  'src/a.test.ts',
  'a/b',
  'a/x/y/b',
  'a/b/c',
  'b',
  'x/b',
  '.x/b',
  'b/c',
  'pkg10',
  'pkg10/x',
  'pkg100/x',
  'pkg1/x',
  '.github',
  '.github/workflows/ci.yml',
  'abc',
  'aXbYc',
  'ac',
  'a/c',
  'a/q/c',
  'a.',
  '.a',
  'a-b_c.d',
  'a-b_c.d/e',
  'x',
  '',
  '.',
  '..',
  'src/../etc/passwd',
  'src/./a.ts',
  './src/a.ts',
  '/src/a.ts',
  'src//a.ts',
  'src/',
  'src/a\\b.ts',
  'src/a b.ts',
  'src/ä.ts',
  'src/a\nb.ts',
  'src/a\rb.ts',
  'src/a\u2028b.ts',
  'src/a\u0000b.ts',
  'src/\u{1F600}.ts',
  'src/a\tb.ts',
  'src/*.ts',
  'src/**',
];

describe('simpleMatch agrees with globs.matches', () => {
  it('on every hand-picked glob/path pair it answers', () => {
    const wrong: string[] = [];
    let answered = 0;
    for (const g of GLOBS)
      for (const p of PATHS) {
        const s = simpleMatch(p, g);
        if (s === undefined) continue;
        answered++;
        if (s !== matches(p, g)) wrong.push(`${JSON.stringify(g)} ~ ${JSON.stringify(p)}: tiny ${s}`);
      }
    expect(wrong).toEqual([]);
    expect(answered).toBeGreaterThan(500);
  });

  it('answers the common lease globs and leaves the rest to picomatch', () => {
    expect(simpleMatch('pkg10/src/a.ts', 'pkg10/**')).toBe(true);
    expect(simpleMatch('pkg10', 'pkg10/**')).toBe(true);
    expect(simpleMatch('pkg100/a.ts', 'pkg10/**')).toBe(false);
    expect(simpleMatch('src/.env', 'src/*')).toBe(true);
    expect(simpleMatch('x/y/name', '**/name')).toBe(true);
    expect(simpleMatch('src/a/b.ts', 'src/*.ts')).toBe(false);
    for (const g of ['src/?.ts', 'src/[ab].ts', 'src/{a,b}.ts', '!src/**', 'src/a\\*.ts', './src/**', 'a**/b'])
      expect(simpleMatch('src/a.ts', g), g).toBeUndefined();
    for (const p of ['src/../x', 'src/./a', 'src//a', './src/a', 'src/a\\b', ''])
      expect(simpleMatch(p, 'src/**'), p).toBeUndefined();
  });

  it('on generated globs and paths over a small alphabet (dots, dashes, stars, globstars)', () => {
    const ch = fc.constantFrom('a', 'b', '.', '-', '_', '1');
    const name = fc.array(ch, { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));
    const patSeg = fc.oneof(
      name,
      fc.constant('**'),
      fc.constant('*'),
      fc.array(fc.oneof(ch, fc.constant('*')), { minLength: 1, maxLength: 5 }).map((cs) => cs.join('')),
    );
    const glob = fc.array(patSeg, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));
    const path = fc
      .array(fc.oneof({ arbitrary: name, weight: 6 }, fc.constantFrom('.', '..', '', 'a\nb', 'a\\b')), {
        minLength: 1,
        maxLength: 6,
      })
      .map((s) => s.join('/'));
    let answered = 0;
    fc.assert(
      fc.property(glob, path, (g, p) => {
        const s = simpleMatch(p, g);
        if (s === undefined) return true;
        answered++;
        return s === matches(p, g);
      }),
      { numRuns: 10000, seed: 13 },
    );
    expect(answered).toBeGreaterThan(3500);
  });

  it('on paths built to match (so that true answers are exercised too)', () => {
    const seg = fc
      .array(fc.constantFrom('a', 'b', '.', '-', 'x'), { minLength: 1, maxLength: 4 })
      .map((c) => c.join(''));
    let trues = 0;
    fc.assert(
      fc.property(fc.array(seg, { minLength: 1, maxLength: 6 }), fc.array(fc.nat(3)), (segs, ops) => {
        const p = segs.join('/');
        // Derive a glob from the path: keep a segment, star part of it, or fold a run into `**`.
        const out: string[] = [];
        for (let i = 0; i < segs.length; i++) {
          const op = ops[i] ?? 0;
          const s = segs[i]!;
          if (op === 1) out.push(`${s.slice(0, 1)}*`);
          else if (op === 2) out.push(`*${s.slice(-1)}`);
          else if (op === 3) {
            out.push('**');
            i++;
          } else out.push(s);
        }
        const g = out.join('/');
        const r = simpleMatch(p, g);
        if (r === undefined) return true;
        if (r) trues++;
        return r === matches(p, g);
      }),
      { numRuns: 6000, seed: 7 },
    );
    expect(trues).toBeGreaterThan(1200);
  });
});
