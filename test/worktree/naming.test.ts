// Names from hostile ids and titles: valid branch names (checked by git itself), one safe
// path component for folders, distinct for distinct ids.
import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  branchName,
  expandDirTemplate,
  safeBranchName,
  shortId,
  slugify,
  worktreeFolderName,
} from '../../src/worktree/naming.js';

const HOSTILE = [
  '',
  '..',
  '../../etc/passwd',
  'a/../b',
  "quote\"s and 'single'",
  'new\nline\r\nand\ttab',
  'Ünïcödé ☃ 日本語 🚀',
  '-leading-dash',
  '.hidden',
  'ends.lock',
  'x'.repeat(5000),
  'refs/heads/main',
  '@{-1}',
  'a@{b',
  '~^:?*[\\',
  '\0nul',
  '   ',
  'CON',
  '/',
  '//double//slash//',
];

const gitAccepts = (branch: string): boolean => {
  try {
    execFileSync('git', ['check-ref-format', '--branch', branch], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
};

describe('slugify / shortId', () => {
  test.each([
    ['Fix the "parser" / lexer', 'fix-the-parser-lexer'],
    ['Café über straße', 'cafe-uber-strasse'],
    ['../../etc', 'etc'],
    ['日本語', ''],
    ['  --x--  ', 'x'],
  ])('slugify(%j) = %j', (inp, out) => expect(slugify(inp)).toBe(out));

  test.each([
    ['003f9f83-4e8a-4a5f-8e48-44f6f48a7c17', '003f9f83'],
    ['003F9F83-4E8A-4A5F-8E48-44F6F48A7C17', '003f9f83'],
    ['t1', 't1'],
    ['api', 'api'],
  ])('shortId(%j) = %j', (inp, out) => expect(shortId(inp)).toBe(out));

  test('long or unusable ids stay distinct', () => {
    expect(shortId('feature-login-page-a')).not.toBe(shortId('feature-login-page-b'));
    expect(shortId('日本語')).toMatch(/^id[0-9a-f]{8}$/);
    expect(shortId('日本語')).not.toBe(shortId('中文'));
    expect(shortId('x'.repeat(300)).length).toBeLessThanOrEqual(16);
  });
});

describe('branch names', () => {
  test.each(HOSTILE)('hostile title #%# gives a branch git accepts', (title) => {
    const b = branchName('jit/{short}-{slug}', { id: title || 'x', title });
    expect(gitAccepts(b), b).toBe(true);
    expect(b.length).toBeLessThanOrEqual(200);
  });

  test.each(HOSTILE)('hostile id #%# in {base}-issue-{id} gives a valid branch', (id) => {
    const b = branchName('{base}-issue-{id}', { id: id || '?', base: 'feature/x' });
    expect(gitAccepts(b), b).toBe(true);
    expect(b.startsWith('feature/x-issue-')).toBe(true);
  });

  test.each([
    [
      'jit/{short}-{slug}',
      { id: '003f9f83-4e8a-4a5f-8e48-44f6f48a7c17', title: 'Support short ids' },
      'jit/003f9f83-support-short-ids',
    ],
    ['jit/{short}-{slug}', { id: 't1', title: '' }, 'jit/t1-issue'],
    ['{base}-issue-{id}', { id: 'T-42', base: 'main' }, 'main-issue-t-42'],
    ['wip/{short}', { id: 'abc', title: 'x' }, 'wip/abc'],
  ])('template %j', (tpl, inp, out) => expect(branchName(tpl, inp)).toBe(out));

  test('property: any template output is accepted by git', () => {
    // git is too slow to ask 1000 times; the pure checks cover the rules and a sample goes to git.
    const samples: string[] = [];
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.string({ unit: 'binary', maxLength: 80 }),
        (id, title) => {
          const b = branchName('jit/{short}-{slug}', { id: id || 'x', title });
          expect(b).not.toMatch(/\.\.|@\{|[\x00-\x20\x7f~^:?*[\\]|\/\/|\.lock$|\/$|^\/|\.$/);
          expect(b.split('/').every((c) => c.length > 0 && !c.startsWith('.'))).toBe(true);
          if (samples.length < 25) samples.push(b);
        },
      ),
      { numRuns: 500 },
    );
    for (const s of samples) expect(gitAccepts(s), s).toBe(true);
  });

  test('safeBranchName never returns empty', () => {
    expect(safeBranchName('///')).toBe('jit/issue');
    expect(safeBranchName('..')).toBe('jit/issue');
  });
});

describe('folder names', () => {
  test.each(HOSTILE)('hostile title #%# is one safe path component', (title) => {
    const f = worktreeFolderName({ id: '11111111-2222-4333-8444-555555555555', title });
    expect(f).toMatch(/^[a-z0-9-]+$/);
    expect(f).not.toBe('..');
    expect(f.length).toBeLessThanOrEqual(16 + 1 + 32);
  });

  test('dir template', () => {
    expect(expandDirTemplate('../{repo}.worktrees', 'proj')).toBe('../proj.worktrees');
    expect(expandDirTemplate('../{repo}.wt', 'a/b')).toBe('../a-b.wt');
  });
});
