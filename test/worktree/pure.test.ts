// Table tests of the pure parts: merge order, readiness, --continue/--skip decisions, removal
// safety, the conflict matrix, union-log reading, WorktreeCreate assignment, transcript parsing.
import { describe, expect, test } from 'vitest';
import { formatBindingLine } from '../../src/core/binding.js';
import { ensureAttributes, readUnionJsonl } from '../../src/core/jsonl-union.js';
import { pairsToCheck, renderMatrix } from '../../src/merge/matrix.js';
import { continueAction, mergeOrder, readiness, skipAction } from '../../src/merge/queue.js';
import { type Batch, batchSchema, newIssue } from '../../src/worktree/batch.js';
import { agentIdOfName, assignWorktree } from '../../src/worktree/hook-assign.js';
import { chooseBaseRef } from '../../src/worktree/client-default.js';
import { decideRemoval, type RemovalFacts } from '../../src/worktree/safety.js';
import { isolatedCallsOfLastMessage } from '../../src/worktree/transcript.js';
import { runPool } from '../../src/spawn/pool.js';

const SHA = 'a'.repeat(40);
function batchOf(
  issues: Array<Partial<ReturnType<typeof newIssue>> & { id: string }>,
  run: Partial<Batch['mergeRun']> = {},
): Batch {
  return batchSchema.parse({
    version: 1,
    id: 'b-1',
    base: SHA,
    baseRef: 'HEAD',
    integration: 'main',
    started_at: '2026-01-01T00:00:00Z',
    issues: issues.map((i) => ({ ...newIssue({ id: i.id, short: i.id }), ...i })),
    mergeRun: run,
  });
}

describe('mergeOrder', () => {
  test.each([
    [
      'plan order without deps',
      [
        { id: 'a', dependencies: [] },
        { id: 'b', dependencies: [] },
        { id: 'c', dependencies: [] },
      ],
      ['a', 'b', 'c'],
      [],
    ],
    [
      'dependency first',
      [
        { id: 'a', dependencies: ['c'] },
        { id: 'b', dependencies: [] },
        { id: 'c', dependencies: [] },
      ],
      ['b', 'c', 'a'],
      [],
    ],
    [
      'chain',
      [
        { id: 'a', dependencies: ['b'] },
        { id: 'b', dependencies: ['c'] },
        { id: 'c', dependencies: [] },
      ],
      ['c', 'b', 'a'],
      [],
    ],
    [
      'deps outside the batch ignored',
      [
        { id: 'a', dependencies: ['zzz'] },
        { id: 'b', dependencies: [] },
      ],
      ['a', 'b'],
      [],
    ],
    [
      'cycle kept in plan order, reported',
      [
        { id: 'a', dependencies: ['b'] },
        { id: 'b', dependencies: ['a'] },
        { id: 'c', dependencies: [] },
      ],
      ['c', 'a', 'b'],
      ['a', 'b'],
    ],
    ['self dependency ignored', [{ id: 'a', dependencies: ['a'] }], ['a'], []],
  ])('%s', (_n, issues, order, cycle) => {
    expect(mergeOrder(issues)).toEqual({ order, cycle });
  });
});

describe('readiness', () => {
  const facts = (f: Partial<{ ahead: number; overBase: number; dirty: boolean; branchExists: boolean }> = {}) => ({
    ahead: 1,
    overBase: 1,
    dirty: false,
    branchExists: true,
    ...f,
  });
  const b = batchOf([
    { id: 'a', branch: 'jit/a' },
    { id: 'b', branch: 'jit/b', dependencies: ['a'] },
    { id: 'm', branch: 'jit/m', merge: { state: 'merged', reason: null, files: [], commit: null, at: null } },
  ]);
  const issue = (id: string) => b.issues.find((i) => i.id === id)!;
  test.each([
    ['ready', 'a', facts(), { ready: true }],
    ['no branch', 'a', facts({ branchExists: false }), 'no-branch'],
    ['dirty worktree', 'a', facts({ dirty: true }), 'dirty'],
    ['nothing committed', 'a', facts({ ahead: 0, overBase: 0 }), 'no-commits'],
    ['already merged by hand', 'a', facts({ ahead: 0, overBase: 2 }), 'already-merged'],
    ['waits for dependency', 'b', facts(), 'dependency-not-merged'],
    ['final', 'm', facts(), 'final'],
  ])('%s', (_n, id, f, want) => {
    const r = readiness(issue(id), f, b);
    if (typeof want === 'string') expect(r).toMatchObject({ ready: false, reason: want });
    else expect(r).toEqual(want);
  });
});

describe('continue / skip decisions', () => {
  const stopped = (because: 'conflict' | 'test-failed') =>
    batchOf([{ id: 'a', branch: 'jit/a' }], {
      state: 'stopped',
      current: 'a',
      before: 'b'.repeat(40),
      stoppedBecause: because,
    });
  test.each([
    [
      'conflicts left',
      stopped('conflict'),
      { mergeHead: true, unmerged: ['x'], branchInHead: false },
      { kind: 'still-conflicted', files: ['x'] },
    ],
    [
      'resolved and staged',
      stopped('conflict'),
      { mergeHead: true, unmerged: [], branchInHead: false },
      { kind: 'commit-merge' },
    ],
    [
      'committed by hand',
      stopped('conflict'),
      { mergeHead: false, unmerged: [], branchInHead: true },
      { kind: 'retest' },
    ],
    [
      'aborted by hand',
      stopped('conflict'),
      { mergeHead: false, unmerged: [], branchInHead: false },
      { kind: 'merge-aborted' },
    ],
    ['red test', stopped('test-failed'), { mergeHead: false, unmerged: [], branchInHead: true }, { kind: 'retest' }],
    [
      'not stopped',
      batchOf([{ id: 'a' }]),
      { mergeHead: false, unmerged: [], branchInHead: false },
      { kind: 'nothing-stopped' },
    ],
  ])('continue: %s', (_n, b, facts, want) => expect(continueAction(b, facts)).toEqual(want));

  const head = 'c'.repeat(40);
  test.each([
    [
      'conflict in progress: abort (said out loud)',
      stopped('conflict'),
      { mergeHead: true, unmerged: ['x'], branchInHead: false, head, mergeCommit: null },
      { kind: 'abort-merge' },
    ],
    [
      'red test, HEAD is the merge: reset',
      stopped('test-failed'),
      { mergeHead: false, unmerged: [], branchInHead: true, head, mergeCommit: head },
      { kind: 'reset-to-before', before: 'b'.repeat(40) },
    ],
    [
      'red test, commits after the merge: refuse',
      stopped('test-failed'),
      { mergeHead: false, unmerged: [], branchInHead: true, head, mergeCommit: 'd'.repeat(40) },
      'refuse',
    ],
    [
      'merge gone: just mark',
      stopped('conflict'),
      { mergeHead: false, unmerged: [], branchInHead: false, head, mergeCommit: null },
      { kind: 'mark-only' },
    ],
  ])('skip: %s', (_n, b, facts, want) => {
    const r = skipAction(b, facts);
    if (typeof want === 'string') expect(r.kind).toBe(want);
    else expect(r).toEqual(want);
  });
});

describe('decideRemoval', () => {
  const f = (x: Partial<RemovalFacts> = {}): RemovalFacts => ({
    worktreeExists: true,
    branch: 'jit/a',
    branchExists: true,
    modified: [],
    untracked: [],
    unmergedCommits: [],
    locked: false,
    ...x,
  });
  test.each([
    [
      'merged and clean: everything goes',
      f(),
      'cleanup',
      false,
      { allowed: true, removeWorktree: true, deleteBranch: true },
    ],
    [
      'untracked file: refused',
      f({ untracked: ['notes.txt'] }),
      'cleanup',
      false,
      { allowed: false, removeWorktree: false, deleteBranch: false },
    ],
    ['dirty: refused', f({ modified: ['a.ts'] }), 'cleanup', false, { allowed: false }],
    ['unmerged commits: cleanup refuses', f({ unmergedCommits: ['abc fix'] }), 'cleanup', false, { allowed: false }],
    [
      'unmerged commits: remove keeps the branch',
      f({ unmergedCommits: ['abc fix'] }),
      'remove',
      false,
      { allowed: true, removeWorktree: true, deleteBranch: false },
    ],
    ['locked: refused', f({ locked: true }), 'remove', false, { allowed: false }],
    [
      'forced: allowed, losses listed',
      f({ untracked: ['n.txt'], unmergedCommits: ['abc fix'] }),
      'cleanup',
      true,
      { allowed: true, deleteBranch: true, losses: ['untracked: n.txt', 'commit only on jit/a: abc fix'] },
    ],
    [
      'worktree already gone, merged branch',
      f({ worktreeExists: false }),
      'cleanup',
      false,
      { allowed: true, removeWorktree: false, deleteBranch: true },
    ],
  ])('%s', (_n, facts, mode, force, want) => {
    expect(decideRemoval(facts, { mode: mode as 'cleanup' | 'remove', force })).toMatchObject(want);
  });
  test('refusals name the files', () => {
    expect(
      decideRemoval(f({ untracked: ['secret.env'] }), { mode: 'cleanup', force: false }).refusals.join(),
    ).toContain('secret.env');
  });
});

describe('conflict matrix', () => {
  test('pairs: n against the tip plus n(n-1)/2', () => {
    const nodes = Array.from({ length: 10 }, (_, i) => `n${i}`);
    const p = pairsToCheck(nodes);
    expect(p).toHaveLength(55);
    expect(new Set(p.map((x) => x.join('|'))).size).toBe(55);
  });
  test('renders cells, legend and the conflicting files', () => {
    const out = renderMatrix({
      tipLabel: 'main (abc)',
      nodes: ['aaaa', 'bbbb', 'cccc'],
      results: [
        { a: 'tip', b: 'aaaa', clean: true, files: [] },
        { a: 'tip', b: 'bbbb', clean: true, files: [] },
        { a: 'tip', b: 'cccc', clean: false, files: ['x.ts'] },
        { a: 'aaaa', b: 'bbbb', clean: false, files: ['src/a.ts', 'src/b.ts'] },
        { a: 'aaaa', b: 'cccc', clean: true, files: [] },
        { a: 'bbbb', b: 'cccc', clean: true, files: [] },
      ],
    });
    const rows = out.split('\n');
    expect(rows[0]!.trim().split(/\s+/)).toEqual(['tip', 'aaaa', 'bbbb', 'cccc']);
    expect(rows[1]!.trim().split(/\s+/)).toEqual(['aaaa', '.', '-', 'X2', '.']);
    expect(rows[2]!.trim().split(/\s+/)).toEqual(['bbbb', '.', 'X2', '-', '.']);
    expect(rows[3]!.trim().split(/\s+/)).toEqual(['cccc', 'X1', '.', '.', '-']);
    expect(out).toContain('aaaa x bbbb: src/a.ts, src/b.ts');
    expect(out).toContain('tip x cccc: x.ts');
  });
  test('file names with control characters are quoted', () => {
    const out = renderMatrix({
      tipLabel: 't',
      nodes: ['a'],
      results: [{ a: 'tip', b: 'a', clean: false, files: ['evil\n\x1b[31mname'] }],
    });
    expect(out).not.toContain('\x1b');
    expect(out).toContain('"evil\\n\\u001b[31mname"');
  });
  test('clean everywhere says so', () => {
    expect(
      renderMatrix({ tipLabel: 't', nodes: ['a'], results: [{ a: 'tip', b: 'a', clean: true, files: [] }] }),
    ).toContain('no conflicts');
  });
});

describe('merge-tree chunk output', () => {
  test('fields and exit codes per call; file names with newlines survive', async () => {
    const { parseChunkOutput } = await import('../../src/merge/preview.js');
    const T = 'JITPMARKabc';
    const out = `tree1\0\0${T}:0:0\0tree2\0odd\nname.txt\0src/a.ts\0\0${T}:1:1\0\0${T}:2:128\0`;
    const r = parseChunkOutput(out, T);
    expect(r.get(0)).toEqual({ code: 0, fields: ['tree1'] });
    expect(r.get(1)).toEqual({ code: 1, fields: ['tree2', 'odd\nname.txt', 'src/a.ts'] });
    expect(r.get(2)).toEqual({ code: 128, fields: [] });
  });
});

describe('union logs', () => {
  test('dedupes by id, keeps id-less lines, reports torn lines', () => {
    const text = [
      '{"id":"e1","type":"x"}',
      '{"id":"e2"}',
      '{"id":"e1","type":"x"}',
      '{"type":"no-id"}',
      '{"id":"e3"',
      '',
      '[1]',
    ].join('\n');
    const r = readUnionJsonl(text);
    expect(r.events.map((e) => e.id ?? e.type)).toEqual(['e1', 'e2', 'no-id']);
    expect(r.duplicates).toBe(1);
    expect(r.bad).toEqual([5, 7]);
  });
  test.each([
    ['', '.jit/events.jsonl merge=union\n', 1],
    ['*.png binary', '*.png binary\n.jit/events.jsonl merge=union\n', 1],
    ['.jit/events.jsonl   merge=union\n', '.jit/events.jsonl   merge=union\n', 0],
  ])('ensureAttributes(%j)', (inp, out, added) => {
    const r = ensureAttributes(inp);
    expect(r.text).toBe(out);
    expect(r.added).toHaveLength(added);
  });
});

describe('WorktreeCreate assignment', () => {
  const bind = formatBindingLine('L-abcdef', '0123456789abcdef');
  const call = (prompt: string) => ({ toolUseId: 't', prompt, description: 'd' });
  const b = batchOf([{ id: 'a', worktree: '/w/a' }, { id: 'b' }]);
  test.each([
    [
      'binding line wins',
      [call(`${bind}\ndo it`)],
      b,
      { kind: 'binding', leaseId: 'L-abcdef', secret: '0123456789abcdef' },
    ],
    // No fallback to "the batch's next issue": an unbound worktree is not known to be a batch worker.
    ['no binding, batch: plain, never a batch issue', [call('do it')], b, { kind: 'plain' }],
    ['no binding, no batch: plain', [call('do it')], undefined, { kind: 'plain' }],
    ['transcript unreadable, no batch: plain', [], undefined, { kind: 'plain' }],
    ['transcript unreadable, batch: plain', [], b, { kind: 'plain' }],
    ['two calls, one bound: refuse', [call(`${bind}\nx`), call('y')], b, 'refuse'],
    ['two calls, batch, no bindings: plain', [call('x'), call('y')], b, { kind: 'plain' }],
    ['two calls, no batch, no bindings: plain', [call('x'), call('y')], undefined, { kind: 'plain' }],
    ['binding line not first: ignored', [call(`do it\n${bind}`)], b, { kind: 'plain' }],
  ])('%s', (_n, calls, batch, want) => {
    const r = assignWorktree(calls, batch, 'agent-a123');
    if (typeof want === 'string') expect(r.kind).toBe(want);
    else expect(r).toEqual(want);
  });
  test("a name that is not a sub-agent's (claude -w foo) is plain even while a bound call is pending", () => {
    for (const name of ['foo', 'agent-', 'agent-a1/../x', 'worktree-agent-a123', 'Agent-a123'])
      expect(assignWorktree([call(`${bind}\ndo it`)], b, name), name).toEqual({ kind: 'plain' });
  });
  test('an agent that already has a worktree gets it again; another agent does not', () => {
    const bb = batchOf([{ id: 'a', worktree: '/w/a' }]);
    bb.issues[0]!.agent.claudeAgentId = 'a123';
    expect(assignWorktree([], bb, 'agent-a123')).toMatchObject({ kind: 'existing' });
    expect(assignWorktree([], bb, 'agent-a999')).toEqual({ kind: 'plain' });
    expect(assignWorktree([], bb, 'a123')).toEqual({ kind: 'plain' });
  });
  test('agentIdOfName', () => {
    expect(agentIdOfName('agent-a1f44c28bcf0145c7')).toBe('a1f44c28bcf0145c7');
    expect(agentIdOfName('feature-auth')).toBeNull();
  });
});

describe('client default base', () => {
  test.each([
    ['head setting wins', { setting: 'head', originHead: 'refs/remotes/origin/main', trackingRefs: [] }, 'HEAD', null],
    [
      'origin/HEAD: fetched',
      { setting: 'fresh', originHead: 'refs/remotes/origin/trunk', trackingRefs: [] },
      'refs/remotes/origin/trunk',
      'trunk',
    ],
    [
      'no origin/HEAD: origin/main as it is',
      { setting: 'fresh', originHead: null, trackingRefs: ['refs/remotes/origin/main'] },
      'refs/remotes/origin/main',
      null,
    ],
    [
      'no origin/HEAD, only master',
      { setting: 'fresh', originHead: null, trackingRefs: ['refs/remotes/origin/master'] },
      'refs/remotes/origin/master',
      null,
    ],
    ['no remote: HEAD', { setting: 'fresh', originHead: null, trackingRefs: [] }, 'HEAD', null],
  ] as const)('%s', (_n, input, ref, fetch) => {
    const r = chooseBaseRef({ ...input, trackingRefs: [...input.trackingRefs] });
    expect(r.ref).toBe(ref);
    expect(r.fetch).toBe(fetch);
  });
});

describe('transcript parsing', () => {
  const line = (o: unknown) => JSON.stringify(o);
  const msg = (id: string, content: unknown[], extra = {}) =>
    line({ type: 'assistant', ...extra, message: { id, role: 'assistant', content } });
  const ag = (prompt: string, isolation?: string) => ({
    type: 'tool_use',
    id: `t-${prompt}`,
    name: 'Agent',
    input: { prompt, description: prompt, ...(isolation ? { isolation } : {}) },
  });
  test('takes the isolated calls of the LAST assistant message only (split lines joined)', () => {
    const text = [
      msg('m1', [ag('old', 'worktree')]),
      line({ type: 'user', message: { role: 'user', content: 'r' } }),
      msg('m2', [ag('p1', 'worktree')]),
      msg('m2', [ag('p2')]),
      msg('m2', [ag('p3', 'worktree')]),
      'torn{',
    ].join('\n');
    expect(isolatedCallsOfLastMessage(text).map((c) => c.prompt)).toEqual(['p1', 'p3']);
  });
  test('sidechain (sub-agent) lines are ignored', () => {
    const text = [msg('m1', [ag('main', 'worktree')]), msg('s1', [ag('side', 'worktree')], { isSidechain: true })].join(
      '\n',
    );
    expect(isolatedCallsOfLastMessage(text).map((c) => c.prompt)).toEqual(['main']);
  });
});

describe('runPool', () => {
  test('never more than the limit at once; all run; order of start follows the queue', async () => {
    let running = 0;
    let peak = 0;
    const started: number[] = [];
    const r = await runPool([1, 2, 3, 4, 5, 6, 7], 3, async (k) => {
      started.push(k);
      running++;
      peak = Math.max(peak, running);
      await new Promise((res) => setTimeout(res, 5 + (k % 3) * 5));
      running--;
      return k * 2;
    });
    expect(peak).toBe(3);
    expect(started).toEqual([1, 2, 3, 4, 5, 6, 7].slice(0, started.length));
    expect([...r.values()].sort((a, b) => a - b)).toEqual([2, 4, 6, 8, 10, 12, 14]);
  });
});
