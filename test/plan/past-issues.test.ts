// Past issues (src/plan/past-issues.ts): commits grouped by the issue they name, and the nearest
// past issues by text predicting a new issue's files.
import { describe, expect, it } from 'vitest';
import { indexPastIssues, issueRefs, pastIssues } from '../../src/plan/past-issues.js';
import { buildIndex, predictIssue } from '../../src/plan/predict.js';
import { likelyFiles, similarChanges } from '../../src/plan/similar.js';
import type { CommitFiles, PlanIssue, RepoFacts } from '../../src/plan/types.js';

const KNOWN = new Set(['a1b2c3d4', 'deadbeef', 'fix-login']);

describe('issueRefs', () => {
  it.each([
    ['jit: a1b2c3d4', ['a1b2c3d4']],
    ['Add parser\n\n- Parser (a1b2c3d4)\njit: a1b2c3d4, deadbeef', ['a1b2c3d4', 'deadbeef']],
    ['jit: fix-login', ['fix-login']],
    // The plugin's subject `jit: <summary>` is not a list of ids.
    ['jit: add the parser', []],
    ['jit: speed up 2 commands', []],
    ['Fixes #12', ['12']],
    ['closes: #7 and resolved owner/repo#9', ['7', '9']],
    ['see #12', []],
    ['Implement claim wait (a1b2c3d4)', ['a1b2c3d4']],
    // An 8-hex word that is no known issue is a hash, not a reference.
    ['revert 0badf00d', []],
    ['A1B2C3D4 in capitals is not the id', []],
    ['', []],
  ])('%j -> %j', (msg, refs) => expect(issueRefs(msg, KNOWN).sort()).toEqual([...refs].sort()));
});

const c = (message: string, ...files: string[]): CommitFiles => ({ hash: message.slice(0, 8), files, message });

describe('pastIssues', () => {
  const texts = new Map([
    ['a1b2c3d4', 'Parser: handle tabs in the tokenizer'],
    ['deadbeef', 'Docs: explain the config file'],
  ]);
  it('unions the files of every commit naming an issue, and uses the store text when it has one', () => {
    const got = pastIssues(
      [
        c('Parser tabs (a1b2c3d4)', 'src/parser.ts', '.jit/issues/x.json'),
        c('Parser tabs, tests\n\njit: a1b2c3d4', 'test/parser.test.ts'),
        c('Fixes #3: crash on empty input', 'src/main.ts'),
        c('unrelated refactor', 'src/other.ts'),
      ],
      texts,
      { maxCommitFiles: 10, ignore: (f) => f.startsWith('.jit/') },
    );
    expect(got).toEqual([
      { ref: '3', text: 'Fixes #3: crash on empty input', files: ['src/main.ts'], commits: 1 },
      {
        ref: 'a1b2c3d4',
        text: 'Parser: handle tabs in the tokenizer',
        files: ['src/parser.ts', 'test/parser.test.ts'],
        commits: 2,
      },
    ]);
  });
  it('leaves out bulk commits and commits with only ignored files', () => {
    const bulk = Array.from({ length: 12 }, (_, i) => `src/f${i}.ts`);
    expect(pastIssues([c('import (a1b2c3d4)', ...bulk)], texts, { maxCommitFiles: 10 })).toEqual([]);
    expect(
      pastIssues([c('state (a1b2c3d4)', '.jit/issues/x.json')], texts, {
        maxCommitFiles: 10,
        ignore: (f) => f.startsWith('.jit/'),
      }),
    ).toEqual([]);
  });
});

describe('the nearest past issues predict files', () => {
  const past = [
    { ref: 'p1', text: 'Claim: add a timeout to claim acquire', files: ['src/claim.rs', 'src/main.rs'], commits: 1 },
    { ref: 'p2', text: 'Claim: release all claims of an agent', files: ['src/claim.rs', 'src/cli.rs'], commits: 2 },
    { ref: 'p3', text: 'Web: graph view zoom buttons', files: ['web/Graph.tsx'], commits: 1 },
  ];
  const idx = indexPastIssues(past);
  it('likelyFiles gives every file of the nearest ones with its share', () => {
    const got = likelyFiles('Claim: renew a claim before it expires', idx, { k: 3, minSimilarity: 0.1 });
    expect(got[0]).toMatchObject({ path: 'src/claim.rs', votes: 2, of: 2 });
    expect(got[0]!.share).toBeCloseTo(1);
    expect(got.map((h) => h.path).sort()).toEqual(['src/claim.rs', 'src/cli.rs', 'src/main.rs']);
    expect(got.find((h) => h.path === 'web/Graph.tsx')).toBeUndefined();
  });
  it('similarChanges keeps only what carries enough of their similarity (minShare)', () => {
    const got = similarChanges('Claim: renew a claim before it expires', idx, {
      k: 3,
      minSimilarity: 0.1,
      minShare: 0.9,
      minVotes: 1,
      maxCommitFiles: 40,
      maxFiles: 6,
    });
    expect(got.map((h) => h.path)).toEqual(['src/claim.rs']);
  });

  it('predictIssue names them as past-issue files with the example, and fills likely', () => {
    const facts: RepoFacts = {
      files: ['src/claim.rs', 'src/main.rs', 'src/cli.rs', 'web/Graph.tsx'],
      commits: [
        c('jit: aaaa1111', 'src/claim.rs', 'src/main.rs'),
        c('jit: bbbb2222', 'src/claim.rs', 'src/cli.rs'),
        c('jit: cccc3333', 'web/Graph.tsx'),
      ],
      grep: new Map(),
      npmScripts: null,
      issueTexts: new Map([
        ['aaaa1111', 'Claim: add a timeout to claim acquire'],
        ['bbbb2222', 'Claim: release all claims of an agent'],
        ['cccc3333', 'Web: graph view zoom buttons'],
      ]),
    };
    const index = buildIndex(facts, { hotFiles: [], ignore: [] });
    const issue: PlanIssue = {
      id: 'n1',
      shortId: 'n1',
      title: 'Claim: renew a claim before it expires',
      description: '',
      state: 'ready',
      priority: 'normal',
      dependencies: [],
      labels: [],
      declaredFiles: [],
      declaredRisk: null,
      documents: [],
    };
    const p = predictIssue(issue, index, facts, { maxFilesPerIssue: 40 });
    const hit = p.files.find((f) => f.path === 'src/claim.rs');
    expect(hit).toMatchObject({ kind: 'past-issue' });
    expect(hit!.reason).toMatch(/most similar past issues \(e\.g\. "Claim: /);
    expect(p.likely[0]).toEqual({ path: 'src/claim.rs', p: 1 });
    // Without the issues' text the same commits say nothing (their messages are bare ids).
    const bare = predictIssue(
      issue,
      buildIndex({ ...facts, issueTexts: new Map() }, { hotFiles: [], ignore: [] }),
      facts,
      {
        maxFilesPerIssue: 40,
      },
    );
    expect(bare.files.filter((f) => f.kind === 'past-issue')).toEqual([]);
  });
});
