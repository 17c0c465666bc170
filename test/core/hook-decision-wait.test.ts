// The refusal a bound sub-agent gets for a file a sibling lease holds offers `jitp claim wait`
// (issue 15, lock hand-off): only for a sibling of the same session, in the shared checkout, for a
// file; the command is quoted so it can be pasted into a shell.
import { describe, expect, test } from 'vitest';
import { decideEdit, type Actor, type Target } from '../../src/core/hook-decision.js';
import { buildLeaseIndex } from '../../src/core/lease-index.js';
import type { Lease } from '../../src/core/model.js';
import { splitShell } from '../../src/core/shell-words.js';

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
const file = (rel: string, isDir = false): Target => ({ shown: `/repo/${rel}`, abs: `/repo/${rel}`, rel, isDir });
const deny = (actor: Actor, leases: Lease[], target: Target, remote?: Set<string>) => {
  const d = decideEdit({
    nowMs: NOW,
    policy: 'extend',
    actor,
    target,
    index: buildLeaseIndex(leases, NOW),
    ...(remote ? { remoteOf: new Map([...remote].map((id) => [id, { view: 'v' }])) } : {}),
  });
  expect(d.kind).toBe('deny');
  return d.kind === 'deny' ? d.reason : '';
};

const A = lease('L-aaaaaa', ['src/a.ts'], { meta: { claudeAgentIds: ['agentA'] } });
const B = lease('L-bbbbbb', ['src/b.ts', 'docs/**'], { meta: { claudeAgentIds: ['agentB'] } });
const subA: Actor = { subagentId: 'agentA', lease: A };

describe('wait advice in the refusal', () => {
  test('a sibling holds the file: the exact command, with the own issue and a timeout', () => {
    const r = deny(subA, [A, B], file('src/b.ts'));
    expect(r).toContain('`jitp claim wait src/b.ts --issue issue-L-aaaaaa --timeout 9m`');
    expect(r).toMatch(/passes to you when that sub-agent stops/);
    expect(r).toMatch(/600000/);
  });
  test('a path with shell characters is quoted: pasting it runs no substitution', () => {
    const odd = lease('L-bbbbbb', ['src/$(touch x) b.ts'], { meta: { claudeAgentIds: ['agentB'] } });
    const r = deny(subA, [A, odd], file('src/$(touch x) b.ts'));
    const cmd = /`(jitp claim wait [^`]*)`/.exec(r)![1]!;
    const words = splitShell(cmd).commands[0]!;
    expect(words.map((w) => w.text)).toEqual([
      'jitp',
      'claim',
      'wait',
      'src/$(touch x) b.ts',
      '--issue',
      'issue-L-aaaaaa',
      '--timeout',
      '9m',
    ]);
    expect(words.some((w) => w.dynamic)).toBe(false);
  });
  test('worktree mode (mine or the holder’s): no wait offered, and it says why', () => {
    const inWt = deny({ subagentId: 'agentA', lease: { ...A, worktree: '/wt/a' } }, [{ ...A, worktree: '/wt/a' }, B], {
      shown: '/wt/a/src/b.ts',
      abs: '/wt/a/src/b.ts',
      rel: 'src/b.ts',
    });
    expect(inWt).not.toContain('claim wait');
    expect(inWt).toMatch(/worktree mode.*not in your tree/);
    const holderWt = deny(subA, [A, { ...B, worktree: '/wt/b' }], file('src/b.ts'));
    expect(holderWt).not.toContain('claim wait');
  });
  test('a lease of another agent (another session) or on a remote: no wait offered', () => {
    expect(deny(subA, [A, { ...B, agentId: 'agent:other' }], file('src/b.ts'))).not.toMatch(/claim wait|worktree/);
    expect(deny(subA, [A, B], file('src/b.ts'), new Set([B.id]))).not.toMatch(/claim wait/);
  });
  test('a folder: no wait offered (a wait is for one file)', () => {
    expect(deny(subA, [A, B], file('docs', true))).not.toMatch(/claim wait/);
  });
  test('an unbound sub-agent and the orchestrator are not told to wait', () => {
    expect(deny({ subagentId: 'agentZ' }, [A, B], file('src/b.ts'))).not.toMatch(/claim wait/);
    expect(deny({}, [A, B], file('src/b.ts'))).not.toMatch(/claim wait/);
  });
});
