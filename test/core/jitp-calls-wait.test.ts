// A bound sub-agent may run `jitp claim wait` for its own lease only (issue 15, lock hand-off).
import { describe, expect, test } from 'vitest';
import { checkSubagentJitp } from '../../src/core/jitp-calls.js';

const OWN = { leaseId: 'L-0123456789', issueId: 'mine-1', agentId: 'agent:claude' };
const judge = (cmd: string, own: typeof OWN | null = OWN) => checkSubagentJitp(cmd, own ?? undefined, 'a1234');

describe('claim wait from a sub-agent', () => {
  test.each([
    'jitp claim wait src/b.ts --issue mine-1 --timeout 9m',
    'jitp claim wait src/b.ts --issue=mine-1',
    'jitp --json claim wait src/b.ts --timeout 9m --issue mine-1',
    'jitp claim wait src/b.ts --issue mine-1 --agent agent:claude',
    "jitp claim wait 'src/my file.ts' --issue mine-1 --timeout 9m",
  ])('allowed: %s', (cmd) => {
    expect(judge(cmd)).toBeUndefined();
  });

  test.each([
    [
      'no --issue (the shared identity may hold several leases)',
      'jitp claim wait src/b.ts --timeout 9m',
      /add --issue mine-1/,
    ],
    ["a sibling's issue", 'jitp claim wait src/b.ts --issue victim', /waits for issue victim, not your own/],
    ['a variable issue', 'jitp claim wait src/b.ts --issue "$I"', /not your own/],
    ['another agent', 'jitp claim wait src/b.ts --issue mine-1 --agent agent:victim', /acts as agent agent:victim/],
    ['the --timeout value is not the issue', 'jitp claim wait src/b.ts --timeout mine-1', /not your own/],
  ])('refused: %s', (_n, cmd, why) => {
    expect(judge(cmd)).toMatch(why);
  });

  test('an unbound sub-agent may not wait into any lease', () => {
    expect(judge('jitp claim wait src/b.ts --issue mine-1', null)).toMatch(/you hold none/);
  });
});
