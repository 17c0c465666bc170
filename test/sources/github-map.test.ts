// GitHub issues mapped onto the shared issue model, and the id rule (numbers only): pure, table-tested.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { githubDependencies, githubIssueNumber, mapGithubIssue } from '../../src/sources/github-map.js';
import { GH_STATE_FIXTURE } from '../support/fake-gh.js';

const issues = (JSON.parse(readFileSync(GH_STATE_FIXTURE, 'utf8')) as { issues: Array<{ number: number }> }).issues;
const raw = (n: number) => issues.find((i) => i.number === n)!;
const mapped = (n: number) => mapGithubIssue(raw(n), 'GitHub acme/textkit').issue!;

describe('githubIssueNumber', () => {
  it.each([
    ['12', '12'],
    ['#12', '12'],
    [' #12 ', '12'],
    ['0012', '12'],
    ['4294967295', '4294967295'],
  ])('%j -> %j', (input, want) => expect(githubIssueNumber(input)).toBe(want));

  it.each([
    '',
    '#',
    '0',
    '#0',
    '-1',
    '1e3',
    '12abc',
    '12 13',
    'acme/textkit#12',
    'https://github.com/acme/textkit/issues/12',
    '../12',
    '١٢', // Arabic-Indic digits: not ASCII
    '1'.repeat(11),
    '1\n2',
    '##12',
  ])('refuses %j with E_BAD_ID and a hint', (input) => {
    let err: unknown;
    try {
      githubIssueNumber(input);
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: 'E_BAD_ID', exitCode: 2 });
    expect((err as { hint: string }).hint).toContain('jitp issues');
  });
});

describe('githubDependencies', () => {
  it.each([
    ['Blocked by #12', ['12']],
    ['blocked by #12, #13 and #14', ['12', '13', '14']],
    ['Depends on: #4 and #5', ['4', '5']],
    ['depends on #4; #5', ['4', '5']],
    ['This requires #8 first.', ['8']],
    ['- [ ] #12\n- [x] #9\n* [ ] #15 docs', ['12', '15']],
    ['fixes #3, closes #4, see #5', []],
    ['```\nblocked by #1\n- [ ] #2\n```\nnothing else', []],
    ['blocked by #7 (itself)', []],
    ['blocked by acme/other#12', []],
    ['blocked by #0012', ['12']],
  ])('%j', (body, want) => expect(githubDependencies(body, 7)).toEqual(want));

  it('input too large: one line of 100 000 references, and 100 000 task lines, are read whole', () => {
    const line = `blocked by ${Array.from({ length: 100_000 }, (_, i) => `#${i + 1}`).join(', ')}`;
    expect(githubDependencies(line)).toHaveLength(100_000);
    const tasks = Array.from({ length: 100_000 }, (_, i) => `- [ ] #${i + 1}`).join('\n');
    expect(githubDependencies(tasks)).toHaveLength(100_000);
  });
});

describe('mapGithubIssue on gh-shaped objects', () => {
  it('open issue: ready, labels, first assignee, priority label, criteria, URL as its file', () => {
    expect(mapped(12)).toMatchObject({
      id: '12',
      shortId: '12',
      title: 'Add CSV export',
      state: 'ready',
      priority: 'high',
      labels: ['enhancement', 'priority: high'],
      assignee: 'octocat',
      dependencies: [],
      acceptanceCriteria: ['`textkit --csv` prints a header line', 'quotes fields with commas'],
      declaredRisk: null,
      source: 'github',
      file: 'https://github.com/acme/textkit/issues/12',
    });
  });
  it('links become dependencies; status label, P0 and risk labels map like jit fields', () => {
    expect(mapped(13).dependencies).toEqual(['12']);
    expect(mapped(14).dependencies).toEqual(['12', '15']);
    expect(mapped(15)).toMatchObject({ state: 'in_progress', dependencies: ['12', '13'], assignee: 'hubot' });
    expect(mapped(16)).toMatchObject({ priority: 'critical', declaredRisk: 'RED', dependencies: ['7'] });
  });
  it('closed: completed is done, not planned is rejected (both terminal)', () => {
    expect(mapped(9).state).toBe('done');
    expect(mapped(7).state).toBe('rejected');
  });
  it.each([
    [null, 'not an issue object'],
    [[], 'not an issue object'],
    [{ title: 'x' }, 'without a valid "number"'],
    [{ number: -3 }, 'without a valid "number"'],
    [{ number: 1.5 }, 'without a valid "number"'],
    [{ number: '12' }, 'without a valid "number"'],
  ])('%j is reported, not loaded', (obj, msg) => {
    const m = mapGithubIssue(obj, 'GitHub x/y');
    expect(m.issue).toBeUndefined();
    expect(m.problems).toEqual([expect.objectContaining({ loaded: false, message: expect.stringContaining(msg) })]);
  });
  it('odd fields are reported and defaulted; the issue still loads', () => {
    const m = mapGithubIssue({ number: 5, state: 'MERGED', labels: 'bug', assignees: [{ nope: 1 }] }, 'GitHub x/y');
    expect(m.issue).toMatchObject({ id: '5', state: 'backlog', labels: [], assignee: null, title: '(untitled)' });
    expect(m.problems.map((p) => p.message)).toEqual([
      '"labels" is not a list',
      'unknown "state" "MERGED"; treated as backlog (never available)',
    ]);
  });
});
