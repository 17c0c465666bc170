// Issue 13, item 3 (identity by assertion): which jitp runs a sub-agent's Bash command holds,
// and which of them it may run. Every spelling an attacker has, against the agent's own lease.
import { describe, expect, test } from 'vitest';
import { checkSubagentJitp, findJitpCalls } from '../../src/core/jitp-calls.js';

const OWN = { leaseId: 'L-0123456789', issueId: 'mine-1', agentId: 'agent:claude' };
const deny = (cmd: string, own: typeof OWN | null = OWN) => checkSubagentJitp(cmd, own ?? undefined, 'a1234');

describe("refused: acting on a lease that is not the caller's", () => {
  test.each([
    'jitp claim release victim',
    'jitp claim release mine-1 --agent agent:victim',
    'jitp claim release --agent=agent:victim mine-1',
    'jitp claim evict L-victim --reason x',
    'jitp claim extend victim --paths src/a.ts',
    'jitp claim renew victim',
    'jitp claim acquire victim --paths src/a.ts',
    'jitp --json claim release victim',
    'jitp -C /repo claim release victim',
    'jitp --cwd /repo claim release victim',
    'jitp --cwd=/repo claim release victim',
    'jitp claim --json release victim',
    'npx jitp claim release victim',
    'npx -y jitp claim release victim',
    'bin/jitp claim release victim',
    '/opt/plugin/bin/jitp claim release victim',
    'node dist/jitp.mjs claim release victim',
    'JIT_AGENT_ID=agent:victim jitp claim release mine-1 --agent agent:victim',
    'env -i PATH=/bin jitp claim release victim',
    'cd /repo && jitp claim release victim',
    'true; jitp claim release victim',
    'echo $(jitp claim release victim)',
    'echo "$(jitp claim release victim)"',
    'echo `jitp claim release victim`',
    'bash -c "jitp claim release victim"',
    "sh -c 'cd x && jitp claim release victim'",
    'eval "jitp claim release victim"',
    "j'i'tp claim release victim",
    'ji\\tp claim release victim',
    "$'\\x6aitp' claim release victim",
    'sudo -u me jitp claim release victim',
    'timeout 5 jitp claim release victim',
    'echo victim | xargs jitp claim release',
    'jitp claim release mine-1 victim',
    'jitp claim release $ISSUE',
    'J=jitp; $J claim release victim',
    'jitp issue done victim',
    'jitp finish mine-1',
    'jitp prompt victim',
    'jitp doctor --repair',
    'bash <<EOF\njitp claim release victim\nEOF',
    '{ jitp claim release victim; }',
    'if true; then jitp claim release victim; fi',
    "jitp claim release 'victim",
  ])('%s', (cmd) => {
    expect(deny(cmd)).toMatch(/^jit-parallel: /);
  });
});

describe('allowed', () => {
  test.each([
    'jitp claim list',
    'jitp --json claim status --issue victim',
    'jitp claim release mine-1',
    'jitp claim release mine-1 --agent agent:claude --json',
    'jitp claim renew mine-1 2>/dev/null',
    'jitp claim extend mine-1 --paths src/x.ts',
    'jitp claim evict L-0123456789 --reason done',
    'jitp hook check src/a.ts',
    'jitp doctor',
    'jitp completion bash',
    'jitp claim release --help',
    'jitp --help',
    'npm test && git status',
    'echo "jitp is the CLI" > /dev/null',
    'grep -rn claim src/',
  ])('%s', (cmd) => {
    expect(deny(cmd)).toBeUndefined();
  });
  test('a jit uuid prefix of the own issue', () => {
    const own = { ...OWN, issueId: '3f2a1b2c-0000-4000-8000-000000000001' };
    expect(deny('jitp claim release 3f2a1b2c', own)).toBeUndefined();
    expect(deny('jitp claim release 3f2b', own)).toMatch(/not on your own/);
  });
});

describe('unbound sub-agents', () => {
  test('may read, may not change any lease', () => {
    expect(deny('jitp claim list', null)).toBeUndefined();
    expect(deny('jitp claim release mine-1', null)).toMatch(/not bound/);
    expect(deny('jitp claim acquire x --paths a', null)).toMatch(/not bound/);
  });
});

test('finds each run with its arguments', () => {
  const s = findJitpCalls('cd a && npx jitp --json claim release x; echo "$(node dist/jitp.mjs claim list)"');
  expect(s.calls.map((c) => c.args.map((w) => w.text).join(' ')).sort()).toEqual([
    '--json claim release x',
    'claim list',
  ]);
});
