// Property tests: whatever the issue text, extraction never throws and never yields a path
// that leaves the repository.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractMentions, normalizeMentionedPath } from '../../src/plan/mentions.js';

const pathy = fc
  .array(
    fc.constantFrom(
      'a',
      'src',
      '..',
      '.',
      '/',
      '`',
      ' ',
      'x.ts',
      '\n',
      '\u0000',
      'ü',
      '~',
      '::',
      '()',
      'tool ',
      '--x',
      '#',
      '-',
      '*',
    ),
    { maxLength: 40 },
  )
  .map((a) => a.join(''));

describe('mentions, any input', () => {
  it('never throws; paths are relative and never contain .. or control characters', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 200 }), pathy),
        (text) => {
          const m = extractMentions(text, { bins: ['tool'] });
          for (const p of m.paths) {
            expect(p.startsWith('/')).toBe(false);
            expect(p.split('/')).not.toContain('..');
            expect(/[\u0000-\u001f]/.test(p)).toBe(false);
          }
          for (const c of m.commandWords) expect(c.sub).toMatch(/^[a-z][a-z0-9-]*$/);
        },
      ),
      { numRuns: 5000 },
    );
  });
  it('normalizeMentionedPath is idempotent on what it accepts', () => {
    fc.assert(
      fc.property(pathy, (t) => {
        const r = normalizeMentionedPath(t);
        if (r.path) expect(normalizeMentionedPath(r.path).path).toBe(r.path);
      }),
      { numRuns: 5000 },
    );
  });
});
