// Table tests of the pure planner: mentions, prediction, tiers, conflicts, batches.
import { describe, expect, it } from 'vitest';
import { checkBatches, findCycle, planBatches, type BatchNode } from '../../src/plan/batch.js';
import { findConflicts } from '../../src/plan/conflicts.js';
import { extractMentions, normalizeMentionedPath } from '../../src/plan/mentions.js';
import { definedNames, parseGrep } from '../../src/plan/grep-parse.js';
import { buildIndex, predictIssue } from '../../src/plan/predict.js';
import { tierOf } from '../../src/plan/tier.js';
import { buildPlan } from '../../src/plan/plan.js';
import type { PlanIssue, PredictedFile, RepoFacts } from '../../src/plan/types.js';
import type { Issue } from '../../src/sources/types.js';

const issue = (id: string, description: string, extra: Partial<Issue> = {}): Issue => ({
  id,
  shortId: id,
  title: id,
  description,
  state: 'ready',
  priority: 'normal',
  dependencies: [],
  labels: [],
  assignee: null,
  documents: [],
  acceptanceCriteria: [],
  declaredFiles: [],
  declaredRisk: null,
  source: 'tasks',
  file: `${id}.md`,
  raw: {},
  ...extra,
});
const facts = (
  files: string[],
  grep: Record<string, Array<[string, number, number]>> = {},
  commits: string[][] = [],
): RepoFacts => ({
  files,
  commits: commits.map((f, i) => ({ hash: `c${i}`, files: f })),
  grep: new Map(Object.entries(grep).map(([k, v]) => [k, v.map(([file, uses, defines]) => ({ file, uses, defines }))])),
  npmScripts: new Set(['test', 'bench:old']),
  binNames: ['tool'],
});
const OPTS = { hotFiles: [], ignore: [], maxFilesPerIssue: 40, maxParallel: 4 };
const predict = (desc: string, f: RepoFacts, extra: Partial<Issue> = {}) => {
  const i = issue('x', desc, extra) as PlanIssue;
  return predictIssue(i, buildIndex(f, OPTS), f, OPTS);
};

describe('mentions', () => {
  it.each([
    ['see src/a/b.ts.', 'src/a/b.ts'],
    ['`./src/x.ts`', 'src/x.ts'],
    ['(lib/util.py)', 'lib/util.py'],
    ['version 1.2.3', undefined],
    ['e.g. this', undefined],
  ])('%s -> %s', (text, path) => {
    expect(extractMentions(text).paths[0]).toBe(path);
  });
  it('refuses .. and absolute paths, and ignores URLs', () => {
    expect(normalizeMentionedPath('../etc/passwd').refused).toMatch(/contains \.\./);
    expect(normalizeMentionedPath('/etc/passwd').refused).toMatch(/absolute/);
    expect(extractMentions('see https://example.com/a/b.html').paths).toEqual([]);
  });
  it('finds identifiers of every shape, and drops plain English words', () => {
    const m = extractMentions('Call `parseConfig` and load_state(); `store::open_db`, FooBar, `list` and list()');
    const names = m.identifiers.map((i) => i.name);
    expect(names).toEqual(expect.arrayContaining(['parseConfig', 'load_state', 'open_db', 'FooBar', 'list']));
    expect(m.identifiers.find((i) => i.name === 'FooBar')!.strong).toBe(false);
    // A plain lowercase word counts only as code: in backticks it is looked up weakly (definitions only).
    expect(extractMentions('the `list` subcommand').identifiers).toEqual([{ name: 'list', strong: false }]);
    expect(extractMentions('the list subcommand').identifiers).toEqual([]);
    expect(extractMentions('Fix `store::open` for `alpha()` and `undefined`').identifiers).toEqual(
      expect.arrayContaining([
        { name: 'alpha', strong: true },
        { name: 'store', strong: false },
        { name: 'open', strong: false },
        { name: 'undefined', strong: false },
      ]),
    );
    expect(extractMentions('Fix `store::open` for `alpha()` and `undefined`').identifiers).toHaveLength(4);
  });
  it('bounds huge descriptions', () => {
    const t0 = performance.now();
    const m = extractMentions('word `a_b` src/x.ts '.repeat(500_000));
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(m.identifiers.length).toBeLessThanOrEqual(80);
  });
  it.each([
    ['Do a repo-wide rename of Foo to Bar', true],
    ['Rename it everywhere', true],
    ['Replace the logger across the whole codebase', true],
    ['CRITICAL: manifests, lock files, or repo-wide changes', false],
    ['update all files in src/a', false],
  ])('repo-wide: %s -> %s', (text, want) => expect(extractMentions(text).repoWide).toBe(want));
  it.each([
    ['tool claim acquire/renew and tool doctor', ['claim-acquire', 'claim-renew', 'doctor']],
    ['Fix things; status --watch redraws', ['status']],
    ['Title\nRefer to tool claim in prose and tool other', []],
    ['Add prompt/verify/issue done commands', ['prompt', 'verify', 'issue-done']],
    ['The merge command', ['merge']],
    ['tool plan and tool issues: x', ['plan', 'issues']],
    ['claim sync --check: fix refs; documented in --help', ['claim-sync']],
    ['Own-CLI commands in titles', []],
    ['Title\n## tool sync', ['sync']],
  ])('plain commands of the own CLI in titles and headings: %j', (text, subs) => {
    expect(extractMentions(text, { bins: ['tool'] }).commandWords.map((c) => c.sub)).toEqual(subs);
  });
  it('takes commands the issue defines, not ones it refers to', () => {
    const m = extractMentions('## `tool plan [<id>]`\nBuilds on `tool claim`.\n- `tool issue done`: marks it');
    expect(m.commandWords.map((c) => c.sub)).toEqual(['plan', 'issue-done']);
  });
});

describe('grep parsing', () => {
  it.each([
    ['export function parseConfig(a) {', ['parseConfig']],
    ['def load_state(self):', ['load_state']],
    ['pub fn open_db() -> Db {', ['open_db']],
    ['export const TIMEOUT = 3;', ['TIMEOUT']],
    ['  const local = 3;', []],
    ['  parseConfig(a) {', ['parseConfig']],
    ['  parseConfig(a);', []],
  ])('%s defines %j', (line, names) => expect(definedNames(line)).toEqual(names));
  it('comment lines are not uses (except in prose files)', () => {
    const out = 'a.ts\0// see foo here\na.py\0# foo\nb.rs\0#[foo]\nc.md\0use foo\nd.ts\0 * foo docs\n';
    expect(
      parseGrep(out, new Set(['foo']))
        .get('foo')!
        .map((h) => h.file),
    ).toEqual(['b.rs', 'c.md']);
  });
  it('counts uses and definitions per identifier and file', () => {
    const out = 'a.ts\0export function foo() {\na.ts\0foo(); bar()\nb.ts\0foo()\n';
    const g = parseGrep(out, new Set(['foo', 'bar']));
    expect(g.get('foo')).toEqual([
      { file: 'a.ts', uses: 2, defines: 1 },
      { file: 'b.ts', uses: 1, defines: 0 },
    ]);
    expect(g.get('bar')).toEqual([{ file: 'a.ts', uses: 1, defines: 0 }]);
  });
});

describe('prediction', () => {
  const F = facts(
    [
      'src/a.ts',
      'src/b.ts',
      'src/index.ts',
      'src/commands/run.ts',
      'src/commands/list.ts',
      'src/commands/claim-a.ts',
      'src/commands/claim-b.ts',
      'package.json',
      'package-lock.json',
      'test/a.test.ts',
      'README.md',
    ],
    {
      parseA: [
        ['src/a.ts', 3, 1],
        ['src/b.ts', 5, 0],
      ],
      helperB: [['src/b.ts', 4, 0]],
      common: Array.from({ length: 30 }, (_, i) => [`f${i}.ts`, 1, 0] as [string, number, number]),
    },
  );
  const kinds = (p: ReturnType<typeof predict>) => Object.fromEntries(p.files.map((f) => [f.path, f.kind]));
  it.each([
    ['named existing path', 'edit src/b.ts', { 'src/b.ts': 'named' }],
    [
      'new file under existing folder, plus its registry',
      'add src/c.ts',
      { 'src/c.ts': 'new', 'src/index.ts': 'registry' },
    ],
    ['new file in a missing deep folder is not predicted', 'add lib/deep/c.ts', {}],
    [
      'definition wins over uses; its test follows',
      'fix `parseA`',
      { 'src/a.ts': 'defines', 'test/a.test.ts': 'test' },
    ],
    ['a strong identifier used in few files', 'fix `helperB`', { 'src/b.ts': 'uses' }],
    ['an identifier everywhere points nowhere', 'fix `common`', {}],
    ['existing CLI command', '## `tool run`', { 'src/commands/run.ts': 'command' }],
    ['new CLI command and its folder has no registry', '## `tool plan [<x>]`', { 'src/commands/plan.ts': 'command' }],
    [
      'a list item with a flag in a heading is a command',
      '## list --all, status --watch',
      { 'src/commands/list.ts': 'command', 'src/commands/status.ts': 'command' },
    ],
    [
      'a word after other words with a flag names only an existing command',
      '## follow an explicit --worktree; use the list --all',
      { 'src/commands/list.ts': 'command' },
    ],
    [
      '"x commands" at a list item',
      '## Fixes: prompt/run commands',
      { 'src/commands/run.ts': 'command', 'src/commands/prompt.ts': 'command' },
    ],
    ['"x commands" mid-sentence', '## Make the read-only commands faster', {}],
    [
      'a command group',
      '## tool claim commands: better help',
      { 'src/commands/claim-a.ts': 'command', 'src/commands/claim-b.ts': 'command' },
    ],
    ['npm script', 'add `npm run bench:x`', { 'package.json': 'script' }],
    ['a new script in an existing group', 'bench:y figures; labels type:task', { 'package.json': 'script' }],
    ['an existing script changes nothing', 'npm run bench:old', {}],
    ['a script in a usual group', 'test:e2e runs in CI now', { 'package.json': 'script' }],
    ['a label is no script', 'labels type:task and epic:auth', {}],
    ['dependency', 'npm install left-pad', { 'package.json': 'manifest', 'package-lock.json': 'manifest' }],
    ['bare file name', 'update README.md', { 'README.md': 'named' }],
  ])('%s', (_n, text, want) => {
    expect(kinds(predict(text, F))).toEqual(want);
  });
  it.each([
    [
      'a new Rust module is declared in main.rs',
      ['src/main.rs', 'src/util.rs'],
      'add src/parser.rs',
      { 'src/parser.rs': 'new', 'src/main.rs': 'registry' },
    ],
    [
      'a new Python module next to __init__.py',
      ['pkg/__init__.py', 'pkg/a.py'],
      'add pkg/b.py',
      { 'pkg/b.py': 'new', 'pkg/__init__.py': 'registry' },
    ],
    ['main.ts is not a registry for a new TS file', ['src/main.ts'], 'add src/b.ts', { 'src/b.ts': 'new' }],
  ])('%s', (_n, files, text, want) => {
    expect(kinds(predict(text, facts(files)))).toEqual(want);
  });
  it('a title word that names one document predicts it', () => {
    const f = facts(['docs/benchmarks.md', 'docs/setup.md', 'guide/setup.md', 'src/benchmarks.ts']);
    const i = (title: string) =>
      predictIssue({ ...(issue('x', '') as PlanIssue), title }, buildIndex(f, OPTS), f, OPTS);
    expect(kinds(i('Benchmarks: faster runs'))).toEqual({ 'docs/benchmarks.md': 'named' });
    expect(kinds(i('Setup: two docs share the name'))).toEqual({});
  });
  it('a manual page reference names the page source', () => {
    const f = facts(['doc/bash.1', 'doc/rbash.1', 'src/bash.c', 'man/crontab.5', 'man/crontab.1']);
    const got = (text: string) => kinds(predictIssue(issue('x', text) as PlanIssue, buildIndex(f, OPTS), f, OPTS));
    expect(got('mention quoting in bash(1) and crontab(5)')).toEqual({
      'doc/bash.1': 'named',
      'man/crontab.5': 'named',
    });
    expect(got('call f(1) and printf(3)')).toEqual({});
  });
  it('declared files and globs, refusing paths that leave the repo', () => {
    const p = predict('', F, {
      declaredFiles: [
        'src/commands/*.ts',
        'docs/new.md',
        '../outside.ts',
        '/etc/passwd',
        'src/\u0007bell.ts',
        'src/../../x.ts',
      ],
    });
    expect(kinds(p)).toEqual({
      'src/commands/run.ts': 'declared',
      'src/commands/list.ts': 'declared',
      'src/commands/claim-a.ts': 'declared',
      'src/commands/claim-b.ts': 'declared',
      'docs/new.md': 'declared',
    });
    expect(p.ignored).toHaveLength(4);
  });
  it('respects plan.ignore and maxFilesPerIssue', () => {
    const i = issue('x', 'edit src/a.ts src/b.ts README.md') as PlanIssue;
    const idx = buildIndex(F, { hotFiles: [], ignore: ['README.md'] });
    const p = predictIssue(i, idx, F, { maxFilesPerIssue: 1 });
    expect(p.files.map((f) => f.path)).toEqual(['src/a.ts']);
    expect(p.ignored.join(' ')).toMatch(/dropped/);
  });
  it('co-change: files that change with the predicted ones', () => {
    const commits = [
      ['src/a.ts', 'src/b.ts'],
      ['src/a.ts', 'src/b.ts'],
      ['src/a.ts', 'README.md'],
      ['src/b.ts', 'src/index.ts'],
    ];
    const f = facts(F.files, {}, commits);
    const p = predict('edit src/a.ts', f);
    expect(p.files.find((x) => x.path === 'src/b.ts')).toMatchObject({
      kind: 'co-change',
      reason: 'changed with src/a.ts in 2 of its 3 commits',
    });
    expect(p.files.find((x) => x.path === 'README.md')).toBeUndefined();
  });
  it('history-hot files: labelled at 20%, predicted for every issue at 50%', () => {
    const commits = Array.from({ length: 40 }, (_, i) =>
      i % 2 === 0 ? ['README.md', `src/gen${i}.ts`] : i % 5 === 1 ? ['src/b.ts'] : ['src/index.ts'],
    );
    const f = facts(F.files, {}, commits);
    const idx = buildIndex(f, OPTS);
    expect(idx.hot.get('README.md')).toMatch(/50% of the last 40 commits/);
    const p = predictIssue(issue('x', 'nothing named') as PlanIssue, idx, f, OPTS);
    expect(p.files.map((x) => [x.path, x.kind, x.hot])).toEqual([['README.md', 'hot-history', true]]);
  });
});

const pf = (path: string, o: Partial<PredictedFile> = {}): PredictedFile => ({
  path,
  isNew: false,
  hot: false,
  kind: 'named',
  reason: 'r',
  ...o,
});
describe('tiers', () => {
  it.each([
    ['new files only', [pf('src/new.ts', { isNew: true })], false, null, 'GREEN'],
    ['tests and docs', [pf('test/a.test.ts'), pf('docs/x.md')], false, null, 'GREEN'],
    ['existing code', [pf('src/a.ts')], false, null, 'YELLOW'],
    ['nothing predicted', [], false, null, 'YELLOW'],
    ['hot file', [pf('src/index.ts', { hot: true })], false, null, 'RED'],
    ['npm script only', [pf('package.json', { hot: true, kind: 'script' })], false, null, 'RED'],
    ['wide scope', Array.from({ length: 16 }, (_, i) => pf(`src/f${i}.ts`)), false, null, 'RED'],
    ['manifest', [pf('package.json', { hot: true, kind: 'manifest' })], false, null, 'CRITICAL'],
    ['lock file', [pf('Cargo.lock')], false, null, 'CRITICAL'],
    ['migration', [pf('db/migrations/001_init.sql', { isNew: true })], false, null, 'CRITICAL'],
    ['CI', [pf('.github/workflows/ci.yml')], false, null, 'CRITICAL'],
    ['repo-wide', [pf('src/a.ts')], true, null, 'CRITICAL'],
    ['declared risk raises', [pf('src/new.ts', { isNew: true })], false, 'RED', 'RED'],
    ['declared risk never lowers', [pf('Cargo.lock')], false, 'GREEN', 'CRITICAL'],
  ] as const)('%s -> %s', (_n, files, repoWide, declaredRisk, want) => {
    const t = tierOf({ files: [...files], repoWide, declaredRisk });
    expect(t.tier).toBe(want);
    expect(t.reasons[0]).toMatch(new RegExp(`^${want}`));
  });
});

describe('conflicts', () => {
  it('names files and reasons for overlapping, hot and same-new paths; none for disjoint', () => {
    const c = findConflicts([
      { id: 'a', files: [pf('src/x.ts'), pf('src/index.ts', { hot: true }), pf('src/new.ts', { isNew: true })] },
      { id: 'b', files: [pf('src/x.ts'), pf('src/index.ts', { hot: true }), pf('src/new.ts', { isNew: true })] },
      { id: 'c', files: [pf('src/y.ts')] },
    ]);
    expect(c).toEqual([
      {
        pair: ['a', 'b'],
        files: ['src/index.ts', 'src/new.ts', 'src/x.ts'],
        reason: 'both change src/x.ts; both touch hot file src/index.ts; both create src/new.ts',
      },
    ]);
  });
});

describe('batches', () => {
  const n = (id: string, tier: BatchNode['tier'] = 'YELLOW', deps: string[] = []): BatchNode => ({ id, tier, deps });
  const cases: Array<[string, BatchNode[], Array<[string, string]>, number, string[][]]> = [
    ['independent issues share a batch', [n('a'), n('b'), n('c')], [], 4, [['a', 'b', 'c']]],
    ['max-parallel splits', [n('a'), n('b'), n('c')], [], 2, [['a', 'b'], ['c']]],
    ['a conflicting pair is split', [n('a'), n('b'), n('c')], [['a', 'b']], 4, [['a', 'c'], ['b']]],
    ['never two RED together', [n('a', 'RED'), n('b', 'RED'), n('c')], [], 4, [['a', 'c'], ['b']]],
    ['CRITICAL alone', [n('a', 'CRITICAL'), n('b'), n('c')], [], 4, [['a'], ['b', 'c']]],
    ['dependency first', [n('a', 'YELLOW', ['b']), n('b')], [], 4, [['b'], ['a']]],
    [
      'chain of three',
      [n('a', 'YELLOW', ['b']), n('b', 'YELLOW', ['c']), n('c'), n('d')],
      [],
      4,
      [['c', 'd'], ['b'], ['a']],
    ],
    // Odd cycle of conflicts needs 3 colours; a greedy in id order would also find 3, but the
    // 6-cycle is bipartite and must get 2.
    [
      'even conflict cycle gets 2 batches',
      ['a', 'b', 'c', 'd', 'e', 'f'].map((x) => n(x)),
      [
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'd'],
        ['d', 'e'],
        ['e', 'f'],
        ['f', 'a'],
      ],
      4,
      [
        ['a', 'c', 'e'],
        ['b', 'd', 'f'],
      ],
    ],
  ];
  it.each(cases)('%s', (_n, nodes, conflicts, max, want) => {
    const b = planBatches(
      nodes,
      conflicts.map((pair) => ({ pair })),
      max,
    );
    expect(b.map((x) => [...x].sort())).toEqual(want);
    expect(
      checkBatches(
        b,
        nodes,
        conflicts.map((pair) => ({ pair })),
        max,
      ),
    ).toEqual([]);
  });
  it('a crown graph (bad for naive greedy order) still gets 2 batches', () => {
    // Crown graph on {a1..a4, b1..b4}: ai conflicts with bj for i != j.
    const ids = ['a1', 'b1', 'a2', 'b2', 'a3', 'b3', 'a4', 'b4'];
    const conflicts: Array<{ pair: [string, string] }> = [];
    for (let i = 1; i <= 4; i++)
      for (let j = 1; j <= 4; j++)
        if (i !== j && i < j) conflicts.push({ pair: [`a${i}`, `b${j}`] }, { pair: [`a${j}`, `b${i}`] });
    const b = planBatches(
      ids.map((x) => n(x)),
      conflicts,
      4,
    );
    expect(b).toHaveLength(2);
  });
  it('small selections get the fewest batches possible (brute force agrees)', () => {
    let s = 11;
    const r = () => (s = (s * 48271) % 2147483647) / 2147483647;
    const tiers = ['GREEN', 'YELLOW', 'RED', 'CRITICAL'] as const;
    for (let t = 0; t < 60; t++) {
      const size = 2 + Math.floor(r() * 5);
      const nodes = Array.from({ length: size }, (_, i) =>
        n(`i${i}`, tiers[Math.floor(r() * 3.3)], i > 0 && r() < 0.25 ? [`i${Math.floor(r() * i)}`] : []),
      );
      const conflicts: Array<{ pair: [string, string] }> = [];
      for (let i = 0; i < size; i++)
        for (let j = i + 1; j < size; j++) if (r() < 0.35) conflicts.push({ pair: [`i${i}`, `i${j}`] });
      const max = 1 + Math.floor(r() * 3);
      const got = planBatches(nodes, conflicts, max);
      // Brute force: every assignment of issues to at most `size` ordered batches.
      let best = Infinity;
      const assign = new Array<number>(size).fill(0);
      const rec = (i: number) => {
        if (i === size) {
          const k = Math.max(...assign) + 1;
          if (k >= best) return;
          const batches = Array.from({ length: k }, (_, c) => nodes.filter((_, x) => assign[x] === c).map((x) => x.id));
          if (batches.some((b) => b.length === 0)) return;
          if (checkBatches(batches, nodes, conflicts, max).length === 0) best = k;
          return;
        }
        for (let c = 0; c < size; c++) {
          assign[i] = c;
          rec(i + 1);
        }
      };
      rec(0);
      expect(got.length).toBe(best);
      expect(checkBatches(got, nodes, conflicts, max)).toEqual([]);
    }
  });
  it('random graphs always satisfy every rule', () => {
    let s = 7;
    const r = () => (s = (s * 48271) % 2147483647) / 2147483647;
    for (let t = 0; t < 200; t++) {
      const size = 2 + Math.floor(r() * 12);
      const tiers = ['GREEN', 'YELLOW', 'RED', 'CRITICAL'] as const;
      const nodes = Array.from({ length: size }, (_, i) =>
        n(`i${i}`, tiers[Math.floor(r() * 4)], i > 0 && r() < 0.3 ? [`i${Math.floor(r() * i)}`] : []),
      );
      const conflicts: Array<{ pair: [string, string] }> = [];
      for (let i = 0; i < size; i++)
        for (let j = i + 1; j < size; j++) if (r() < 0.3) conflicts.push({ pair: [`i${i}`, `i${j}`] });
      const max = 1 + Math.floor(r() * 4);
      expect(checkBatches(planBatches(nodes, conflicts, max), nodes, conflicts, max)).toEqual([]);
    }
  });
  it('a dependency cycle is an error naming the cycle', () => {
    const nodes = [n('a', 'YELLOW', ['b']), n('b', 'YELLOW', ['c']), n('c', 'YELLOW', ['a']), n('d')];
    expect(findCycle(nodes)).toEqual(['a', 'b', 'c', 'a']);
    expect(() => planBatches(nodes, [], 4)).toThrow('dependency cycle among the selected issues: a -> b -> c -> a');
  });
  it('buildPlan names the cycle with short ids', () => {
    const a = issue('aaaa1111', '', { shortId: 'aaaa', dependencies: ['bbbb2222'] });
    const b = issue('bbbb2222', '', { shortId: 'bbbb', dependencies: ['aaaa1111'] });
    expect(() => buildPlan([a, b], [], facts([]), OPTS)).toThrow(/aaaa -> bbbb -> aaaa/);
  });
});
