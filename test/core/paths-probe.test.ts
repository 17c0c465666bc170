// core/paths.ts is pure: the same rules, table-tested against a file system that exists only
// as data (symlinks, folders, case folding), no disk touched.
import { describe, expect, it } from 'vitest';
import { normalizeRepoPath, normalizeRepoPattern, type PathProbe } from '../../src/core/paths.js';

/** A file system as a table: existing paths, folders among them, and symlinks (path -> target). */
function fakeFs(opts: { files: string[]; dirs: string[]; links?: Record<string, string>; ci?: boolean }): PathProbe {
  const links = opts.links ?? {};
  const follow = (abs: string): string => {
    for (const [from, to] of Object.entries(links))
      if (abs === from || abs.startsWith(`${from}/`)) return follow(to + abs.slice(from.length));
    return abs;
  };
  return {
    resolve: follow,
    realRoot: follow,
    caseInsensitive: () => opts.ci ?? false,
    isDirectory: (abs) => opts.dirs.includes(follow(abs)),
    exists: (abs) => opts.files.includes(follow(abs)) || opts.dirs.includes(follow(abs)),
  };
}

const fs = fakeFs({
  files: ['/repo/src/a.ts', '/repo/app/[id]/page.tsx', '/outside/secret.txt'],
  dirs: ['/repo', '/repo/src', '/repo/app', '/repo/app/[id]', '/outside'],
  links: { '/repo/link': '/repo/src', '/repo/escape': '/outside', '/alias': '/repo' },
});

describe('normalizeRepoPath with a probe', () => {
  it.each([
    ['src/a.ts', {}, 'src/a.ts'],
    ['./src/../src/a.ts', {}, 'src/a.ts'],
    ['/repo/src/a.ts', {}, 'src/a.ts'],
    ['/alias/src/a.ts', {}, 'src/a.ts'], // the root through another spelling
    ['link/a.ts', {}, 'src/a.ts'], // through a symlink inside the repository
    ['a.ts', { cwd: '/repo/src' }, 'src/a.ts'],
    ['/repo', {}, '.'],
  ] as const)('%s %j -> %s', (input, opts, want) => {
    expect(normalizeRepoPath(input, '/repo', { caseInsensitive: false, ...opts }, fs)).toBe(want);
  });

  it.each(['../outside/secret.txt', 'escape/secret.txt', '/outside/secret.txt', 'src/../../x'])(
    '%s escapes the repository: E_PATH_ESCAPE',
    (input) => {
      expect(() => normalizeRepoPath(input, '/repo', {}, fs)).toThrow(
        expect.objectContaining({ code: 'E_PATH_ESCAPE' }),
      );
    },
  );

  it('a case-folding file system gives one spelling; empty and NUL inputs are usage errors', () => {
    const ci = fakeFs({ files: [], dirs: ['/repo'], ci: true });
    expect(normalizeRepoPath('Src/A.ts', '/repo', {}, ci)).toBe('src/a.ts');
    expect(() => normalizeRepoPath('', '/repo', {}, fs)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
    expect(() => normalizeRepoPath('a\0b', '/repo', {}, fs)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });
});

describe('normalizeRepoPattern with a probe', () => {
  it.each([
    ['src', 'src/**'], // an existing folder means everything under it
    ['src/', 'src/**'],
    ['new/', 'new/**'],
    ['src/*.ts', 'src/*.ts'],
    ['link/**', 'src/**'], // the literal part goes through the symlink
    ['app/[id]/page.tsx', String.raw`app/\[id\]/page.tsx`], // a real file with glob characters means itself
    ['.', '**'],
  ])('%s -> %s', (input, want) => {
    expect(normalizeRepoPattern(input, '/repo', { caseInsensitive: false }, fs)).toBe(want);
  });

  it.each(['src/**/../x', 'src/@(a|b).ts', '  '])('%j is refused', (input) => {
    expect(() => normalizeRepoPattern(input, '/repo', {}, fs)).toThrow(expect.objectContaining({ code: 'E_USAGE' }));
  });

  it('the probe is all it consults: the same call on an empty file system answers from the text alone', () => {
    const nothing = fakeFs({ files: [], dirs: [] });
    expect(normalizeRepoPattern('src', '/repo', { caseInsensitive: false }, nothing)).toBe('src');
  });
});
