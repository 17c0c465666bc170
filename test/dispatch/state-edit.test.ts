import { describe, expect, test } from 'vitest';
import { jitDoneEvents, setJitIssueState, setTaskFileState } from '../../src/dispatch/state-edit.js';

describe('setTaskFileState', () => {
  const CASES: [string, string, string, string | null][] = [
    [
      'replaces the state line only',
      '---\nid: t1\nstate: ready\nfiles: [a]\n---\nBody\n',
      '---\nid: t1\nstate: done\nfiles: [a]\n---\nBody\n',
      'ready',
    ],
    ['quoted state', "---\nstate: 'in-progress'\n---\n", '---\nstate: done\n---\n', 'in-progress'],
    ['adds a missing state', '---\nid: t1\n---\nBody', '---\nid: t1\nstate: done\n---\nBody', null],
    ['empty front matter', '---\n---\nBody\n', '---\nstate: done\n---\nBody\n', null],
    ['no front matter', 'Just a body\n', '---\nstate: done\n---\nJust a body\n', null],
    [
      'CRLF kept',
      '---\r\nid: t1\r\nstate: ready\r\n---\r\nBody\r\n',
      '---\r\nid: t1\r\nstate: done\r\n---\r\nBody\r\n',
      'ready',
    ],
    [
      'state: in the body is not touched',
      '---\nid: t\n---\nstate: ready\n',
      '---\nid: t\nstate: done\n---\nstate: ready\n',
      null,
    ],
    [
      'nested state key not touched',
      '---\nmeta:\n  state: x\nstate: todo\n---\n',
      '---\nmeta:\n  state: x\nstate: done\n---\n',
      'todo',
    ],
  ];
  test.each(CASES)('%s', (_, input, expected, from) => {
    const r = setTaskFileState(input, 'done');
    expect(r.text).toBe(expected);
    expect(r.from).toBe(from);
  });
});

describe('setJitIssueState', () => {
  test('keeps every field, its order and unknown fields; sets state and updated_at', () => {
    const input =
      JSON.stringify(
        { id: 'u', title: 't', state: 'in_progress', future_field: { x: [1, 2] }, updated_at: 'old', z: null },
        null,
        2,
      ) + '\n';
    const r = setJitIssueState(input, 'done', '2026-01-01T00:00:00.000Z');
    expect(r.from).toBe('in_progress');
    const obj = JSON.parse(r.text);
    expect(Object.keys(obj)).toEqual(['id', 'title', 'state', 'future_field', 'updated_at', 'z']);
    expect(obj).toMatchObject({
      state: 'done',
      future_field: { x: [1, 2] },
      updated_at: '2026-01-01T00:00:00.000Z',
      z: null,
    });
    expect(r.text.endsWith('}\n')).toBe(true);
  });
  test('malformed JSON and non-objects throw', () => {
    expect(() => setJitIssueState('{"id": ', 'done', 'x')).toThrow();
    expect(() => setJitIssueState('[1]', 'done', 'x')).toThrow(/object/);
  });
});

test("jitDoneEvents: jit's two events, one JSON object per line", () => {
  let n = 0;
  const lines = jitDoneEvents('u1', 'ready', 'T', () => `e${++n}`)
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(lines).toEqual([
    { type: 'issue_state_changed', id: 'e1', issue_id: 'u1', timestamp: 'T', from: 'ready', to: 'done' },
    { type: 'issue_completed', id: 'e2', issue_id: 'u1', timestamp: 'T' },
  ]);
});
