import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { decodeState, encodeState, emptyState, issueIdFromKey, issueKey, leaseDiff, leaseRef } from '../../src/remote/layout.js';
import type { Lease } from '../../src/store/types.js';

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
  expect(() => decodeState('{"schemaVersion":3,"version":0,"leases":[]}')).toThrow(/unknown schemaVersion 3 \(this jitp reads 1 and 2\)/);
  expect(() => decodeState('{"schemaVersion":1,"version":-1,"leases":[]}')).toThrow(/version/);
  expect(() => decodeState('{"schemaVersion":2,"version":1,"leases":[],"leaseCommits":{"a":"HEAD"}}')).toThrow(/leaseCommits\["a"\] is not a commit id/);
  expect(() => decodeState('{"schemaVersion":1,"version":1,"leases":[{"issueId":1}]}')).toThrow(/malformed lease/);
  expect(() => decodeState('{"schemaVersion":1,')).toThrow();
});

test('leaseDiff: unchanged leases keep their ref, changed ones get a commit, vanished ones are deleted', () => {
  const l = (issueId: string, token: number) => ({ id: `L-${issueId}`, issueId, agentId: 'agent:a', token, paths: [] }) as unknown as Lease;
  const d = leaseDiff([l('a', 1), l('b', 2), l('c', 3)], [l('a', 1), l('b', 4), l('d', 5)]);
  expect(d.upsert.map((x) => x.issueId)).toEqual(['b', 'd']);
  expect(d.remove).toEqual(['c']);
});

test('format 1 (a lease commit per ref, every lease named in leaseCommits) reads as format 2', () => {
  const c = 'a'.repeat(40);
  const v1 = decodeState(JSON.stringify({ schemaVersion: 1, version: 3, leases: [], leaseCommits: { x: c } }));
  expect(v1).toEqual({ schemaVersion: 2, version: 3, leases: [], leaseCommits: { x: c } });
});
