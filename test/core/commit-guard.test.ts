// Whose lease is it at commit time (pure): agent name, worktree, JITP_LEASE — and a remote lease
// taken on another machine, which only JITP_LEASE can make the committer's.
import { expect, test } from 'vitest';
import { isMine } from '../../src/core/commit-guard.js';
import type { Lease } from '../../src/core/model.js';

const l = { id: 'L-1', issueId: 'i', agentId: 'agent:claude', worktree: '/w/x', paths: ['src/**'] } as unknown as Lease;

test.each([
  ['same agent', { agentIds: ['agent:claude'] }, true],
  ['other agent', { agentIds: ['agent:bob'] }, false],
  ['same worktree', { worktree: '/w/x' }, true],
  ['named lease', { leaseIds: ['L-1'] }, true],
  [
    'same agent, but taken on another machine',
    { agentIds: ['agent:claude'], foreignLeaseIds: new Set(['L-1']) },
    false,
  ],
  ['same worktree path, but taken on another machine', { worktree: '/w/x', foreignLeaseIds: new Set(['L-1']) }, false],
  ['another machine, named lease', { leaseIds: ['L-1'], foreignLeaseIds: new Set(['L-1']) }, true],
])('%s', (_name, who, mine) => {
  expect(isMine(l, who)).toBe(mine);
});
