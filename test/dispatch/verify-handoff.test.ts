// verify after a lock hand-off (docs/wait.md): the giver changed the file before it passed to the
// waiter, so both changed it; that is by design, not a "shared" finding. Without the record it is.
import { describe, expect, test } from 'vitest';
import { analyseVerify, type VerifyInput, type VerifyIssueInput } from '../../src/dispatch/verify-core.js';

const rep = (files: string[]) => ({
  file: 'r.md',
  ok: true as const,
  report: { filesChanged: files, testsAdded: [], checks: [], needsOutsideScope: [], problems: [] } as never,
});
const I = (
  shortId: string,
  paths: string[],
  over: Partial<VerifyIssueInput['lease'] & object> = {},
  files?: string[],
) =>
  ({
    id: `${shortId}-id`,
    shortId,
    title: shortId,
    lease: { id: `L-${shortId}`, paths, worktree: null, branch: null, ...over },
    ownChanges: null,
    report: rep(files ?? paths),
  }) satisfies VerifyIssueInput;
const V = (issues: VerifyIssueInput[], mainChanges: string[]): VerifyInput => ({
  issues,
  mainChanges,
  ignore: [],
  strayReports: [],
  tests: null,
});

describe('verify after a hand-off', () => {
  test('giver and taker both changed the handed-off file: ok, staged once', () => {
    const r = analyseVerify(
      V(
        [
          I('a', ['src/a.ts'], { handedOff: [{ path: 'src/common.ts', toIssueId: 'b-id' }] }, [
            'src/a.ts',
            'src/common.ts',
          ]),
          I('b', ['src/b.ts', 'src/common.ts']),
        ],
        ['src/a.ts', 'src/b.ts', 'src/common.ts'],
      ),
    );
    expect(r.shared).toEqual([]);
    expect(r.issues[0]!.outsideLease).toEqual([]);
    expect(r.issues[0]!.changed).toEqual(['src/a.ts', 'src/common.ts']);
    expect(r.stage).toEqual(['src/a.ts', 'src/b.ts', 'src/common.ts']);
    expect(r.ok).toBe(true);
  });
  test('without the hand-off record the same changes are a finding', () => {
    const r = analyseVerify(
      V(
        [I('a', ['src/a.ts'], {}, ['src/a.ts', 'src/common.ts']), I('b', ['src/b.ts', 'src/common.ts'])],
        ['src/a.ts', 'src/b.ts', 'src/common.ts'],
      ),
    );
    expect(r.shared).toEqual([{ path: 'src/common.ts', issues: ['a-id', 'b-id'] }]);
    expect(r.ok).toBe(false);
  });
  test('a hand-off to an issue outside this pair does not excuse a third issue', () => {
    const r = analyseVerify(
      V(
        [
          I('a', ['src/a.ts'], { handedOff: [{ path: 'src/common.ts', toIssueId: 'b-id' }] }, [
            'src/a.ts',
            'src/common.ts',
          ]),
          I('b', ['src/b.ts', 'src/common.ts']),
          I('c', ['src/c.ts'], {}, ['src/c.ts', 'src/common.ts']),
        ],
        ['src/a.ts', 'src/b.ts', 'src/c.ts', 'src/common.ts'],
      ),
    );
    expect(r.shared).toEqual([{ path: 'src/common.ts', issues: ['a-id', 'b-id', 'c-id'] }]);
  });
});

describe('finishing one issue at a time after a hand-off (continuous dispatch)', () => {
  const other = (issueId: string, paths: string[]) => ({ id: `L-${issueId}`, issueId, paths });
  test('a file handed to a waiter outside the batch whose lease is live goes into its commit, not this one', () => {
    const a = I('a', ['src/a.ts'], { handedOff: [{ path: 'src/common.ts', toIssueId: 'b-id' }] }, [
      'src/a.ts',
      'src/common.ts',
    ]);
    const r = analyseVerify({
      ...V([a], ['src/a.ts', 'src/b.ts', 'src/common.ts']),
      otherLeases: [other('b-id', ['src/b.ts', 'src/common.ts'])],
    });
    expect(r.ok).toBe(true);
    expect(r.issues[0]!.changed).toEqual(['src/a.ts']);
    expect(r.stage).toEqual(['src/a.ts']);
    expect(r.handedOn).toEqual([{ path: 'src/common.ts', issue: 'a-id', toIssue: 'b-id' }]);
    expect(r.heldByOthers.map((h) => h.path)).toEqual(['src/b.ts', 'src/common.ts']);
  });
  test('the waiter already finished and committed it: the giver’s report of it is not a lie', () => {
    const a = I('a', ['src/a.ts'], { handedOff: [{ path: 'src/common.ts', toIssueId: 'b-id' }] }, [
      'src/a.ts',
      'src/common.ts',
    ]);
    const r = analyseVerify(V([a], ['src/a.ts']));
    expect(r.ok).toBe(true);
    expect(r.issues[0]!.reportedButUnchanged).toEqual([]);
    expect(r.handedOn).toEqual([]);
    expect(r.stage).toEqual(['src/a.ts']);
  });
  test('no hand-off: a file of another live lease is still not this batch’s, and a lie is still a lie', () => {
    const a = I('a', ['src/a.ts'], {}, ['src/a.ts', 'src/ghost.ts']);
    const r = analyseVerify({
      ...V([a], ['src/a.ts', 'src/common.ts']),
      otherLeases: [other('b-id', ['src/common.ts'])],
    });
    expect(r.issues[0]!.reportedButUnchanged).toEqual(['src/ghost.ts']);
    expect(r.stage).toEqual(['src/a.ts']);
    expect(r.ok).toBe(false);
  });
});
