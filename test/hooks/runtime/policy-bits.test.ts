// Small pure pieces: the heartbeat's write budget and the failure-mode scan of the config.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { renewDue } from '../../../src/hooks/runtime/heartbeat.js';
import { failureModeOf, failureOutcome } from '../../../src/hooks/runtime/failure.js';
import { tempDir } from '../../support/git.js';

describe('heartbeat', () => {
  test.each([60, 600, 1800])(
    'activity every 10 s over one TTL of %ss renews at most 3 times, and keeps the lease alive',
    (ttl) => {
      const t0 = Date.parse('2026-01-05T12:00:00Z');
      let lease = { renewedAt: new Date(t0).toISOString(), ttlSecs: ttl };
      let writes = 0;
      for (let t = t0; t < t0 + ttl * 1000; t += 10_000) {
        if (renewDue(lease, t, 1800)) {
          writes++;
          lease = { ...lease, renewedAt: new Date(t).toISOString() };
        }
        // Never closer than two thirds of a TTL to expiry while active.
        expect(t - Date.parse(lease.renewedAt)).toBeLessThan((ttl * 1000 * 2) / 3);
      }
      expect(writes).toBeGreaterThanOrEqual(2);
      expect(writes).toBeLessThanOrEqual(3);
    },
  );
});

describe('failure mode scan', () => {
  const dir = tempDir('jitp-fail-');
  const mode = (yaml: string | null, env: Record<string, string> = {}) => {
    if (yaml === null) rmSync(join(dir, '.jit-parallel.yaml'), { force: true });
    else writeFileSync(join(dir, '.jit-parallel.yaml'), yaml);
    return failureModeOf(dir, env);
  };
  test.each([
    [null, 'open'],
    ['failure: closed\n', 'closed'],
    ['policy: strict\nfailure: "closed"  # fail safe\n', 'closed'],
    ["failure: 'open'\n", 'open'],
    ['failure: closed_typo\n', 'open'],
    ['plan:\n  failure: closed\n', 'open'],
    ['{{{ not yaml at all\nfailure: closed\n', 'closed'],
  ])('%j -> %s', (yaml, want) => expect(mode(yaml)).toBe(want));
  test('JITP_HOOK_FAILURE overrides the file', () =>
    expect(mode('failure: open\n', { JITP_HOOK_FAILURE: 'closed' })).toBe('closed'));
  test('only PreToolUse can block', () => {
    expect(failureOutcome('SessionStart', 'x', 'closed')).toEqual({
      json: { systemMessage: 'jit-parallel: x; not checked, allowed (failure: closed).' },
    });
    expect(failureOutcome('PreToolUse', 'x', 'closed').json?.hookSpecificOutput).toMatchObject({
      permissionDecision: 'deny',
      hookEventName: 'PreToolUse',
    });
  });
});
