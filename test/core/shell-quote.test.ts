// Every id we print inside a suggested command goes through shellQuote: running the suggestion
// in a real shell must pass the id through as one word and never run anything inside it.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { jitpCommand, shellQuote } from '../../src/core/shell-quote.js';
import { ISSUE_ID_CHARS, validateIssueId } from '../../src/core/issue-ids.js';
import { tempDir } from '../support/git.js';
import { JIT_FIXTURE } from '../support/paths.js';

/** What `printf '%s\0' <word>` prints in sh and bash: the word as the shell really split it. */
function shellWords(shell: string, line: string, cwd: string): string[] {
  const r = spawnSync(shell, ['-c', `printf '%s\\0' ${line}`], { cwd, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.split('\0').slice(0, -1);
}

const NASTY = [
  '$(touch pwned)',
  '`touch pwned`',
  "it's",
  'a b',
  '#12',
  '*',
  '~root',
  'x;touch pwned',
  '${IFS}',
  '"quoted"',
  "'",
  '',
  '\\',
  'a\nb',
  '!x',
  '{a,b}',
];

describe('shellQuote', () => {
  test.each(NASTY)('%j survives sh and bash as one word, running nothing', (s) => {
    const dir = tempDir('jitp-quote-');
    for (const sh of ['sh', 'bash']) {
      expect(shellWords(sh, shellQuote(s), dir)).toEqual([s]);
      expect(existsSync(join(dir, 'pwned'))).toBe(false);
    }
  });
  test('any string at all (property, bash)', () => {
    const dir = tempDir('jitp-quote-');
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 24 }), (s) => {
        if (s.includes('\0')) return; // a shell argument cannot hold NUL
        expect(shellWords('bash', shellQuote(s), dir)).toEqual([s]);
      }),
      { numRuns: 60 },
    );
    expect(readdirSync(dir)).toEqual([]);
  });
  test('plain ids stay readable', () => {
    expect(shellQuote('ISSUE-12')).toBe('ISSUE-12');
    expect(shellQuote('9ac9fdac-828a-40f2-9d73-71af14f44ff8')).toBe('9ac9fdac-828a-40f2-9d73-71af14f44ff8');
    expect(jitpCommand('claim release', 'a b')).toBe("jitp claim release 'a b'");
    expect(jitpCommand('claim release', '#12')).toBe("jitp claim release '#12'");
  });
});

describe('ids at the door', () => {
  test.each(['$(touch x)', '`id`', "it's", 'a"b', 'a;b', 'a|b', 'a&b', 'a>b', 'a*b', '$HOME', 'a{b', '-rf', 'a!b'])(
    'rejects %j naming the allowed characters',
    (id) => {
      try {
        validateIssueId(id);
        expect.unreachable();
      } catch (e) {
        expect((e as { code?: string }).code).toBe('E_BAD_ID');
        expect((e as { hint?: string }).hint).toContain(ISSUE_ID_CHARS);
      }
    },
  );
  test('every id of the real jit store, and the usual free-form ids, still pass', () => {
    const ids = readdirSync(join(JIT_FIXTURE, 'issues'))
      .filter((f) => f.endsWith('.json'))
      .map((f) => f.slice(0, -5));
    expect(ids.length).toBeGreaterThan(300);
    for (const id of [...ids, 'ISSUE-12', 'gh#42', 'feat:login', 'a.b_c', 't1', 'fix-login+2', 'üml-ä']) {
      expect(validateIssueId(id)).toBe(id);
    }
  });
});
