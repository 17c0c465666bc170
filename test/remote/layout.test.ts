import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import {
  decodeState,
  encodeState,
  emptyState,
  indexMessage,
  issueIdFromKey,
  issueKey,
  leaseDiff,
  leaseRef,
  stateTextOf,
} from '../../src/remote/layout.js';
import type { Lease } from '../../src/core/model.js';

test.each([
  ['3f2a9c1d-0000-4000-8000-000000000001', '3f2a9c1d-0000-4000-8000-000000000001'],
  ['ABC', '%41%42%43'],
  ['a:b.lock', 'a%3Ab%2Elock'],
  ['x..y', 'x%2E%2Ey'],
  ['#12', '%2312'],
  ['é', '%C3%A9'],
])('issueKey(%j) = %j', (id, key) => {
  expect(issueKey(id)).toBe(key);
  expect(issueIdFromKey(key)).toBe(id);
});

test('every issue key round-trips and is a valid git ref name', () => {
  const names: string[] = [];
  fc.assert(
    fc.property(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), (id) => {
      const key = issueKey(id);
      expect(issueIdFromKey(key)).toBe(id);
      expect(key).toMatch(/^[a-z0-9_%A-F-]+$/);
      names.push(leaseRef(id));
    }),
    { numRuns: 200 },
  );
  // git itself agrees (one process for all names).
  for (const n of names.slice(0, 50)) execFileSync('git', ['check-ref-format', n]);
});

test('decodeState rejects what it cannot trust, naming why', () => {
  expect(decodeState(encodeState(emptyState()))).toEqual(emptyState());
  expect(() => decodeState('{"schemaVersion":3,"version":0,"leases":[]}')).toThrow(
    /unknown schemaVersion 3 \(this jitp reads 1 and 2\)/,
  );
  expect(() => decodeState('{"schemaVersion":1,"version":-1,"leases":[]}')).toThrow(/version/);
  expect(() => decodeState('{"schemaVersion":2,"version":1,"leases":[],"leaseCommits":{"a":"HEAD"}}')).toThrow(
    /leaseCommits\["a"\] is not a commit id/,
  );
  expect(() => decodeState('{"schemaVersion":1,"version":1,"leases":[{"issueId":1}]}')).toThrow(/malformed lease/);
  expect(() => decodeState('{"schemaVersion":1,')).toThrow();
});

test('leaseDiff: unchanged leases keep their ref, changed ones get a commit, vanished ones are deleted', () => {
  const l = (issueId: string, token: number) =>
    ({ id: `L-${issueId}`, issueId, agentId: 'agent:a', token, paths: [] }) as unknown as Lease;
  const d = leaseDiff([l('a', 1), l('b', 2), l('c', 3)], [l('a', 1), l('b', 4), l('d', 5)]);
  expect(d.upsert.map((x) => x.issueId)).toEqual(['b', 'd']);
  expect(d.remove).toEqual(['c']);
});

test('format 1 (a lease commit per ref, every lease named in leaseCommits) reads as format 2', () => {
  const c = 'a'.repeat(40);
  const v1 = decodeState(JSON.stringify({ schemaVersion: 1, version: 3, leases: [], leaseCommits: { x: c } }));
  expect(v1).toEqual({ schemaVersion: 2, version: 3, leases: [], leaseCommits: { x: c } });
});

test('the index commit message carries the state as its last paragraph; a subject cannot break it', () => {
  const state = { ...emptyState(), version: 4 };
  const msg = indexMessage('acquire weird\n\n{"x":1}\nid', 'abc', 'host\nname', state);
  expect(msg.split('\n')[0]).toBe('acquire weird {"x":1} id');
  const raw =
    `tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nauthor a <a@a> 1 +0000\ncommitter a <a@a> 1 ` + `+0000\n\n${msg}\n`;
  expect(decodeState(stateTextOf(raw)!)).toEqual(state);
  // Format 1 kept the state in the tree; its message ends in the previous/host lines.
  expect(stateTextOf('tree x\n\njit-parallel v1: acquire a\n\nprevious: (none)\nhost: h\n')).toBeUndefined();
  expect(stateTextOf('tree x\nauthor y')).toBeUndefined();
});
