import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_EXITS, EXIT, JitpError, exitCodeOf, isErrorCode, isJitpError } from '../../src/platform/errors.js';
import { ROOT } from '../support/paths.js';

describe('error codes', () => {
  it('docs/errors.md lists exactly the table, with the same exit status', () => {
    const doc = readFileSync(join(ROOT, 'docs/errors.md'), 'utf8');
    const rows = [...doc.matchAll(/^\| `(E_[A-Z_]+)` \| (\d) \|/gm)].map((m) => [m[1], Number(m[2])]);
    expect(Object.fromEntries(rows)).toEqual(ERROR_EXITS);
    expect(rows.length).toBe(Object.keys(ERROR_EXITS).length);
  });

  it('the exit status comes from the code, never from the throw site', () => {
    expect(new JitpError('E_HELD', 'x').exitCode).toBe(EXIT.HELD);
    expect(new JitpError('E_NO_BATCH', 'x').exitCode).toBe(EXIT.NOT_FOUND);
    expect(exitCodeOf('E_BATCH_VANISHED')).toBe(EXIT.FAILURE);
    expect(new JitpError('E_CONFIG', 'bad', { hint: 'h', details: { k: 1 } }).toJSON()).toEqual({
      code: 'E_CONFIG',
      message: 'bad',
      hint: 'h',
      exitCode: 8,
      details: { k: 1 },
    });
  });

  it('instanceof holds across two copies of the class (two bundles in one process)', async () => {
    // A second, separately evaluated copy of the module: what each hook bundle carries.
    const src = readFileSync(join(ROOT, 'src/platform/errors.ts'), 'utf8');
    const { transform } = await import('esbuild');
    const js = (await transform(src, { loader: 'ts', format: 'esm' })).code;
    const copy = (await import(
      `data:text/javascript,${encodeURIComponent(js)}`
    )) as typeof import('../../src/platform/errors.js');
    expect(copy.JitpError).not.toBe(JitpError);
    const foreign = new copy.JitpError('E_HELD', 'held');
    expect(foreign instanceof JitpError).toBe(true);
    expect(isJitpError(foreign)).toBe(true);
    expect(new JitpError('E_USAGE', 'u') instanceof copy.JitpError).toBe(true);
    expect(new Error('plain') instanceof JitpError).toBe(false);
    expect({ code: 'E_HELD' } instanceof JitpError).toBe(false);
  });

  it('isErrorCode knows the table and nothing else', () => {
    expect(isErrorCode('E_HELD')).toBe(true);
    expect(isErrorCode('E_NOPE')).toBe(false);
    expect(isErrorCode('toString')).toBe(false);
  });
});
