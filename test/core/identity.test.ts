import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/git.js';
import { resolveAgentId } from '../../src/config/identity.js';
import { DEFAULT_AGENT_ID } from '../../src/core/identity.js';

const home = tempDir('jitp-home-');
const empty = tempDir('jitp-home-');
mkdirSync(join(home, '.config/jit'), { recursive: true });
writeFileSync(join(home, '.config/jit/agent.toml'), '[agent]\nid = "agent:from-file"\n');
afterAll(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(empty, { recursive: true, force: true });
});

describe('resolveAgentId', () => {
  it('prefers --agent, then JIT_AGENT_ID, then agent.toml', () => {
    expect(resolveAgentId({ flag: 'agent:flag', env: { JIT_AGENT_ID: 'agent:env' }, home }).agentId).toBe('agent:flag');
    expect(resolveAgentId({ env: { JIT_AGENT_ID: 'agent:env' }, home }).agentId).toBe('agent:env');
    expect(resolveAgentId({ env: {}, home })).toEqual({
      agentId: 'agent:from-file',
      from: join(home, '.config/jit/agent.toml'),
    });
    expect(resolveAgentId({ env: {}, home: empty, flag: 'claude:session-abc123' }).agentId).toBe(
      'claude:session-abc123',
    );
  });
  it('nothing set: the one default, saying so', () => {
    expect(resolveAgentId({ env: {}, home: empty })).toEqual({ agentId: DEFAULT_AGENT_ID, from: 'default' });
    expect(DEFAULT_AGENT_ID).toBe('agent:claude');
    // An empty JIT_AGENT_ID is unset, not an id.
    expect(resolveAgentId({ env: { JIT_AGENT_ID: '' }, home: empty }).agentId).toBe(DEFAULT_AGENT_ID);
  });
  it('an agent.toml without [agent] id (jit config for other things) is the default, not an error', () => {
    const h = tempDir('jitp-home-');
    mkdirSync(join(h, '.config/jit'), { recursive: true });
    writeFileSync(join(h, '.config/jit/agent.toml'), '[other]\nx = 1\n');
    expect(resolveAgentId({ env: {}, home: h }).agentId).toBe(DEFAULT_AGENT_ID);
    rmSync(h, { recursive: true, force: true });
  });
  it('a malformed id in agent.toml is still exit 9 naming the file (never silently the default)', () => {
    const h = tempDir('jitp-home-');
    mkdirSync(join(h, '.config/jit'), { recursive: true });
    writeFileSync(join(h, '.config/jit/agent.toml'), '[agent]\nid = "no colon"\n');
    expect(() => resolveAgentId({ env: {}, home: h })).toThrow(
      expect.objectContaining({ code: 'E_IDENTITY', exitCode: 9, message: expect.stringContaining('agent.toml') }),
    );
    rmSync(h, { recursive: true, force: true });
  });
  it.each(['alice', 'agent:', ':x', 'agent:has space', 'Agent:x'])('rejects %j', (id) => {
    expect(() => resolveAgentId({ flag: id, env: {}, home: empty })).toThrow(expect.objectContaining({ exitCode: 9 }));
  });
  it('bad TOML names the file', () => {
    const h = tempDir('jitp-home-');
    mkdirSync(join(h, '.config/jit'), { recursive: true });
    writeFileSync(join(h, '.config/jit/agent.toml'), '[agent\nid=');
    expect(() => resolveAgentId({ env: {}, home: h })).toThrow(/agent\.toml/);
    rmSync(h, { recursive: true, force: true });
  });
});
