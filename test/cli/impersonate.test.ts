// Issue 13, item 3, jitp's side: `jitp claim release|renew|extend|evict --agent <victim>` is refused
// where jitp can tell the caller is someone else (JIT_AGENT_ID, or the Claude Code session in the
// Bash tool's env), unless --impersonate says so explicitly.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { ERROR_EXITS } from '../../src/platform/errors.js';
import { makeRepo, type TempRepo } from '../support/git.js';
import { jitp } from './support.js';

let r: TempRepo;
let leaseId: string;
beforeEach(async () => {
  r = makeRepo({ 'src/a.ts': 'a\n' });
  const acq = await jitp(r.root, ['claim', 'acquire', 'T-1', '--paths', 'src/a.ts', '--json'], {
    JIT_AGENT_ID: 'agent:victim',
  });
  expect(acq.code).toBe(0);
  leaseId = acq.json().lease.id;
});
afterEach(() => r.cleanup());

const heldBy = async (agent: string): Promise<string[]> =>
  (await jitp(r.root, ['claim', 'status', '--agent', agent, '--json'])).json().leases.map((l: { id: string }) => l.id);

describe('--agent naming someone other than the caller', () => {
  test.each([
    [['claim', 'release', 'T-1', '--agent', 'agent:victim']],
    [['claim', 'renew', 'T-1', '--agent', 'agent:victim']],
    [['claim', 'extend', 'T-1', '--paths', 'src/b.ts', '--agent', 'agent:victim']],
    [['claim', 'evict', 'LEASE', '--reason', 'x', '--agent', 'agent:victim']],
  ])('JIT_AGENT_ID=agent:mallory: %j is refused with E_AGENT_MISMATCH (exit 9)', async (args) => {
    const res = await jitp(r.root, [...args.map((a) => (a === 'LEASE' ? leaseId : a)), '--json'], {
      JIT_AGENT_ID: 'agent:mallory',
    });
    expect(res.code).toBe(ERROR_EXITS.E_AGENT_MISMATCH);
    expect(res.code).toBe(9);
    const err = res.json().error;
    expect(err.code).toBe('E_AGENT_MISMATCH');
    expect(err.message).toBe('--agent agent:victim is not you: the caller is JIT_AGENT_ID=agent:mallory');
    expect(err.hint).toMatch(/without --agent.*--impersonate/);
    // Nothing happened to the victim's lease.
    expect(await heldBy('agent:victim')).toEqual([leaseId]);
  });
  test("another Claude Code session's identity is refused inside a session", async () => {
    await jitp(r.root, ['claim', 'acquire', 'T-2', '--paths', 'src/b.ts'], {
      JIT_AGENT_ID: undefined,
      CLAUDE_CODE_SESSION_ID: 'old',
    });
    const res = await jitp(r.root, ['claim', 'release', 'T-2', '--agent', 'claude:session-old'], {
      JIT_AGENT_ID: undefined,
      CLAUDE_CODE_SESSION_ID: 'new',
    });
    expect(res.code).toBe(9);
    expect(res.stderr).toMatch(/E_AGENT_MISMATCH|is not you: the caller is this Claude Code session/);
  });
  test('--impersonate, the same identity, or no known caller: allowed', async () => {
    const same = await jitp(r.root, ['claim', 'renew', 'T-1', '--agent', 'agent:victim'], {
      JIT_AGENT_ID: 'agent:victim',
    });
    expect(same.code).toBe(0);
    const unknownCaller = await jitp(r.root, ['claim', 'renew', 'T-1', '--agent', 'agent:victim'], {
      JIT_AGENT_ID: undefined,
    });
    expect(unknownCaller.code).toBe(0);
    const forced = await jitp(r.root, ['claim', 'release', 'T-1', '--agent', 'agent:victim', '--impersonate'], {
      JIT_AGENT_ID: 'agent:orchestrator',
    });
    expect(forced.code).toBe(0);
    expect(await heldBy('agent:victim')).toEqual([]);
  });
  test('acquire under another name is not refused (it takes nothing from anyone)', async () => {
    const res = await jitp(r.root, ['claim', 'acquire', 'T-3', '--paths', 'src/c.ts', '--agent', 'agent:bob'], {
      JIT_AGENT_ID: 'agent:alice',
    });
    expect(res.code).toBe(0);
  });
});

describe('bind secrets stay out of Bash output', () => {
  test('claim acquire --json prints the secret only under --secret', async () => {
    const plain = await jitp(r.root, ['claim', 'acquire', 'T-4', '--paths', 'src/d.ts', '--json']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toMatch(/bindSecret|[0-9a-f]{32}/);
    const asked = await jitp(r.root, ['claim', 'acquire', 'T-4', '--json', '--secret']);
    expect(asked.json().lease.bindSecret).toMatch(/^[0-9a-f]{32}$/);
    for (const args of [
      ['claim', 'list', '--json'],
      ['claim', 'status', '--json'],
      ['claim', 'renew', 'T-4', '--json'],
    ])
      expect((await jitp(r.root, args)).stdout, args.join(' ')).not.toContain(asked.json().lease.bindSecret);
  });
});
