// The release-history evaluation end to end, offline: a folder of package tarballs stands in for
// the registry. Four releases, one real conflict (two releases fix `alpha` in lib/a.js); a
// version-only package.json change does not count as work.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';

const SECTIONS: Array<[string, string]> = [
  ['1.1.0', '### Added\n- `gamma` returns the sum'],
  ['1.0.3', '### Fixed\n- `alpha`: handle negative numbers'],
  ['1.0.2', '### Fixed\n- `beta` rounds half up'],
  ['1.0.1', '### Fixed\n- `alpha` on empty input'],
  ['1.0.0', '### Added\n- first release'],
];

describe('release-eval on local tarballs', () => {
  it('rebuilds the history, plans each release on the one before, scores the policies', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jitp-reltest-'));
    try {
      const tarballs = join(dir, 'tarballs');
      mkdirSync(tarballs);
      const files: Record<string, string> = {
        'lib/a.js': 'function alpha(x) { return x; }\nmodule.exports = { alpha };\n',
        'lib/b.js': 'function beta(x) { return Math.round(x); }\nmodule.exports = { beta };\n',
        'lib/c.js': 'function gamma() { return 0; }\nmodule.exports = { gamma };\n',
        'README.md': '# demo\n',
      };
      const change: Record<string, [string, string]> = {
        '1.0.1': ['lib/a.js', 'function alpha(x) { return x ?? 0; }\nmodule.exports = { alpha };\n'],
        '1.0.2': ['lib/b.js', 'function beta(x) { return Math.floor(x + 0.5); }\nmodule.exports = { beta };\n'],
        '1.0.3': ['lib/a.js', 'function alpha(x) { return Math.abs(x ?? 0); }\nmodule.exports = { alpha };\n'],
        '1.1.0': ['lib/c.js', 'function gamma(a, b) { return a + b; }\nmodule.exports = { gamma };\n'],
      };
      for (const v of ['1.0.0', '1.0.1', '1.0.2', '1.0.3', '1.1.0']) {
        if (change[v]) files[change[v]![0]] = change[v]![1];
        const pkg = join(dir, 'build', v, 'package');
        mkdirSync(join(pkg, 'lib'), { recursive: true });
        for (const [f, text] of Object.entries(files)) writeFileSync(join(pkg, f), text);
        writeFileSync(
          join(pkg, 'package.json'),
          `${JSON.stringify({ name: 'demo', version: v, main: 'lib/a.js' }, null, 2)}\n`,
        );
        const log = SECTIONS.filter(([sv]) => sv.localeCompare(v, undefined, { numeric: true }) <= 0).map(
          ([sv, t]) => `## [${sv}] - 2024-01-0${sv.at(-1)}\n${t}\n`,
        );
        writeFileSync(join(pkg, 'CHANGELOG.md'), `# Changelog\n\n${log.join('\n')}`);
        execFileSync('tar', ['czf', join(tarballs, `${v}.tgz`), '-C', join(dir, 'build', v), 'package']);
      }
      writeFileSync(
        join(dir, 'sources.json'),
        JSON.stringify({
          window: 6,
          sources: [{ name: 'demo', range: '>=1.0.0', ignore: ['CHANGELOG.md'], tarballs: 'tarballs' }],
        }),
      );
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'bench/eval/release-eval.ts'), join(dir, 'sources.json'), '--json'],
        {
          cwd: ROOT,
          encoding: 'utf8',
          env: { ...process.env, JITP_EVAL_CACHE: join(dir, 'cache') },
        },
      );
      const r = JSON.parse(out) as {
        results: Array<{
          releases: number;
          planned: number;
          pairs: number;
          truthConflicts: number;
          policies: Array<{ name: string; pairs: Record<string, number> }>;
          items: Array<{ version: string; truth: string[]; predicted: string[] }>;
        }>;
      };
      const res = r.results[0]!;
      expect(res).toMatchObject({ releases: 5, planned: 4, pairs: 6, truthConflicts: 1 });
      expect(Object.fromEntries(res.items.map((i) => [i.version, i.truth]))).toEqual({
        '1.0.1': ['lib/a.js'],
        '1.0.2': ['lib/b.js'],
        '1.0.3': ['lib/a.js'],
        '1.1.0': ['lib/c.js'],
      });
      expect(res.items.find((i) => i.version === '1.0.3')!.predicted.some((p) => p.startsWith('lib/a.js ('))).toBe(
        true,
      );
      const by = Object.fromEntries(res.policies.map((p) => [p.name, p.pairs]));
      expect(by['jitp plan']).toMatchObject({ tp: 1, fp: 0, fn: 0, tn: 5 });
      expect(by['all parallel']).toMatchObject({ tp: 0, fn: 1, tn: 5 });
      expect(by['serialise everything']).toMatchObject({ tp: 1, fp: 5 });
      expect(by['literal paths only']).toMatchObject({ tp: 0, fn: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
