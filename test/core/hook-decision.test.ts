// The edit-time decision as a pure function, by table.
import { describe, expect, test } from 'vitest';
import {
  checkSpawn,
  decideBash,
  decideEdit,
  formatExpiry,
  type Actor,
  type Policy,
  type Target,
} from '../../src/core/hook-decision.js';
import { buildLeaseIndex } from '../../src/core/lease-index.js';
import type { Lease } from '../../src/core/model.js';
import { formatBindingLine } from '../../src/core/binding.js';

const NOW = Date.parse('2026-01-05T13:53:00Z');
const lease = (id: string, paths: string[], extra: Partial<Lease> = {}): Lease => ({
  id,
  issueId: `issue-${id}`,
  agentId: 'agent:orchestrator',
  worktree: null,
  branch: null,
  paths,
  ttlSecs: 1800,
  acquiredAt: '2026-01-05T13:35:00Z',
  renewedAt: '2026-01-05T13:35:00Z',
  expiresAt: '2026-01-05T14:05:00Z',
  token: 1,
  ...extra,
});
const A = lease('L-aaaaaa', ['src/a.ts', 'src/shared/**'], { meta: { claudeAgentIds: ['agentA'] } });
const B = lease('L-bbbbbb', ['src/b.ts', 'docs'], { meta: { claudeAgentIds: ['agentB'] } });
const EXPIRED = lease('L-eeeeee', ['src/old.ts'], { expiresAt: '2026-01-05T13:00:00Z' });
const MAIN_OWN = lease('L-cccccc', ['src/main-own.ts'], { agentId: 'claude:session-s1' });
const W = lease('L-dddddd', ['src/w.ts'], { worktree: '/wt/issue-w' });
const index = buildLeaseIndex([A, B, EXPIRED, MAIN_OWN, W], NOW);
const empty = buildLeaseIndex([EXPIRED], NOW);

const file = (rel: string | undefined, abs = `/repo/${rel}`): Target => ({
  shown: abs,
  abs,
  ...(rel === undefined ? {} : { rel }),
});
const main: Actor = { ownLeaseIds: new Set([MAIN_OWN.id]) };
const subA: Actor = { subagentId: 'agentA', lease: A };
const unbound: Actor = { subagentId: 'agentZ' };
const subW: Actor = { subagentId: 'agentW', lease: W };

type Row = [string, Actor, Target, Policy, string, RegExp?];
const rows: Row[] = [
  ['no live lease: allow', subA, file('src/b.ts'), 'extend', 'allow'],
  ['bound: own literal file', subA, file('src/a.ts'), 'strict', 'allow'],
  ['bound: own glob file', subA, file('src/shared/x/y.ts'), 'strict', 'allow'],
  [
    'bound: file held by another lease',
    subA,
    file('src/b.ts'),
    'extend',
    'deny',
    /held by lease L-bbbbbb of issue issue-L-bbbbbb.*sub-agent agentB.*until 14:05 UTC, in 12 min.*final answer/,
  ],
  ['bound: inside a folder another lease holds literally', subA, file('docs/guide.md'), 'extend', 'deny', /L-bbbbbb/],
  ['bound: free file, extend', subA, file('src/free.ts'), 'extend', 'extend', /added src\/free.ts to lease L-aaaaaa/],
  [
    'bound: free file, strict',
    subA,
    file('src/free.ts'),
    'strict',
    'deny',
    /not in your lease L-aaaaaa.*strict.*final answer/,
  ],
  ['bound: free file, warn', subA, file('src/free.ts'), 'warn', 'warn', /going ahead because policy is warn/],
  ['bound: held by another, warn policy still denies', subA, file('src/b.ts'), 'warn', 'deny'],
  ['policy off: anything goes', subA, file('src/b.ts'), 'off', 'allow'],
  ['bound: expired lease does not count', subA, file('src/old.ts'), 'strict', 'deny', /not in your lease/],
  ['bound: outside the repository', subA, file(undefined, '/tmp/x'), 'strict', 'allow'],
  [
    'main: held by a sub-agent lease',
    main,
    file('src/a.ts'),
    'extend',
    'deny',
    /held by lease L-aaaaaa.*jitp claim release issue-L-aaaaaa/,
  ],
  ['main: its own lease', main, file('src/main-own.ts'), 'strict', 'allow'],
  ['main: free file', main, file('src/free.ts'), 'strict', 'allow'],
  ['main: expired lease file', main, file('src/old.ts'), 'strict', 'allow'],
  ['unbound sub-agent: held file', unbound, file('src/a.ts'), 'extend', 'deny', /L-aaaaaa/],
  ['unbound sub-agent: free file warns', unbound, file('src/free.ts'), 'extend', 'warn', /not bound to any lease/],
  ['unbound sub-agent: main-own lease is not its own', unbound, file('src/main-own.ts'), 'extend', 'deny', /L-cccccc/],
  ['worktree: inside W, own file', subW, file('src/w.ts', '/wt/issue-w/src/w.ts'), 'strict', 'allow'],
  [
    'worktree: into the main checkout',
    subW,
    file('src/w.ts', '/repo/src/w.ts'),
    'extend',
    'deny',
    /outside your worktree \/wt\/issue-w/,
  ],
  [
    'worktree: a sibling folder with W as name prefix',
    subW,
    file('src/w.ts', '/wt/issue-w2/src/w.ts'),
    'extend',
    'deny',
    /outside your worktree/,
  ],
  ['worktree: scratch file outside the repo is not policed', subW, file(undefined, '/tmp/scratch'), 'extend', 'allow'],
  [
    'worktree: isolated sub-agent bound by prompt stays in its own worktree',
    { subagentId: 'agentA', lease: A, worktree: '/repo/.claude/worktrees/agent-a1' },
    file('src/a.ts', '/repo/src/a.ts'),
    'extend',
    'deny',
    /outside your worktree \/repo\/.claude\/worktrees\/agent-a1 \(lease L-aaaaaa/,
  ],
  [
    'worktree: isolated sub-agent writes its own file in its worktree',
    { subagentId: 'agentA', lease: A, worktree: '/repo/.claude/worktrees/agent-a1' },
    file('src/a.ts', '/repo/.claude/worktrees/agent-a1/src/a.ts'),
    'strict',
    'allow',
  ],
  ['worktree: main agent is not confined', main, file('src/free.ts', '/elsewhere/src/free.ts'), 'strict', 'allow'],
  [
    'the lease store itself is never edited by hand',
    main,
    { shown: '/repo/.git/jit-parallel/state.json', abs: '/repo/.git/jit-parallel/state.json', store: true },
    'extend',
    'deny',
    /lease store.*jitp claim/,
  ],
  [
    'folder target: other leases under it',
    subA,
    { shown: '.', abs: '/repo', rel: '.', isDir: true },
    'extend',
    'deny',
    /a folder.*L-bbbbbb/,
  ],
  [
    'folder target: free folder still not silently added',
    subA,
    { shown: 'tmp/', abs: '/repo/tmp', rel: 'tmp', isDir: true },
    'extend',
    'deny',
    /whole folder/,
  ],
  [
    'folder target: inside own glob',
    subA,
    { shown: 'src/shared/gen', abs: '/repo/src/shared/gen', rel: 'src/shared/gen', isDir: true },
    'strict',
    'allow',
  ],
  [
    'folder target: holding one file inside is not holding the folder',
    subA,
    { shown: 'src', abs: '/repo/src', rel: 'src', isDir: true },
    'extend',
    'deny',
  ],
];

describe('decideEdit', () => {
  test.each(rows)('%s', (_name, actor, target, policy, kind, re) => {
    const idx = _name.startsWith('no live lease') ? empty : index;
    const d = decideEdit({ nowMs: NOW, policy, actor, target, index: idx });
    expect(d.kind).toBe(kind);
    if (re)
      expect(d.kind === 'deny' ? d.reason : d.kind === 'warn' || d.kind === 'extend' ? d.message : '').toMatch(re);
    if (d.kind === 'extend') expect(d.lease.id).toBe(actor.lease!.id);
  });

  test('never answers with an allow that carries text', () => {
    for (const [, actor, target, policy] of rows) {
      const d = decideEdit({ nowMs: NOW, policy, actor, target, index });
      expect(Object.keys(d).sort()).toEqual(
        d.kind === 'allow'
          ? ['kind']
          : d.kind === 'deny'
            ? ['kind', 'reason']
            : d.kind === 'warn'
              ? ['kind', 'message']
              : ['kind', 'lease', 'message', 'path'],
      );
    }
  });
});

describe('formatExpiry', () => {
  test.each([
    ['2026-01-05T14:05:00Z', '14:05 UTC, in 12 min'],
    ['2026-01-05T13:53:20Z', '13:53 UTC, in under a minute'],
    ['2026-01-05T18:00:00Z', '18:00 UTC, in 4 h'],
  ])('%s', (at, want) => expect(formatExpiry(at, NOW)).toBe(want));
});

describe('lease index', () => {
  test('2,000 literal paths: lookups are map hits', () => {
    const many = Array.from({ length: 50 }, (_, i) =>
      lease(
        `L-${String(i).padStart(6, '0')}`,
        Array.from({ length: 40 }, (_, j) => `pkg${i}/src/f${j}.ts`),
      ),
    );
    const idx = buildLeaseIndex(many, NOW);
    expect(idx.holdersOf('pkg7/src/f3.ts').map((l) => l.id)).toEqual(['L-000007']);
    expect(idx.holdersOf('pkg7/src/f99.ts')).toEqual([]);
    expect(idx.holdersUnder('pkg7').length).toBe(1);
    expect(idx.holdersUnder('.').length).toBe(50);
  });
  test('globs with a literal prefix only match below it', () => {
    const idx = buildLeaseIndex([lease('L-111111', ['src/**/*.test.ts', '*.md'])], NOW);
    expect(idx.holdersOf('src/x/y.test.ts').length).toBe(1);
    expect(idx.holdersOf('lib/y.test.ts').length).toBe(0);
    expect(idx.holdersOf('README.md').length).toBe(1);
    expect(idx.holdersUnder('src/x').length).toBe(1);
  });
});

describe('decideBash', () => {
  const base = { nowMs: NOW, policy: 'extend' as Policy, index };
  test('a read-only command (no targets) is never denied, even strict', () => {
    expect(decideBash([], [], { ...base, policy: 'strict', actor: subA })).toEqual({
      kind: 'ok',
      extend: [],
      warnings: [],
    });
  });
  test('sed -i on a held file is denied with the holder named', () => {
    const d = decideBash([{ ...file('src/b.ts'), why: 'sed -i' }], [], { ...base, actor: subA });
    expect(d.kind).toBe('deny');
    expect(d.kind === 'deny' && d.reason).toMatch(/`sed -i` would write .*, which is held by .*L-bbbbbb/);
  });
  test('free file under extend becomes an extension; own file is fine', () => {
    const d = decideBash(
      [
        { ...file('src/a.ts'), why: 'tee' },
        { ...file('src/new.ts'), why: 'tee' },
      ],
      [],
      { ...base, actor: subA },
    );
    expect(d).toMatchObject({ kind: 'ok', extend: [{ path: 'src/new.ts' }] });
  });
  test('unknown targets: bound sub-agent denied, main agent warned', () => {
    const u = [{ shown: '"$OUT"', why: '> (redirection)' }];
    expect(decideBash([], u, { ...base, actor: subA }).kind).toBe('deny');
    const m = decideBash([], u, { ...base, actor: main });
    expect(m.kind === 'ok' && m.warnings[0]).toMatch(/cannot tell/);
  });
  test('whole-tree write by the main agent while sub-agents hold files is denied', () => {
    const d = decideBash([{ shown: '.', abs: '/repo', rel: '.', isDir: true, why: 'git stash' }], [], {
      ...base,
      actor: main,
    });
    expect(d.kind === 'deny' && d.reason).toMatch(/`git stash` would write \. \(a folder: [^)]*\), which is held/);
  });
  test('nothing live: ok without work', () => {
    expect(decideBash([{ ...file('src/b.ts'), why: 'rm' }], [], { ...base, index: empty, actor: subA }).kind).toBe(
      'ok',
    );
  });
});

describe('checkSpawn (PreToolUse on Agent)', () => {
  const S = 'ab'.repeat(16);
  const live = lease('L-5a5a5a', ['x'], { bindSecret: S });
  const dead = lease('L-dead00', ['y'], { bindSecret: S, expiresAt: '2026-01-05T13:00:00Z' });
  test.each([
    ['no binding line', 'Fix issue 3.', undefined],
    // Issue 13 (8): only line 1 binds, so a real binding below it would leave the sub-agent unbound.
    ['binding line of a lease not first', `Fix it.\n${formatBindingLine(live.id, S)}`, /on line 2, but only line 1/],
    ['binding-like line of no lease, not first', `Fix it.\n${formatBindingLine('L-0000ff', S)}`, undefined],
    ['live lease, right secret', `${formatBindingLine(live.id, S)}\nwork`, undefined],
    ['unknown lease', `${formatBindingLine('L-000000', S)}\nwork`, /does not exist/],
    ['expired lease', `${formatBindingLine(dead.id, S)}\nwork`, /expired at/],
    ['wrong secret', `${formatBindingLine(live.id, 'cd'.repeat(16))}\nwork`, /wrong secret/],
  ])('%s', (_n, prompt, want) => {
    const r = checkSpawn(prompt, [live, dead], NOW);
    if (want) expect(r).toMatch(want);
    else expect(r).toBeUndefined();
  });
});
