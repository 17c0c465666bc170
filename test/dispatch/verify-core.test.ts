import { describe, expect, test } from 'vitest';
import { normalizeReportedPath, parseReport } from '../../src/dispatch/reports.js';
import {
  analyseVerify,
  dropClientTempFiles,
  type VerifyInput,
  type VerifyIssueInput,
} from '../../src/dispatch/verify-core.js';

const rep = (files: string[], extra: Record<string, unknown> = {}) => ({
  file: 'r.md',
  ok: true as const,
  report: { filesChanged: files, testsAdded: [], checks: [], needsOutsideScope: [], problems: [], ...extra } as never,
});
const I = (shortId: string, paths: string[], over: Partial<VerifyIssueInput> = {}): VerifyIssueInput => ({
  id: `${shortId}-id`,
  shortId,
  title: `title ${shortId}`,
  lease: { id: `L-${shortId}`, paths, worktree: null, branch: null },
  ownChanges: null,
  report: null,
  ...over,
});
const V = (over: Partial<VerifyInput>): VerifyInput => ({
  issues: [],
  mainChanges: [],
  ignore: ['.jit/**', '.jit-parallel/reports/**'],
  strayReports: [],
  tests: null,
  ...over,
});

describe('analyseVerify', () => {
  test('clean shared batch: each file in its lease, stage lists them, ok', () => {
    const r = analyseVerify(
      V({
        issues: [I('a', ['src/a.ts', 'test/a.test.ts']), I('b', ['src/b/**'])],
        mainChanges: ['src/a.ts', 'test/a.test.ts', 'src/b/x.ts', '.jit/issues/u.json', '.jit-parallel/reports/a.md'],
      }),
    );
    expect(r.ok).toBe(true);
    expect(r.issues.map((i) => i.changed)).toEqual([['src/a.ts', 'test/a.test.ts'], ['src/b/x.ts']]);
    expect(r.stage).toEqual(['src/a.ts', 'src/b/x.ts', 'test/a.test.ts']);
    expect(r.unleased).toEqual([]);
  });
  test('a file no lease covers needs a human and is not staged', () => {
    const r = analyseVerify(V({ issues: [I('a', ['src/a.ts'])], mainChanges: ['src/a.ts', 'package.json'] }));
    expect(r.ok).toBe(false);
    expect(r.unleased).toEqual(['package.json']);
    expect(r.stage).toEqual(['src/a.ts']);
    expect(r.needsHuman.join('\n')).toMatch(/no lease of the batch covers: package.json/);
  });
  test('report claiming a file outside its lease: outsideLease; two reports claiming one file: shared', () => {
    const r = analyseVerify(
      V({
        issues: [
          I('a', ['src/a.ts'], { report: rep(['src/a.ts', 'src/common.ts']) }),
          I('b', ['src/b.ts'], { report: rep(['src/b.ts', 'src/common.ts']) }),
        ],
        mainChanges: ['src/a.ts', 'src/b.ts', 'src/common.ts'],
      }),
    );
    expect(r.issues[0]!.outsideLease).toEqual(['src/common.ts']);
    expect(r.shared).toEqual([{ path: 'src/common.ts', issues: ['a-id', 'b-id'] }]);
    expect(r.unleased).toEqual([]);
    expect(r.ok).toBe(false);
  });
  test('reported but unchanged, needs outside scope, failed checks, problems, malformed, missing', () => {
    const r = analyseVerify(
      V({
        issues: [
          I('a', ['src/a.ts'], {
            report: rep(['src/a.ts', 'src/ghost.ts'], {
              needsOutsideScope: [{ path: 'src/reg.ts', why: 'register' }],
              checks: [{ command: 'npm test', result: 'fail' }],
              problems: ['flaky'],
            }),
          }),
          I('b', ['src/b.ts'], { report: { file: 'b.md', ok: false, error: 'no fenced json' } }),
          I('c', ['src/c.ts']),
        ],
        mainChanges: ['src/a.ts', 'src/b.ts', 'src/c.ts'],
        reportsExpected: true,
      }),
    );
    const [a, b, c] = r.issues;
    expect(a!.reportedButUnchanged).toEqual(['src/ghost.ts']);
    expect(a!.findings.join('|')).toMatch(
      /did not change.*needs changes outside its scope: src\/reg.ts.*1 problem.*check failed/,
    );
    expect(b!.report).toBe('malformed');
    expect(c!.report).toBe('missing');
    expect(c!.findings).toContain('no report found for it in the reports folder');
  });
  test('an issue that changed nothing, and one without a lease', () => {
    const r = analyseVerify(V({ issues: [I('a', ['src/a.ts']), I('b', [], { lease: null })], mainChanges: [] }));
    expect(r.issues[0]!.findings).toContain('changed no file');
    expect(r.issues[1]!.findings[0]).toMatch(/no live lease/);
  });
  test('worktree mode: own branch changes, leak into the main checkout detected', () => {
    const wt = (s: string, paths: string[], own: string[]) =>
      I(s, paths, { lease: { id: `L-${s}`, paths, worktree: `/wt/${s}`, branch: `jit/${s}` }, ownChanges: own });
    const r = analyseVerify(
      V({
        issues: [wt('a', ['src/a.ts'], ['src/a.ts']), wt('b', ['src/b.ts'], ['src/b.ts', 'src/x.ts'])],
        mainChanges: ['src/a.ts'],
      }),
    );
    expect(r.leaked).toEqual([{ path: 'src/a.ts', issue: 'a-id' }]);
    expect(r.issues[1]!.outsideLease).toEqual(['src/x.ts']);
    expect(r.unleased).toEqual([]);
    expect(r.stage).toEqual([]);
    expect(r.ok).toBe(false);
  });
  test('failing tests need a human', () => {
    const r = analyseVerify(
      V({ issues: [I('a', ['a'])], mainChanges: ['a'], tests: { command: 'npm test', exitCode: 1, ok: false } }),
    );
    expect(r.needsHuman).toEqual(['tests failed: npm test (exit 1)']);
  });
});

describe('parseReport', () => {
  const good =
    '{"issue":"3f2a","filesChanged":["a"],"testsAdded":[],"checks":[{"command":"npm ' +
    'test","result":"pass"}],"needsOutsideScope":[],"problems":[]}';
  const CASES: [string, string, RegExp | null][] = [
    ['prose around the block', `Done! Here is what I did.\n\n\`\`\`json\n${good}\n\`\`\`\nThanks.`, null],
    ['last json block wins', `\`\`\`json\n{"bad": \n\`\`\`\ntext\n\`\`\`json\n${good}\n\`\`\``, null],
    ['longer fence, tildes', `~~~~json\n${good}\n~~~~`, null],
    ['bare JSON answer', good, null],
    ['defaults for missing lists', '```json\n{"filesChanged":["a"]}\n```', null],
    ['no block', 'I finished the work.', /no fenced/],
    ['syntax error', '```json\n{"filesChanged": [\n```', /not valid JSON/],
    ['wrong shape', '```json\n{"filesChanged": "a.ts"}\n```', /wrong shape: filesChanged/],
    ['bad check result', '```json\n{"checks":[{"command":"x","result":"ok"}]}\n```', /checks\.0\.result/],
    ['unterminated fence still read', `\`\`\`json\n${good}\n`, null],
  ];
  test.each(CASES)('%s', (_, text, err) => {
    const r = parseReport(text);
    if (err) {
      expect(r.ok).toBe(false);
      expect(r.ok ? '' : r.error).toMatch(err);
    } else expect(r.ok, r.ok ? '' : r.error).toBe(true);
  });
});

test('worktree lease with no paths: the worktree is the scope', () => {
  const r = analyseVerify(
    V({
      issues: [
        I('a', [], { lease: { id: 'L-a', paths: [], worktree: '/wt/a', branch: 'jit/a' }, ownChanges: ['src/x.ts'] }),
      ],
      mainChanges: [],
    }),
  );
  expect(r.issues[0]!.outsideLease).toEqual([]);
  expect(r.ok).toBe(true);
});

describe('normalizeReportedPath', () => {
  const CASES: [string, string][] = [
    ['/repo/src/a.ts', 'src/a.ts'],
    ['./src/a.ts', 'src/a.ts'],
    ['/wt/x/src/a.ts', 'src/a.ts'],
    ['src\\\\win.ts', 'src/win.ts'],
    ['/elsewhere/a.ts', '/elsewhere/a.ts'],
    ['/repository/a.ts', '/repository/a.ts'],
    ['  src//a.ts ', 'src/a.ts'],
  ];
  test.each(CASES)('%s -> %s', (input, out) => expect(normalizeReportedPath(input, ['/wt/x', '/repo'])).toBe(out));
});

test("changes under a lease outside the batch are someone else's: reported, not flagged, not staged", () => {
  const r = analyseVerify(
    V({
      issues: [I('a', ['src/a.ts'])],
      mainChanges: ['src/a.ts', 'src/other.ts'],
      otherLeases: [{ id: 'L-x', issueId: 'x-id', paths: ['src/other.ts'] }],
    }),
  );
  expect(r.heldByOthers).toEqual([{ path: 'src/other.ts', leaseId: 'L-x', issueId: 'x-id' }]);
  expect(r.unleased).toEqual([]);
  expect(r.stage).toEqual(['src/a.ts']);
  expect(r.ok).toBe(true);
});

describe('the client’s atomic-write temp files (a status taken while a sub-agent writes)', () => {
  test('gone, or beside a file a live lease holds: dropped; any other stays', () => {
    const exists = (p: string) => p !== 'src/a.ts.tmp.12408.289adf560cf5';
    expect(
      dropClientTempFiles(
        [
          'src/a.ts',
          'src/a.ts.tmp.12408.289adf560cf5', // renamed into place already
          'src/b.ts.tmp.99.abcdef123456', // still there, src/b.ts is leased: being written
          'src/x.ts.tmp.7.0123456789ab', // still there, nobody holds src/x.ts: a stray, kept
          'notes.tmp.txt',
          'src/c.ts.tmp.12.zzzzzz', // not the client's shape
        ],
        exists,
        ['src/a.ts', 'src/b*.ts'],
      ),
    ).toEqual(['src/a.ts', 'src/x.ts.tmp.7.0123456789ab', 'notes.tmp.txt', 'src/c.ts.tmp.12.zzzzzz']);
  });
});
