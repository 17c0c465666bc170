import { describe, expect, test } from 'vitest';
import { relative } from 'node:path';
import { bashWrites } from '../../../src/hooks/bash/bash-writes.js';
import { READ_ONLY, WRITING } from './bash-corpus.js';

const CWD = '/repo';
const inRepo = (abs: string) => abs === CWD || abs.startsWith(`${CWD}/`);

describe('Bash write classifier corpus', () => {
  test('the corpus is big enough', () => {
    expect(READ_ONLY.length).toBeGreaterThanOrEqual(100);
    expect(WRITING.length).toBeGreaterThanOrEqual(50);
  });

  test.each(READ_ONLY)('read-only: %s', (cmd) => {
    const w = bashWrites(cmd, CWD, '/home/u');
    expect(w.parseError).toBeUndefined();
    expect(w.targets.filter((t) => inRepo(t.abs))).toEqual([]);
    expect(w.unknown).toEqual([]);
  });

  test.each(WRITING.map((c) => [c.cmd, c.writes] as const))('writes: %s', (cmd, writes) => {
    const w = bashWrites(cmd, CWD, '/home/u');
    expect(w.parseError).toBeUndefined();
    const got = w.targets.map((t) => relative(CWD, t.abs) || '.');
    for (const want of writes) {
      if (want === '?') expect(w.unknown.length, `unknown targets for ${cmd}`).toBeGreaterThan(0);
      else if (want === '.')
        expect(
          w.targets.some((t) => t.dir && t.abs === CWD),
          `whole tree for ${cmd}: ${got}`,
        ).toBe(true);
      else expect(got, cmd).toContain(want.replace(/\/$/, ''));
    }
  });

  test('a command that does not parse reports a parse error instead of guessing', () => {
    expect(bashWrites("echo 'unterminated", CWD).parseError).toMatch(/quote/);
  });

  test('fd duplication and /dev/null are not writes', () => {
    expect(bashWrites('cmd 2>&1 >/dev/null 1>&2 &>/dev/null', CWD).targets).toEqual([]);
  });
});
