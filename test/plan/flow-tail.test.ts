// The hand-off's tail measured from history (bench/eval/flow/tail-measure.ts): table tests on
// hand-made commits, the per-wait tail in the skill's simulation, the whole path through a real
// git repository shaped like a jit project, and (only when the dev bundle is there) its invariants
// on the real history.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDevSet, cloneBundle, type DevBatch } from '../../bench/eval/flow/devset.js';
import { measuredTail } from '../../bench/eval/flow/handoff.js';
import type { SimIssue } from '../../bench/eval/flow/sim.js';
import { runSkill, type PlanView } from '../../bench/eval/flow/skill.js';
import {
  fromFirstTouchShare,
  heldLinesShare,
  quartiles,
  tailPairs,
  type WorkCommit,
} from '../../bench/eval/flow/tail-measure.js';
import { GIT_ENV, tempDir } from '../support/git.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const C = (time: number, lines: Record<string, number>): WorkCommit => ({ time, lines });

describe('heldLinesShare', () => {
  it.each([
    ['all its lines on held files', [C(1, { x: 10 })], ['x'], 1],
    ['none on held files', [C(1, { y: 10 })], ['x'], 0],
    ['a quarter, over two commits', [C(1, { y: 30 }), C(2, { x: 10 })], ['x'], 0.25],
    ['several held files add up', [C(1, { x: 1, y: 1, z: 2 })], ['x', 'y'], 0.5],
    ['no counted lines: assume all waits', [C(1, { x: 0 })], ['x'], 1],
    ['no commits: assume all waits', [], ['x'], 1],
  ] as const)('%s', (_n, work, held, want) => {
    expect(heldLinesShare(work, held)).toBeCloseTo(want, 12);
  });
});

describe('fromFirstTouchShare', () => {
  it.each([
    ['the first commit touches a held file: all of it', [C(1, { x: 1, y: 9 }), C(2, { y: 10 })], ['x'], 1],
    ['the last commit does: only that one', [C(1, { y: 30 }), C(2, { x: 5, y: 5 })], ['x'], 0.25],
    ['ordered by time, not by the order given', [C(2, { x: 10 }), C(1, { y: 30 })], ['x'], 0.25],
    ['equal times keep the order given', [C(1, { y: 30 }), C(1, { x: 10 })], ['x'], 0.25],
    ['no commit touches a held file: nothing waits', [C(1, { y: 3 })], ['x'], 0],
    ['a touch with no counted lines still counts as the first', [C(1, { x: 0 }), C(2, { y: 4 })], ['x'], 1],
    ['no counted lines at all but a touch: all waits', [C(1, { x: 0 })], ['x'], 1],
  ] as const)('%s', (_n, work, held, want) => {
    expect(fromFirstTouchShare(work, held)).toBeCloseTo(want, 12);
  });

  it('is never below the share on held files (every held line is at or after the first touch)', () => {
    const works: WorkCommit[][] = [
      [C(1, { a: 3, x: 1 }), C(2, { b: 7 }), C(3, { x: 2, c: 5 })],
      [C(5, { x: 9 }), C(1, { a: 1 })],
      [C(1, { a: 4 }), C(2, { y: 4 }), C(3, { x: 4 })],
    ];
    for (const w of works)
      for (const held of [['x'], ['x', 'y'], ['a'], ['c']])
        expect(fromFirstTouchShare(w, held)).toBeGreaterThanOrEqual(heldLinesShare(w, held) - 1e-12);
  });
});

describe('tailPairs', () => {
  const a = { id: 'a', files: ['x', 'y'], work: [C(1, { x: 3, y: 1 })] };
  const b = { id: 'b', files: ['x', 'z'], work: [C(1, { z: 1 }), C(2, { x: 1 })] };
  const c = { id: 'c', files: ['q'], work: [C(1, { q: 1 })] };
  it('counts each overlapping pair of one week from both sides, and no other pair', () => {
    const pairs = tailPairs([
      { week: 'w1', issues: [a, b, c] },
      // The same files in another week, alone: no pair across weeks.
      { week: 'w2', issues: [{ ...c, id: 'd', files: ['x'] }] },
    ]);
    expect(pairs.map((p) => [p.week, p.waiter, p.holder, p.held.join(','), p.heldLines, p.fromFirstTouch])).toEqual([
      ['w1', 'a', 'b', 'x', 0.75, 1],
      ['w1', 'b', 'a', 'x', 0.5, 0.5],
    ]);
  });
});

describe('quartiles', () => {
  it.each([
    [[5], 5, 5, 5],
    [[1, 2, 3, 4, 5], 2, 3, 4],
    [[4, 1, 3, 2], 1.75, 2.5, 3.25],
    [[0, 0, 0, 1], 0, 0, 0.25],
  ] as const)('%j', (xs, q1, median, q3) => {
    expect(quartiles(xs)).toEqual({ n: xs.length, q1, median, q3 });
  });
  it('refuses no values with a clear error', () => {
    expect(() => quartiles([])).toThrow(/no values/);
  });
});

describe('runSkill with a tail measured per wait', () => {
  // Nothing predicted: b meets x, which a holds, and waits for a (2 h) to stop.
  const blind: PlanView = { predicted: new Map(), tiers: new Map(), likely: new Map() };
  const a: SimIssue = { id: 'a', files: ['x'], deps: [], hours: 2, work: [C(1, { x: 8 })] };
  const run = (work: WorkCommit[] | undefined, kind: 'held lines' | 'from first touch') =>
    runSkill([a, { id: 'b', files: ['x', 'y'], deps: [], hours: 1, ...(work ? { work } : {}) }], blind, 4, {
      handoff: true,
      waitTail: measuredTail(kind),
    });
  it.each([
    [
      'a quarter of its lines on x: it ends a quarter hour after a',
      [C(1, { y: 3 }), C(2, { x: 1 })],
      'held lines',
      2.25,
    ],
    ['pessimistic, x last: the same quarter', [C(1, { y: 3 }), C(2, { x: 1 })], 'from first touch', 2.25],
    [
      'pessimistic, x first: all of it after a (the idle wait)',
      [C(1, { x: 1 }), C(2, { y: 3 })],
      'from first touch',
      3,
    ],
    ['only x matters to it: all of it after a', [C(1, { x: 4 })], 'held lines', 3],
    ['no commits known: the idle wait', undefined, 'held lines', 3],
  ] as const)('%s', (_n, work, kind, makespan) => {
    expect(run(work ? [...work] : undefined, kind)).toEqual({ makespan, wasted: 0, waits: 1 });
  });
});

describe('the dev set carries each issue’s lines (a real git repository shaped like a jit project)', () => {
  const A = 'aaaaaaaa-0000-4000-8000-000000000001';
  const B = 'bbbbbbbb-0000-4000-8000-000000000002';
  const K = 'cccccccc-0000-4000-8000-000000000003';
  let root = '';
  const lines = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i}\n`).join('');
  const put = (rel: string, text: string) => {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  };
  // Monday 2026-01-05, hour h (UTC): all in one ISO week.
  const commit = (hour: number, message: string) => {
    const date = `2026-01-05T${String(hour).padStart(2, '0')}:00:00Z`;
    const env = { ...process.env, ...GIT_ENV, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date };
    execFileSync('git', ['add', '-A'], { cwd: root, env });
    execFileSync('git', ['commit', '-q', '-m', message], { cwd: root, env });
  };
  beforeAll(() => {
    root = tempDir('jitp-flow-tail-');
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: root });
    put('README.md', '# r\n');
    for (const [id, title] of [
      [A, 'A'],
      [B, 'B'],
      [K, 'K'],
    ])
      put(`.jit/issues/${id}.json`, JSON.stringify({ title, description: '', dependencies: [] }));
    commit(8, 'start');
    put('src/util.ts', lines(10, 'u'));
    put('src/a.ts', lines(30, 'a'));
    commit(10, 'jit:aaaaaaaa util and a');
    put('src/b.ts', lines(20, 'b'));
    commit(11, 'bbbbbbbb part 1');
    put('src/util.ts', lines(10, 'u') + lines(5, 'v'));
    put(`.jit/issues/${B}.json`, JSON.stringify({ title: 'B', description: 'done', dependencies: [] }));
    commit(12, 'bbbbbbbb part 2');
    put('src/a.ts', lines(40, 'a'));
    put('img.bin', '\0\x01\x02binary');
    commit(13, 'aaaaaaaa finish');
    put('src/k.ts', lines(3, 'k'));
    commit(14, 'cccccccc k');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const runTail = (env: Record<string, string>, ...args: string[]) =>
    execFileSync(
      process.execPath,
      [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), join(repoRoot, 'bench/eval/flow/tail.ts'), ...args],
      { encoding: 'utf8', cwd: repoRoot, env: { ...process.env, ...env } },
    );

  it('`npm run eval:flow:tail` measures a bundle of it; a missing bundle is a clear skip, exit 0', () => {
    const bundleFile = join(root, '..', `${root.split('/').pop()}.bundle`);
    const cache = tempDir('jitp-flow-tail-cache-');
    try {
      execFileSync('git', ['bundle', 'create', '-q', bundleFile, '--all'], { cwd: root });
      const out = JSON.parse(
        runTail({ JITP_FLOW_BUNDLE: bundleFile, JITP_EVAL_CACHE: cache }, '--first-test', '1', '--json'),
      );
      expect(out[0]).toMatchObject({
        weeks: ['2026-W02'],
        pairs: 2,
        waiters: 2,
        // a: 10/51 on held files, all from its first held commit; b: 0.2 and 0.2.
        heldLines: {
          n: 2,
          q1: expect.closeTo(10 / 51 + (0.2 - 10 / 51) * 0.25, 12),
          mean: expect.closeTo((0.2 + 10 / 51) / 2, 12),
        },
        fromFirstTouch: { n: 2, median: expect.closeTo(0.6, 12), q3: expect.closeTo(0.8, 12) },
      });
      expect(out[1]).toEqual({ part: expect.stringMatching(/^test/), weeks: [], pairs: 0 });
      expect(runTail({ JITP_FLOW_BUNDLE: join(cache, 'none.bundle'), JITP_EVAL_CACHE: cache }, '--json')).toMatch(
        /^eval:flow:tail skipped: no dev data at .*none\.bundle.*JITP_FLOW_BUNDLE/,
      );
    } finally {
      rmSync(bundleFile, { force: true });
      rmSync(cache, { recursive: true, force: true });
    }
  }, 60_000);

  it('reads lines per commit (bookkeeping out, binary as 1) and measures the overlapping pair from both sides', () => {
    const dev = buildDevSet(root);
    expect(dev.map((b) => [b.week, b.issues.map((i) => i.shortId)])).toEqual([
      ['2026-W02', ['aaaaaaaa', 'bbbbbbbb', 'cccccccc']],
    ]);
    const work = Object.fromEntries(dev[0]!.issues.map((i) => [i.shortId, i.work.map((w) => w.lines)]));
    expect(work).toEqual({
      aaaaaaaa: [
        { 'src/a.ts': 30, 'src/util.ts': 10 },
        { 'img.bin': 1, 'src/a.ts': 10 },
      ],
      bbbbbbbb: [{ 'src/b.ts': 20 }, { 'src/util.ts': 5 }],
      cccccccc: [{ 'src/k.ts': 3 }],
    });
    const pairs = tailPairs(dev).map((p) => ({
      w: p.waiter.slice(0, 8),
      held: p.held,
      on: p.heldLines,
      from: p.fromFirstTouch,
    }));
    expect(pairs).toEqual([
      { w: 'aaaaaaaa', held: ['src/util.ts'], on: 10 / 51, from: 1 },
      { w: 'bbbbbbbb', held: ['src/util.ts'], on: 5 / 25, from: 5 / 25 },
    ]);
  });
});

const bundle = process.env.JITP_FLOW_BUNDLE ?? join(repoRoot, '..', 'shared', 'datasets', 'jit-history-dev.bundle');
const haveBundle = existsSync(bundle);
if (!haveBundle)
  console.log(
    `flow-tail: the real-history check is skipped: no dev bundle at ${bundle} ` +
      '(it lives outside the repository; set JITP_FLOW_BUNDLE to run it).',
  );

describe.skipIf(!haveBundle)('on the jit history bundle (optional: needs ../shared)', () => {
  it('every overlapping pair is seen from both sides, with shares in [0, 1] and held lines <= from first touch', () => {
    const dev: DevBatch[] = buildDevSet(cloneBundle(bundle));
    const pairs = tailPairs(dev);
    expect(pairs.length).toBeGreaterThan(0);
    const keys = new Set(pairs.map((p) => `${p.week} ${p.waiter} ${p.holder}`));
    for (const p of pairs) {
      expect(keys.has(`${p.week} ${p.holder} ${p.waiter}`)).toBe(true);
      expect(p.heldLines).toBeGreaterThanOrEqual(0);
      expect(p.fromFirstTouch).toBeLessThanOrEqual(1);
      expect(p.heldLines).toBeLessThanOrEqual(p.fromFirstTouch + 1e-12);
    }
    // Issues with work have lines: the measure is not made of the "no lines" fallback.
    const issues = dev.flatMap((b) => b.issues);
    const counted = issues.filter((i) => i.work.some((w) => Object.values(w.lines).some((n) => n > 0)));
    expect(counted.length / issues.length).toBeGreaterThan(0.9);
  }, 120_000);
});
