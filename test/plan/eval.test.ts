// The accuracy evaluation is generic: a manifest over any repository. Here a small history
// with two merged branches (one conflicting pair, one independent issue) checks the truth
// rules (merge commits, own commits only) and the metrics end to end.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeRepo } from '../support/git.js';
import { ROOT } from '../support/paths.js';

describe('plan-eval on a manifest', () => {
  it('finds truth from merge commits and scores policies', () => {
    const repo = makeRepo({
      'package.json': '{"name":"x","scripts":{}}\n',
      'src/auth.ts': 'export function loginUser() {}\n',
      'src/billing.ts': 'export function makeInvoice() {}\n',
      'src/report.ts': 'export function buildReport() {}\n',
    });
    try {
      const base = repo.git('rev-parse', 'HEAD');
      const branch = (name: string, file: string, text: string) => {
        repo.git('checkout', '-q', '-b', name, base);
        repo.write(file, text);
        repo.commit(`work on ${name}`);
      };
      branch('h/a', 'src/auth.ts', 'export function loginUser() { return 1; }\n');
      branch('h/b', 'src/auth.ts', 'export function loginUser() { return 2; }\n');
      // c merges a (its commits stay a's), then changes only the report.
      branch('h/c', 'src/report.ts', 'export function buildReport() { return 3; }\n');
      repo.git('merge', '-q', '--no-edit', 'h/a');
      repo.git('checkout', '-q', 'main');
      repo.git('merge', '-q', '--no-ff', '-m', 'Merge h/a: issue 1', 'h/a');
      repo.git('merge', '-q', '--no-ff', '-m', 'Merge h/c: issue 3', 'h/c');
      const dir = join(repo.root, '..');
      writeFileSync(join(dir, 'i1.md'), '# Fix login\nMake `loginUser()` return 1.\n');
      writeFileSync(join(dir, 'i2.md'), '# issue 2: filed\n> # Login again\n> Change `loginUser()` to return 2.\n');
      writeFileSync(join(dir, 'i3.md'), '# Report\nEdit src/report.ts.\n');
      writeFileSync(
        join(dir, 'manifest.json'),
        JSON.stringify({
          name: 'tiny',
          repo: 'repo',
          base,
          integration: 'main',
          issues: [
            { id: '1', text: 'i1.md', branch: 'h/a', merge: '^Merge h/a\\b' },
            { id: '2', text: 'i2.md', branch: 'h/b', merge: '^Merge h/b\\b' },
            { id: '3', text: 'i3.md', branch: 'h/c', merge: '^Merge h/c\\b' },
          ],
        }),
      );
      const out = execFileSync(
        process.execPath,
        [
          join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
          join(ROOT, 'bench/eval/plan-eval.ts'),
          join(dir, 'manifest.json'),
          '--json',
        ],
        { encoding: 'utf8', cwd: ROOT },
      );
      const [r] = JSON.parse(out);
      const byId = Object.fromEntries(r.issues.map((i: any) => [i.id, i]));
      expect(byId['1'].truth).toMatch(/^merge [0-9a-f]+ \(Merge h\/a: issue 1\)$/);
      expect(byId['2'].truth).toBe('tip of h/b (not merged yet)');
      expect(byId['1'].truthFiles).toEqual(['src/auth.ts']);
      expect(byId['3'].truthFiles).toEqual(['src/report.ts']); // a's commit, merged into c, is not c's
      expect(r.truthOverlap).toEqual(['1|2']);
      expect(r.explained).toBe(1);
      // c carries a's change through its merge, so b and c really conflict in git.
      expect(r.truthMergeTree).toEqual(['1|2', '2|3']);
      const plan = r.policies.find((p: any) => p.name === 'jitp plan');
      expect(plan.overlap).toMatchObject({ tp: 1, fp: 0, fn: 0, tn: 2, recall: 1, precision: 1, accuracy: 1 });
      expect(plan.files).toEqual({ tp: 3, predicted: 3, truth: 3 });
      const literal = r.policies.find((p: any) => p.name === 'literal paths only');
      expect(literal.overlap).toMatchObject({ tp: 0, fn: 1, tn: 2 });
      const serial = r.policies.find((p: any) => p.name === 'serialise everything');
      expect(serial.overlap.accuracy).toBeCloseTo(1 / 3);

      // Commit level: one own commit per issue, the message as text, planned at its parent.
      const cout = execFileSync(
        process.execPath,
        [
          join(ROOT, 'node_modules/tsx/dist/cli.mjs'),
          join(ROOT, 'bench/eval/commit-eval.ts'),
          join(dir, 'manifest.json'),
          '--json',
        ],
        { encoding: 'utf8', cwd: ROOT },
      );
      const [c] = JSON.parse(cout);
      expect(c.commits).toBe(3);
      expect(c.pairs).toBe(3);
      expect(c.truthConflicts).toBe(1);
      expect(c.items.map((i: any) => [i.issue, i.subject, i.truth])).toEqual(
        expect.arrayContaining([
          ['1', 'work on h/a', ['src/auth.ts']],
          ['3', 'work on h/c', ['src/report.ts']],
        ]),
      );
    } finally {
      repo.cleanup();
    }
  });
});
