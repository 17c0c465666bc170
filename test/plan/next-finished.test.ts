// `jitp next` with finished leases (docs/wait.md): a stopped sub-agent frees its slot at once, but
// its files stay busy until the orchestrator's `issue done` releases them.
import { expect, it } from 'vitest';
import type { Lease } from '../../src/core/model.js';
import { pickNext } from '../../src/plan/next.js';
import type { PlanResult, PlannedIssue } from '../../src/plan/plan.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const issue = (id: string, files: string[]): PlannedIssue => ({
  id,
  shortId: id,
  title: id,
  files,
  newFiles: [],
  hotFiles: [],
  likely: [],
  tier: 'YELLOW',
  reasons: [],
  predicted: [],
  ignored: [],
});
const lease = (issueId: string, paths: string[], finished = false): Lease => ({
  id: `L-${issueId}`,
  issueId,
  agentId: 'agent:o',
  worktree: null,
  branch: null,
  paths,
  ttlSecs: 60,
  acquiredAt: new Date(NOW - 1000).toISOString(),
  renewedAt: new Date(NOW - 1000).toISOString(),
  expiresAt: new Date(NOW + 60_000).toISOString(),
  token: 1,
  ...(finished ? { finishedAt: new Date(NOW - 10).toISOString() } : {}),
});
const plan: PlanResult = {
  issues: [issue('a', ['src/x.ts']), issue('b', ['src/y.ts'])],
  conflicts: [],
  batches: [['a', 'b']],
  excluded: [],
};

it('a finished lease does not count against max parallel', () => {
  expect(pickNext(plan, [lease('r', ['docs/r.md'])], NOW, 1).next).toBeNull();
  const r = pickNext(plan, [lease('r', ['docs/r.md'], true)], NOW, 1);
  expect(r.next?.id).toBe('a');
  expect(r.running).toEqual([]);
});
it("a finished lease's files stay busy until its issue is done", () => {
  const r = pickNext(plan, [lease('r', ['src/x.ts'], true)], NOW, 4);
  expect(r.next?.id).toBe('b');
  expect(r.skipped[0]!.reason).toMatch(/src\/x\.ts is held/);
});
