// Remote leases enforced at edit time: the bundled hook (`node dist/hook.mjs`) on two clones of
// one local bare repository ("two machines"), leases taken with `jitp claim … --remote origin`.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { formatBindingLine } from '../../../src/core/binding.js';
import { INDEX_REF } from '../../../src/remote/layout.js';
import { budget } from '../../support/budget.js';
import { git } from '../../support/git.js';
import { DIST_HOOK, DIST_JITP } from '../../support/paths.js';
import { makeWorld, remoteState, type World } from '../../remote/world.js';

let w: World;
let A: string; // machine A
let B: string; // machine B
const SESSION = 'sess-r';

beforeAll(() => {
  w = makeWorld(2);
  [A, B] = w.clones as [string, string];
});
afterAll(() => w.cleanup());

const baseEnv = () => ({ PATH: process.env.PATH!, HOME: w.base });

function jitp(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [DIST_JITP, ...args], { cwd, encoding: 'utf8', env: baseEnv() });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json: () => JSON.parse(r.stdout) };
}

function hook(cwd: string, event: string, payload: object, env: Record<string, string> = {}) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [DIST_HOOK, event], {
    input: JSON.stringify(payload),
    encoding: 'utf8',
    cwd,
    env: { ...baseEnv(), ...env },
    timeout: 20_000,
  });
  const out = r.stdout.trim();
  return {
    status: r.status,
    stdout: out,
    stderr: r.stderr,
    ms: Date.now() - t0,
    json: out ? JSON.parse(out) : undefined,
  };
}

const write = (cwd: string, file: string, extra: Record<string, unknown> = {}) => ({
  session_id: SESSION,
  transcript_path: join(cwd, '.transcripts', `${SESSION}.jsonl`),
  cwd,
  hook_event_name: 'PreToolUse',
  tool_name: 'Write',
  tool_input: { file_path: join(cwd, file), content: 'x' },
  tool_use_id: 'toolu_1',
  ...extra,
});

const mirrorFile = (clone: string) => join(clone, '.git', 'jit-parallel', 'remote-origin.json');
const readMirror = (clone: string) => JSON.parse(readFileSync(mirrorFile(clone), 'utf8'));
/** Makes the clone's view look `secs` old without changing what it says. */
function age(clone: string, secs: number) {
  const m = readMirror(clone);
  const then = new Date(Date.now() - secs * 1000);
  m.fetchedAt = then.toISOString();
  writeFileSync(mirrorFile(clone), JSON.stringify(m));
  // …and no refresh started since then (the marker a hook stamps when it starts one).
  const marker = join(clone, '.git', 'jit-parallel', 'remote-origin.refresh');
  if (existsSync(marker)) utimesSync(marker, then, then);
}
const reasonOf = (r: {
  json?: { hookSpecificOutput?: { permissionDecision?: string; permissionDecisionReason?: string } };
}) =>
  r.json?.hookSpecificOutput?.permissionDecision === 'deny'
    ? r.json.hookSpecificOutput.permissionDecisionReason
    : undefined;

async function until(what: string, fn: () => boolean, ms = 15_000) {
  const t0 = Date.now();
  while (!fn()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('no mirror, then an empty mirror: nothing denied, nothing printed', async () => {
  const none = hook(B, 'pre-tool-use', write(B, 'src/a.ts'));
  expect([none.status, none.stdout]).toEqual([0, '']);
  expect(existsSync(join(B, '.git', 'jit-parallel'))).toBe(false);
  const synced = jitp(B, 'claim', 'sync', 'origin', '--json');
  expect(synced.code, synced.stderr).toBe(0);
  expect(readMirror(B).leases).toEqual([]);
  const empty = hook(B, 'pre-tool-use', write(B, 'src/a.ts'));
  expect([empty.status, empty.stdout]).toEqual([0, '']);
  const seen = readMirror(B).fetchedAt;
  const start = hook(B, 'session-start', {
    session_id: SESSION,
    cwd: B,
    hook_event_name: 'SessionStart',
    source: 'startup',
  });
  expect([start.status, start.stdout]).toEqual([0, '']);
  // Session start refreshes every remote mirror in the background, whatever its age.
  await until('the session-start refresh', () => readMirror(B).fetchedAt !== seen);
});

test(
  "a lease taken on machine A is refused on machine B once B's mirror has it, naming host and " + 'freshness',
  async () => {
    // Same agent name on both machines (the default identity): B's orchestrator must still not own A's lease.
    const got = jitp(
      A,
      'claim',
      'acquire',
      'issue-1',
      '--paths',
      'src/a.ts',
      '--remote',
      'origin',
      '--agent',
      'agent:claude',
      '--json',
    );
    expect(got.code, got.stderr).toBe(0);
    const lease = got.json().lease;

    // Before B refreshes, its (fresh, empty) view knows nothing: allowed silently.
    expect(hook(B, 'pre-tool-use', write(B, 'src/a.ts')).stdout).toBe('');

    expect(jitp(B, 'claim', 'sync', 'origin').code).toBe(0);
    const denied = hook(B, 'pre-tool-use', write(B, 'src/a.ts'));
    expect(denied.status).toBe(0);
    const reason = reasonOf(denied)!;
    expect(reason).toContain(`lease ${lease.id} of issue issue-1`);
    expect(reason).toContain(`on host ${hostname()}`);
    expect(reason).toMatch(/remote 'origin' leases as of \d+s ago \(\d{4}-\d\d-\d\dT/);

    // Free files stay free; on machine A the orchestrator's own lease does not stop it.
    expect(hook(B, 'pre-tool-use', write(B, 'src/free.ts')).stdout).toBe('');
    expect(hook(A, 'pre-tool-use', write(A, 'src/a.ts')).stdout).toBe('');

    // `jitp hook check` sees the same view.
    const check = jitp(B, 'hook', 'check', 'src/a.ts', '--json');
    expect(check.code).toBe(3);
    expect(check.json().results[0].message).toContain(`on host ${hostname()}`);

    // SessionStart on B names the remote lease with its host (and refreshes the mirror, detached).
    const seen = readMirror(B).fetchedAt;
    const start = hook(B, 'session-start', {
      session_id: SESSION,
      cwd: B,
      hook_event_name: 'SessionStart',
      source: 'startup',
    });
    const ctx = start.json.hookSpecificOutput.additionalContext as string;
    expect(ctx).toContain(
      `issue issue-1 (lease ${lease.id}, agent:claude, on host ${hostname()} via remote 'origin') holds src/a.ts`,
    );
    expect(ctx).toContain("remote 'origin' leases as of");
    await until('the session-start refresh', () => readMirror(B).fetchedAt !== seen);
  },
);

test(
  'a stale mirror: the hook answers from it at once and starts a background refresh; the next call sees the new ' +
    'lease',
  async () => {
    const got = jitp(
      A,
      'claim',
      'acquire',
      'issue-2',
      '--paths',
      'src/b.ts',
      '--remote',
      'origin',
      '--agent',
      'agent:alice',
      '--json',
    );
    expect(got.code, got.stderr).toBe(0);
    age(B, 600); // older than remoteMirrorMaxAge (60 s)
    const before = readMirror(B).fetchedAt;
    const first = hook(B, 'pre-tool-use', write(B, 'src/b.ts'));
    expect([first.status, first.stdout]).toEqual([0, '']); // the old view does not have issue-2 yet
    await until('the background refresh to rewrite the mirror', () => readMirror(B).fetchedAt !== before);
    const second = hook(B, 'pre-tool-use', write(B, 'src/b.ts'));
    expect(reasonOf(second)).toContain('issue issue-2');
    // One refresh start per gap, not one per edit, while nothing changes.
    expect(readdirSync(join(B, '.git', 'jit-parallel'))).toContain('remote-origin.refresh');
  },
);

test('a bound sub-agent on B extends its remote lease on the remote itself; A then refuses that file', () => {
  const got = jitp(
    B,
    'claim',
    'acquire',
    'issue-3',
    '--paths',
    'src/c.ts',
    '--remote',
    'origin',
    '--agent',
    'agent:claude',
    '--json',
    '--secret',
  );
  expect(got.code, got.stderr).toBe(0);
  const lease = got.json().lease;
  const dir = join(B, '.transcripts', SESSION, 'subagents');
  mkdirSync(dir, { recursive: true });
  const rec = {
    type: 'user',
    agentId: 'agentX',
    message: { role: 'user', content: `${formatBindingLine(lease.id, lease.bindSecret)}\nWork on issue-3.` },
  };
  writeFileSync(join(dir, 'agent-agentX.jsonl'), `${JSON.stringify(rec)}\n`);

  const r = hook(B, 'pre-tool-use', write(B, 'src/new.ts', { agent_id: 'agentX', agent_type: 'general-purpose' }));
  expect([r.status, reasonOf(r)]).toEqual([0, undefined]);
  const onRemote = remoteState(w.bare, INDEX_REF).leases.find((l) => l.id === lease.id);
  expect(onRemote!.paths).toEqual(['src/c.ts', 'src/new.ts']);
  expect(onRemote!.meta!.claudeAgentIds).toEqual(['agentX']);

  // The sub-agent on B may not touch A's file; A (after a sync) refuses B's new file.
  expect(reasonOf(hook(B, 'pre-tool-use', write(B, 'src/a.ts', { agent_id: 'agentX' })))).toContain(
    'report the change needed',
  );
  expect(jitp(A, 'claim', 'sync', 'origin').code).toBe(0);
  expect(reasonOf(hook(A, 'pre-tool-use', write(A, 'src/new.ts')))).toContain(
    `lease ${lease.id} of issue issue-3, held by agent:claude (sub-agent agentX)`,
  );
});

test(
  'the remote unreachable (a transport that hangs): reads never wait; a needed write ends in the failure policy ' +
    'within its timeout',
  () => {
    const script = join(w.base, 'hang.sh');
    writeFileSync(script, '#!/bin/sh\nsleep 30\n');
    chmodSync(script, 0o755);
    git(B, 'config', 'protocol.ext.allow', 'always');
    git(B, 'config', 'remote.origin.url', `ext::${script}`);
    try {
      // A stale view plus a hanging remote: the decision comes from the mirror, the refresh is detached.
      age(B, 600);
      const read = hook(B, 'pre-tool-use', write(B, 'src/a.ts'));
      expect(reasonOf(read)).toContain('issue issue-1');
      expect(reasonOf(read)).toMatch(/as of (59\d|6\d\d)s ago/);
      expect(read.ms).toBeLessThan(5000);

      // A write that must reach the remote (extend under policy extend) times out into failure: open.
      const t0 = Date.now();
      const ext = hook(B, 'pre-tool-use', write(B, 'src/other.ts', { agent_id: 'agentX' }), {
        JITP_REMOTE_TIMEOUT_MS: '1000',
      });
      expect(Date.now() - t0).toBeLessThan(9000);
      expect(ext.status).toBe(0);
      expect(ext.json.systemMessage).toMatch(
        /could not extend lease L-[0-9a-f]+ on remote 'origin'.*not answering.*not checked, allowed \(failure: open\)/s,
      );

      // failure: closed turns the same into a deny.
      const closed = hook(B, 'pre-tool-use', write(B, 'src/other.ts', { agent_id: 'agentX' }), {
        JITP_REMOTE_TIMEOUT_MS: '1000',
        JITP_HOOK_FAILURE: 'closed',
      });
      expect(closed.stdout).toMatch(/"permissionDecision":"deny".*cannot check this call.*could not extend/);

      // A new sub-agent binding to B's own remote lease: the push cannot be made, the secret is
      // checked against the one B kept, so it works bound (its own file allowed) with a warning.
      const lease = readMirror(B).leases.find((l: { issueId: string }) => l.issueId === 'issue-3');
      const dir = join(B, '.transcripts', SESSION, 'subagents');
      const transcript = (id: string, secret: string) =>
        writeFileSync(
          join(dir, `agent-${id}.jsonl`),
          `${JSON.stringify({
            type: 'user',
            agentId: id,
            message: { role: 'user', content: `${formatBindingLine(lease.id, secret)}\nwork` },
          })}\n`,
        );
      transcript('agentY', lease.bindSecret);
      const bound = hook(B, 'pre-tool-use', write(B, 'src/c.ts', { agent_id: 'agentY' }), {
        JITP_REMOTE_TIMEOUT_MS: '1000',
      });
      expect(bound.json.systemMessage).toMatch(
        /agentY is bound to lease L-[0-9a-f]+ \(secret checked locally\), but the binding could not be recorded/,
      );
      // A forged secret binds nothing: the sub-agent is unbound and B's held file is refused to it.
      transcript('agentZ', 'f'.repeat(32));
      expect(
        reasonOf(
          hook(B, 'pre-tool-use', write(B, 'src/c.ts', { agent_id: 'agentZ' }), { JITP_REMOTE_TIMEOUT_MS: '1000' }),
        ),
      ).toContain(`lease ${lease.id} of issue issue-3`);
    } finally {
      git(B, 'config', 'remote.origin.url', w.bare);
    }
  },
);

test('heartbeat of a remote lease: renewed by a detached `jitp claim renew`, the edit does not wait', async () => {
  // 3 s on a quiet machine; longer when it is loaded, so the lease cannot expire between the two
  // hook calls (then the second one would rightly say the binding is not live).
  const ttl = Math.max(3, Math.ceil(budget(3_000) / 1000));
  const got = jitp(
    B,
    'claim',
    'acquire',
    'issue-5',
    '--paths',
    'src/e.ts',
    '--remote',
    'origin',
    '--agent',
    'agent:claude',
    '--ttl',
    `${ttl}s`,
    '--json',
    '--secret',
  );
  expect(got.code, got.stderr).toBe(0);
  const lease = got.json().lease;
  const dir = join(B, '.transcripts', SESSION, 'subagents');
  writeFileSync(
    join(dir, 'agent-agentH.jsonl'),
    `${JSON.stringify({
      type: 'user',
      agentId: 'agentH',
      message: { role: 'user', content: `${formatBindingLine(lease.id, lease.bindSecret)}\nwork` },
    })}\n`,
  );
  expect(hook(B, 'pre-tool-use', write(B, 'src/e.ts', { agent_id: 'agentH' })).stdout).toBe(''); // binds (a push)
  const renewedAt = () => remoteState(w.bare, INDEX_REF).leases.find((l) => l.id === lease.id)?.renewedAt;
  const before = renewedAt();
  await new Promise((r) => setTimeout(r, (ttl * 1000) / 3 + 100)); // a third of the TTL: a renewal is due
  const r = hook(B, 'pre-tool-use', write(B, 'src/e.ts', { agent_id: 'agentH' }));
  expect([r.status, r.stdout]).toEqual([0, '']);
  await until('the detached renewal to reach the remote', () => renewedAt() !== before);
  expect(readdirSync(join(B, '.git', 'jit-parallel'))).toContain(`remote-origin.renew-${lease.id}`);
});
