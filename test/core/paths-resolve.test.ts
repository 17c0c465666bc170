// resolveThroughSymlinks skips realpath for path levels that do not exist (asked by lstat
// without an exception: a speed-up of the edit hook). It must resolve every path exactly as the
// previous version did, kept here as the reference.
import { lstatSync, mkdirSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { resolveThroughSymlinks } from '../../src/platform/fs-paths.js';
import { makeRepo } from '../support/git.js';

function reference(abs: string, depth = 0): string {
  let head = abs;
  const tail: string[] = [];
  for (;;) {
    try {
      const real = realpathSync(head);
      return tail.length ? join(real, ...tail.reverse()) : real;
    } catch {
      try {
        if (depth < 40 && lstatSync(head).isSymbolicLink()) {
          const target = resolve(dirname(head), readlinkSync(head));
          return reference(tail.length ? join(target, ...tail.reverse()) : target, depth + 1);
        }
      } catch {
        /* missing: keep walking up */
      }
      const parent = dirname(head);
      if (parent === head) return abs;
      tail.push(basename(head));
      head = parent;
    }
  }
}

const repo = makeRepo({ 'src/a.ts': 'a\n', 'lib/x.ts': 'x\n' });
afterAll(() => repo.cleanup());
const r = repo.root;
symlinkSync(join(r, 'src'), join(r, 'srclink'));
symlinkSync(join(r, 'src', 'new-target.ts'), join(r, 'dangling'));
symlinkSync(join(r, 'nowhere', 'deep'), join(r, 'dangling-dir'));
symlinkSync(join(r, 'loop-b'), join(r, 'loop-a'));
symlinkSync(join(r, 'loop-a'), join(r, 'loop-b'));
symlinkSync('../src/a.ts', join(r, 'lib', 'rel-link.ts'));
mkdirSync(join(r, 'empty'));
writeFileSync(join(r, 'plainfile'), 'p');

test.each([
  'src/a.ts',
  'src/new.ts',
  'src/new/deeper/file.ts',
  'srclink/a.ts',
  'srclink/new/x.ts',
  'dangling',
  'dangling-dir/sub/file.ts',
  'loop-a',
  'loop-a/x',
  'lib/rel-link.ts',
  'empty/../src/a.ts',
  'plainfile/under-a-file.ts',
  'no/such/dir/at/all.ts',
  '.',
])('%s resolves as before', (p) => {
  const abs = resolve(r, p);
  expect(resolveThroughSymlinks(abs)).toBe(reference(abs));
});

test('outside any repository, and the file system root', () => {
  for (const p of ['/definitely/not/here/x.ts', '/', '/tmp']) expect(resolveThroughSymlinks(p)).toBe(reference(p));
});
