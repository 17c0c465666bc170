import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/git.js';
import { normalizeRepoPath, normalizeRepoPattern } from '../../src/git/repo-paths.js';
import { isCaseInsensitiveFs } from '../../src/platform/fs-paths.js';
import { globsOverlap, matches } from '../../src/core/globs.js';
import { rmSync } from 'node:fs';

const base = tempDir('jitp-paths-');
const root = join(base, 'repo');
mkdirSync(join(root, 'src', 'auth'), { recursive: true });
mkdirSync(join(base, 'outside'));
writeFileSync(join(root, 'src', 'a.ts'), '');
symlinkSync(join(root, 'src'), join(root, 'link-to-src'));
symlinkSync(join(base, 'outside'), join(root, 'link-out'));
symlinkSync(join(root, 'src', 'new-target.ts'), join(root, 'dangling'));
mkdirSync(join(root, 'app', '[id]'), { recursive: true });
writeFileSync(join(root, 'app', '[id]', 'page.tsx'), '');
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('normalizeRepoPath', () => {
  const ok: Array<[string, string, string | undefined]> = [
    ['src/a.ts', 'src/a.ts', undefined],
    ['./src/a.ts', 'src/a.ts', undefined],
    ['src/../src/a.ts', 'src/a.ts', undefined],
    ['src//auth/./x.ts', 'src/auth/x.ts', undefined],
    [join(root, 'src/a.ts'), 'src/a.ts', undefined],
    ['a.ts', 'src/a.ts', join(root, 'src')],
    ['../README.md', 'README.md', join(root, 'src')],
    ['link-to-src/a.ts', 'src/a.ts', undefined],
    ['link-to-src/not-yet.ts', 'src/not-yet.ts', undefined],
    ['dangling', 'src/new-target.ts', undefined],
    ['.', '.', undefined],
  ];
  it.each(ok)('%s -> %s (cwd %s)', (input, want, cwd) => {
    expect(normalizeRepoPath(input, root, { cwd, caseInsensitive: false })).toBe(want);
  });
  const escapes = ['../x', '/etc/passwd', 'src/../../x', 'link-out/x.ts', join(base, 'outside', 'y')];
  it.each(escapes)('rejects escape %s', (input) => {
    expect(() => normalizeRepoPath(input, root, { caseInsensitive: false })).toThrow(/escapes the repository/);
  });
  it('rejects empty and NUL', () => {
    expect(() => normalizeRepoPath('', root)).toThrow(/empty/);
    expect(() => normalizeRepoPath('a\0b', root)).toThrow(/NUL/);
  });
  it('folds case when the file system does', () => {
    expect(normalizeRepoPath('Src/A.ts', root, { caseInsensitive: true })).toBe('src/a.ts');
    expect(normalizeRepoPath('Src/A.ts', root, { caseInsensitive: false })).toBe('Src/A.ts');
  });
  it('probes the real file system', () => {
    // Linux ext4/tmpfs is case-sensitive; macOS default is not. Either way the answer must be consistent.
    const ci = isCaseInsensitiveFs(root);
    const upper = join(base, 'REPO');
    let sameDir = false;
    try {
      sameDir = statSync(upper).ino === statSync(root).ino;
    } catch {
      sameDir = false;
    }
    expect(ci).toBe(sameDir);
  });
});

describe('normalizeRepoPattern', () => {
  const ok: Array<[string, string]> = [
    ['src/**/*.ts', 'src/**/*.ts'],
    ['./src/*.ts', 'src/*.ts'],
    ['src/../src/auth/*', 'src/auth/*'],
    ['link-to-src/*.ts', 'src/*.ts'],
    ['src', 'src/**'],
    ['src/', 'src/**'],
    ['src/auth/', 'src/auth/**'],
    ['newdir/', 'newdir/**'],
    ['src/a.ts', 'src/a.ts'],
    ['*.md', '*.md'],
    ['**', '**'],
    ['.', '**'],
    ['app/[id]/page.tsx', 'app/\\[id\\]/page.tsx'],
    [join(root, 'src') + '/*.ts', 'src/*.ts'],
  ];
  it.each(ok)('%s -> %s', (input, want) => {
    expect(normalizeRepoPattern(input, root, { caseInsensitive: false })).toBe(want);
  });
  it('keeps a real file with glob characters literal for matching and overlap', () => {
    const p = normalizeRepoPattern('app/[id]/page.tsx', root, { caseInsensitive: false });
    expect(matches('app/[id]/page.tsx', p)).toBe(true);
    expect(matches('app/i/page.tsx', p)).toBe(false);
    expect(globsOverlap(p, 'app/**')).toBe(true);
  });
  it.each(['../*', 'src/*/../../..', '/tmp/*', 'link-out/*', '+(a|b)'])('rejects %s', (input) => {
    expect(() => normalizeRepoPattern(input, root, { caseInsensitive: false })).toThrow();
  });
});
