import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { canonicalIssueId, resolveIssueId, validateIssueId } from '../../src/core/issue-ids.js';
import { JitpError } from '../../src/platform/errors.js';
import { jitFixture } from '../sources/fixture.js';
import { listJitIssueIds } from '../../src/sources/jit-ids.js';
import { dirname } from 'node:path';

const FIXTURE = jitFixture();

const uuids = [
  'abcd1234-0000-4000-8000-000000000001',
  'abcd5678-0000-4000-8000-000000000002',
  'ef012345-0000-4000-8000-000000000003',
];

describe('issue ids', () => {
  it.each([
    ['ef01', uuids[2]],
    ['EF012345', uuids[2]],
    ['abcd1', uuids[0]],
    [uuids[1]!, uuids[1]],
  ])('resolves %s', (q, want) => expect(resolveIssueId(q, uuids)).toBe(want));

  it('ambiguous prefix lists candidates (exit 4)', () => {
    try {
      resolveIssueId('abcd', uuids);
      expect.unreachable();
    } catch (e) {
      const err = e as JitpError;
      expect(err.code).toBe('E_AMBIGUOUS_ID');
      expect(err.exitCode).toBe(4);
      expect(err.details?.candidates).toEqual([uuids[0], uuids[1]]);
      expect(err.message).toContain('abcd1234');
    }
  });
  it('unknown prefix is E_NOT_FOUND with a hint', () => {
    expect(() => resolveIssueId('9999', uuids)).toThrow(expect.objectContaining({ code: 'E_NOT_FOUND', exitCode: 4 }));
  });
  it.each(['ab cd', '', 'a/b'])('rejects a malformed jit id %j as bad input (exit 2)', (q) => {
    expect(() => resolveIssueId(q, uuids)).toThrow(expect.objectContaining({ code: 'E_BAD_ID', exitCode: 2 }));
  });
  it.each(['abc', 'zzzz', 'NOPE', 'T-1'])('a well-formed id no jit uuid can have (%j) is unknown (exit 4)', (q) => {
    expect(() => resolveIssueId(q, uuids)).toThrow(
      expect.objectContaining({ code: 'E_UNKNOWN_ISSUE', exitCode: 4, details: { input: q } }),
    );
  });
  it.each(['ISSUE-12', 'gh#42', 'feat:login', 'a.b_c'])('accepts free-form %s', (id) =>
    expect(validateIssueId(id)).toBe(id),
  );
  it.each(['', 'a b', 'a/b', 'a\\b', 'a\tb', 'x\u0007', '..', 'x'.repeat(129)])('rejects free-form %j', (id) => {
    expect(() => validateIssueId(id)).toThrow(expect.objectContaining({ code: 'E_BAD_ID', exitCode: 2 }));
  });
  it('canonicalIssueId picks the mode', () => {
    expect(canonicalIssueId('ef01', uuids)).toBe(uuids[2]);
    expect(canonicalIssueId('ef01', undefined)).toBe('ef01');
  });
  it('lists the real fixture store and resolves its short ids', () => {
    const ids = listJitIssueIds(dirname(FIXTURE))!;
    const files = readdirSync(`${FIXTURE}/issues`).filter((f) => f.endsWith('.json'));
    expect(ids.length).toBe(files.length);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids.slice(0, 20)) expect(resolveIssueId(id.slice(0, 8), ids)).toBe(id);
    expect(listJitIssueIds('/nonexistent-dir')).toBeUndefined();
  });
});
