// dist/ is committed (the plugin is installed from git with no build step): fail when it
// no longer matches what src/ builds to.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from './support/paths.js';
import { tempDir } from './support/git.js';

const list = (dir: string) =>
  readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => /\.[cm]js$/.test(f))
    .sort();

test('dist/ is fresh: rebuilding src/ gives byte-identical files', () => {
  const out = tempDir('jitp-dist-');
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mjs'), '--out', out, '--quiet'], { cwd: ROOT });
    const built = list(out);
    expect(built.length).toBeGreaterThan(0);
    expect(list(join(ROOT, 'dist')), 'dist/ has different files; run `npm run build` and commit dist/').toEqual(built);
    for (const f of built) {
      const same = readFileSync(join(out, f)).equals(readFileSync(join(ROOT, 'dist', f)));
      expect(same, `dist/${f} is stale; run \`npm run build\` and commit dist/`).toBe(true);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
