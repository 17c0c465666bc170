// The order vitest starts the test files in. With timings of an earlier run (vitest keeps them
// under node_modules/.vite) it runs the longest first, which keeps both workers busy to the end.
// A fresh clone has none, and vitest then starts the largest files first: a short file that
// starts many processes (test/store/crash.test.ts) came last and ran alone for the run's last
// half minute while the other worker had nothing to do. Without timings, the files below (the
// heaviest, by CPU, from `npm run bench:tests`) start first, in this order; the rest follow in
// vitest's own order.
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const HEAVY_FIRST = [
  'test/merge/merge.test.ts',
  'test/remote/race.test.ts',
  'test/dispatch/finish.test.ts',
  'test/worktree/worktree-add.test.ts',
  'test/hooks/git/git-hooks.test.ts',
  'test/hooks/runtime/pre-bundle.test.ts',
  'test/worktree/cleanup-status.test.ts',
  'test/store/crash.test.ts',
  'test/remote/cli.test.ts',
  'test/hooks/bypass-binding.test.ts',
  'test/merge/merge-done.test.ts',
  'test/cli/completion.test.ts',
  'test/hooks/bash/sandbox.test.ts',
  'test/hooks/runtime/process.test.ts',
  'test/store/lock-recovery.test.ts',
  'test/dispatch/demo.test.ts',
  'test/worktree/client-default.test.ts',
  'test/hooks/runtime/remote.test.ts',
];

export default class HeavyFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const root = this.ctx.config.root;
    const timed = sorted.filter((f) =>
      this.ctx.cache.getFileTestResults(`${f.project.name}:${relative(root, f.moduleId)}`),
    ).length;
    if (timed >= sorted.length / 2) return sorted;
    const rank = (f: TestSpecification) => {
      const i = HEAVY_FIRST.indexOf(relative(root, f.moduleId).split('\\').join('/'));
      return i < 0 ? HEAVY_FIRST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i }))
      .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
      .map((x) => x.f);
  }
}
