// Tests mirror src/: each folder of src/ has a folder of the same name under test/ with at least one
// test file, so the next engineer finds a module's tests where its path says. (src/types holds only
// ambient declarations for untyped packages: nothing to run.)
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from './support/paths.js';

const NOTHING_TO_TEST = new Set(['types']);
const folders = (dir: string) => readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory());
const testsUnder = (dir: string): number =>
  readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.test.ts')).length;

test('every src/ folder has a test/ folder of the same name with tests in it', () => {
  const missing = folders(join(ROOT, 'src'))
    .filter((f) => !NOTHING_TO_TEST.has(f))
    .filter((f) => {
      try {
        return testsUnder(join(ROOT, 'test', f)) === 0;
      } catch {
        return true;
      }
    });
  expect(missing, `add tests under test/<folder> for: ${missing.join(', ')}`).toEqual([]);
});
