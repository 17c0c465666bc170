// Similar past changes (src/plan/similar.ts) and the log format that feeds it.
import { describe, expect, it } from 'vitest';
import { parseLog } from '../../src/plan/grep-parse.js';
import { logArgs } from '../../src/plan/repo-facts.js';
import { buildIndex, predictIssue } from '../../src/plan/predict.js';
import { DEFAULT_SIMILAR, indexMessages, similarChanges, stem, tokenize } from '../../src/plan/similar.js';
import type { CommitFiles, PlanIssue, RepoFacts } from '../../src/plan/types.js';

const c = (message: string, ...files: string[]): CommitFiles => ({
  hash: Math.random().toString(16).slice(2).padEnd(40, '0'),
  files,
  message,
});
const HISTORY = [
  c('Benchmarks: hook figures under load', 'docs/benchmarks.md', 'bench/hook.ts'),
  c('benchmark the merge preview; figures', 'docs/benchmarks.md', 'bench/merge.ts'),
  c('faster claims benchmark figures', 'docs/benchmarks.md', 'src/store/lock.ts'),
  c('Fix typo in README', 'README.md'),
  c('Parser: handle tabs', 'src/parser.ts', 'test/parser.test.ts'),
  c('Parser: handle unicode escapes', 'src/parser.ts', 'test/parser.test.ts'),
];

describe('tokenize and stem', () => {
  it.each([
    ['benchmarks', 'benchmark'],
    ['benchmarking', 'benchmark'],
    ['figures', 'figure'],
    ['entries', 'entry'],
    ['status', 'status'],
    ['class', 'class'],
    ['added', 'add'],
    ['speed', 'speed'],
  ])('%s -> %s', (w, s) => expect(stem(w)).toBe(s));
  it('splits code names, drops stop words, numbers and hashes', () => {
    expect(tokenize('Fix parseLog in src/plan/grep-parse.ts for the 2 commits 1a2b3c4d5e')).toEqual([
      'parse',
      'log',
      'src',
      'plan',
      'grep',
      'parse',
      'commit',
    ]);
  });
});

describe('similarChanges', () => {
  const idx = indexMessages(HISTORY);
  it('predicts what most of the nearest past changes touched, with votes', () => {
    const hits = similarChanges('Hook benchmark: new figures after the CommonJS entry', idx);
    expect(hits.map((h) => h.path)).toEqual(['docs/benchmarks.md']);
    expect(hits[0]).toMatchObject({ votes: 3, of: 3 });
    expect(hits[0]!.share).toBeCloseTo(1);
  });
  it('a file only one neighbour touched is not predicted (minVotes)', () => {
    expect(similarChanges('Hook benchmark: new figures', idx).map((h) => h.path)).not.toContain('bench/hook.ts');
  });
  it('words history never saw, or no history, predict nothing', () => {
    expect(similarChanges('Completely unrelated quantum teleportation', idx)).toEqual([]);
    expect(similarChanges('benchmark figures', indexMessages([]))).toEqual([]);
  });
  it('bulk commits and commits without a message are not examples', () => {
    const bulk = c(
      'benchmark figures everywhere',
      ...Array.from({ length: DEFAULT_SIMILAR.maxCommitFiles + 1 }, (_, i) => `f${i}.ts`),
    );
    const idx2 = indexMessages([
      bulk,
      bulk,
      { hash: 'x', files: ['a.ts'] },
      { hash: 'y', files: ['a.ts'], message: '  ' },
    ]);
    expect(idx2.examples).toEqual([]);
  });
  it('split votes below the share threshold predict nothing', () => {
    const h = [
      c('parser speed', 'src/a.ts'),
      c('parser speed', 'src/b.ts'),
      c('parser speed', 'src/c.ts'),
      c('parser speed', 'src/d.ts'),
    ];
    expect(similarChanges('parser speed', indexMessages(h))).toEqual([]);
  });
});

describe('in the planner', () => {
  const facts: RepoFacts = {
    files: [
      'docs/benchmarks.md',
      'bench/hook.ts',
      'bench/merge.ts',
      'src/store/lock.ts',
      'README.md',
      'src/parser.ts',
      'test/parser.test.ts',
    ],
    commits: HISTORY,
    grep: new Map(),
    npmScripts: null,
  };
  const opts = { hotFiles: [], ignore: [], maxFilesPerIssue: 40 };
  const issue = (title: string, description = ''): PlanIssue => ({
    id: 'x',
    shortId: 'x',
    title,
    description,
    state: 'ready',
    priority: 'normal',
    dependencies: [],
    labels: [],
    declaredFiles: [],
    declaredRisk: null,
    documents: [],
  });
  it('adds the file with its reason', () => {
    const p = predictIssue(
      issue('Speed up the lease check', 'Measure it and record the benchmark figures.'),
      buildIndex(facts, opts),
      facts,
      opts,
    );
    expect(p.files.find((f) => f.path === 'docs/benchmarks.md')).toMatchObject({
      kind: 'similar',
      reason: expect.stringMatching(/^changed by 3 of the 3 most similar past commits \(e\.g\. "/),
    });
  });
  it('never predicts a file that no longer exists', () => {
    const gone = { ...facts, files: facts.files.filter((f) => f !== 'docs/benchmarks.md') };
    const p = predictIssue(issue('benchmark figures'), buildIndex(gone, opts), gone, opts);
    expect(p.files.map((f) => f.path)).not.toContain('docs/benchmarks.md');
  });
});

describe('git log with messages', () => {
  it('asks git for the message between NULs', () =>
    expect(logArgs(7).join(' ')).toMatch(/-n7 .*--format=%x1e%H%x00%B%x00/));
  it('parses messages, files, a stray record separator in a message, and the old format', () => {
    const h1 = 'a'.repeat(40);
    const h2 = 'b'.repeat(40);
    const out =
      `\x1e${h1}\0Subject one\n\nBody \x1e with a ` +
      `separator\n\0\n\nsrc/a.ts\nsrc/b.ts\n\x1e${h2}\0Second\n\0\n\nREADME.md\n`;
    expect(parseLog(out)).toEqual([
      { hash: h1, message: 'Subject one\n\nBody   with a separator\n', files: ['src/a.ts', 'src/b.ts'] },
      { hash: h2, message: 'Second\n', files: ['README.md'] },
    ]);
    expect(parseLog(`\x1e${h1}\n\nsrc/a.ts\n`)).toEqual([{ hash: h1, files: ['src/a.ts'] }]);
  });
});
