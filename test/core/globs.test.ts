import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { expandBraces, globsOverlap, matches } from '../../src/core/globs.js';

describe('globsOverlap: table', () => {
  const cases: Array<[string, string, boolean]> = [
    ['src/a.ts', 'src/a.ts', true],
    ['src/a.ts', 'src/b.ts', false],
    ['src/*.ts', 'src/a.ts', true],
    ['src/*.ts', 'src/*.md', false],
    ['src/*.ts', 'src/a/b.ts', false],
    ['src/**', 'src/a/b/c.ts', true],
    ['src/**', 'src', true],
    ['src/**', 'lib/a.ts', false],
    ['src/**/x.ts', 'src/a/*.ts', true],
    ['src/**/x.ts', 'src/a/*.md', false],
    ['**/*.ts', 'docs/readme.md', false],
    ['**/*.ts', 'docs/deep/readme.ts', true],
    ['a/**/b/**/c', 'a/b/c', true],
    ['a/**/b/**/c', 'a/x/y/c', false],
    ['a/*b', 'a/b*', true],
    ['a/*x*', 'a/*y*', true],
    ['a/x*', 'a/y*', false],
    ['a/*x', 'a/*y', false],
    ['a/?', 'a/bc', false],
    ['a/??', 'a/bc', true],
    ['a/[abc].ts', 'a/b.ts', true],
    ['a/[abc].ts', 'a/d.ts', false],
    ['a/[!abc].ts', 'a/a.ts', false],
    ['a/[!abc].ts', 'a/[a-d].ts', true],
    ['a/[!a-z].ts', 'a/[a-z].ts', false],
    ['a/[a-c]x', 'a/[c-e]x', true],
    ['a/[a-b]x', 'a/[c-e]x', false],
    ['src/{a,b}.ts', 'src/b.ts', true],
    ['src/{a,b}.ts', 'src/c.ts', false],
    ['src/{a,b/**}', 'src/b/c/d', true],
    ['{src,lib}/**', 'lib/x', true],
    ['{src,lib}/**', 'test/x', false],
    ['src/*', 'src/.env', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['./src/a', 'src/a', true],
    ['**', 'anything/at/all', true],
  ];
  it.each(cases)('%s vs %s -> %s', (a, b, want) => {
    expect(globsOverlap(a, b)).toBe(want);
    expect(globsOverlap(b, a)).toBe(want);
  });

  it('brace expansion', () => {
    expect(expandBraces('a/{b,c{d,e}}/f').sort()).toEqual(['a/b/f', 'a/cd/f', 'a/ce/f']);
    expect(expandBraces('a{b}c')).toEqual(['a{b}c']);
    expect(() => expandBraces('{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}{a,b,c,d}')).toThrow(/brace/);
  });

  it('matches() includes dotfiles and the directory of dir/**', () => {
    expect(matches('src/.env', 'src/*')).toBe(true);
    expect(matches('src', 'src/**')).toBe(true);
    expect(matches('src/a/b', 'src/**')).toBe(true);
    expect(matches('lib/a', 'src/**')).toBe(false);
  });
});

// Small alphabets so random globs and random paths actually collide often.
const segChar = fc.constantFrom('a', 'b', '.');
const globTok = fc.constantFrom('a', 'b', '*', '?', '[ab]', '[!a]', '{a,b}', '.');
const globSeg = fc.oneof(
  { weight: 1, arbitrary: fc.constant('**') },
  { weight: 5, arbitrary: fc.array(globTok, { minLength: 1, maxLength: 3 }).map((t) => t.join('')) },
);
const glob = fc.array(globSeg, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));
const globNoDot = fc
  .array(
    fc.oneof(
      { weight: 1, arbitrary: fc.constant('**') },
      {
        weight: 5,
        arbitrary: fc
          .array(fc.constantFrom('a', 'b', '*', '?', '[ab]', '[!a]', '{a,b}'), { minLength: 1, maxLength: 3 })
          .map((t) => t.join('')),
      },
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((s) => s.join('/'));
const pathSeg = fc
  .array(segChar, { minLength: 1, maxLength: 3 })
  .map((c) => c.join(''))
  .filter((s) => s !== '.' && s !== '..');
const path = fc.array(pathSeg, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));

describe('globsOverlap: properties', () => {
  it('any path matched by both globs implies overlap', () => {
    fc.assert(
      fc.property(glob, glob, fc.array(path, { minLength: 1, maxLength: 20 }), (a, b, paths) => {
        if (paths.some((p) => matches(p, a) && matches(p, b))) expect(globsOverlap(a, b)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
  it('a concrete path overlaps a glob whenever picomatch matches it', () => {
    fc.assert(
      fc.property(glob, path, (g, p) => {
        if (matches(p, g)) expect(globsOverlap(g, p)).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });
  it(
    '... and only then, for globs without dots (picomatch reads `*.*` as needing a char after the dot; we stay ' +
      'conservative)',
    () => {
      fc.assert(
        fc.property(globNoDot, path, (g, p) => {
          expect(globsOverlap(g, p)).toBe(matches(p, g));
        }),
        { numRuns: 5000 },
      );
    },
  );
  it('is symmetric and reflexive', () => {
    fc.assert(
      fc.property(glob, glob, (a, b) => {
        expect(globsOverlap(a, b)).toBe(globsOverlap(b, a));
        expect(globsOverlap(a, a)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
