// PreToolUse has two packagings: dist/hook-pre.cjs (CommonJS, what dist/hook.cjs runs while a
// lease is live) and dist/hook.mjs (ESM, the full hook, which answered before). Both must give
// the same answer, and leave the store in the same state, for every kind of call: each case of
// the table runs on its own copy of one scenario, once per packaging, and the two results are
// compared. Also: a missing or stale bundle ends in the documented failure policy, never exit 1.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readStateFile } from '../../../src/store/local/snapshot-read.js';
import { editState } from '../../support/state-edit.js';
import { formatBindingLine } from '../../../src/core/binding.js';
import { LocalLeaseStore } from '../../../src/store/local/local-store.js';
import type { Lease } from '../../../src/core/model.js';
import { makeRepo, tempDir, type TempRepo } from '../../support/git.js';
import { DIST_HOOK, DIST_HOOK_ESM, ROOT } from '../../support/paths.js';

const SESSION = 'sess-eq';
let base: TempRepo;
let A: Lease;
let B: Lease;
let R: Lease;
const work = tempDir('jitp-eq-');

beforeAll(async () => {
  base = makeRepo({
    'src/a.ts': 'a\n',
    'src/b.ts': 'b\n',
    'lib/x.ts': 'x\n',
    'docs/own.md': 'o\n',
    'README.md': 'r\n',
  });
  symlinkSync('src/a.ts', join(base.root, 'alias.ts'));
  const store = new LocalLeaseStore({ storeDir: join(base.root, '.git', 'jit-parallel') });
  A = await store.acquire({ issueId: 'issue-a', agentId: 'agent:orch', paths: ['src/a.ts'] });
  B = await store.acquire({ issueId: 'issue-b', agentId: 'agent:orch', paths: ['src/b.ts', 'lib/**'] });
  await store.acquire({ issueId: 'issue-own', agentId: 'agent:claude', paths: ['docs/own.md'] });
  R = await store.acquire({ issueId: 'issue-r', agentId: 'agent:orch', paths: ['src/r.ts'] });
  await store.bind(B.id, B.bindSecret!, 'subB'); // already bound: its next free file is an extend
  const subs = join(base.root, '.transcripts', SESSION, 'subagents');
  mkdirSync(subs, { recursive: true });
  const prompt = (agentId: string, text: string) =>
    writeFileSync(
      join(subs, `agent-${agentId}.jsonl`),
      `${JSON.stringify({ type: 'user', agentId, message: { role: 'user', content: text } })}\n`,
    );
  prompt('subA', `${formatBindingLine(A.id, A.bindSecret!)}\nwork on a`);
  prompt('subR', `${formatBindingLine(R.id, R.bindSecret!)}\nwork on r`);
  prompt('forged', `${formatBindingLine(A.id, 'f'.repeat(32))}\nwork`);
  prompt('gone', `${formatBindingLine('L-000000000000', 'a'.repeat(32))}\nwork`);
  prompt('plain', 'no binding here');
});
afterAll(() => {
  base?.cleanup();
  rmSync(work, { recursive: true, force: true });
});

interface Case {
  name: string;
  /** Hook JSON for the copy at `root` (or raw text). */
  input: (root: string) => unknown;
  config?: string;
  env?: Record<string, string>;
  /** Changes the copy before the call (e.g. a corrupt store). */
  prepare?: (root: string) => void;
  /** What the answer must be (so the table cannot pass by both sides failing alike). */
  /** inform: additionalContext for the model, no decision (a free file added to the lease). */
  expect: 'silent' | 'deny' | 'warn' | 'inform';
}

const call = (root: string, tool: string, tool_input: Record<string, unknown>, agent?: string) => ({
  session_id: SESSION,
  transcript_path: join(root, '.transcripts', `${SESSION}.jsonl`),
  cwd: root,
  permission_mode: 'acceptEdits',
  hook_event_name: 'PreToolUse',
  tool_name: tool,
  tool_input,
  tool_use_id: 'toolu_eq',
  ...(agent ? { agent_id: agent, agent_type: 'general-purpose' } : {}),
});
const edit = (file: string, agent?: string) => (root: string) =>
  call(
    root,
    'Edit',
    { file_path: file.startsWith('/') ? file : join(root, file), old_string: 'a', new_string: 'b' },
    agent,
  );
// R last renewed 20 minutes ago (TTL 30 min): the next activity of its sub-agent renews it.
const renewalDue = (root: string) => {
  const old = new Date(Date.now() - 20 * 60_000).toISOString();
  editState(join(root, '.git', 'jit-parallel'), (ls) =>
    ls.map((l) => (l.id === R.id ? { ...l, acquiredAt: old, renewedAt: old } : l)),
  );
};
const corrupt = (root: string) =>
  writeFileSync(join(root, '.git', 'jit-parallel', 'state.json'), '{"schemaVersion":1,');

const cases: Case[] = [
  { name: 'main agent, file of another lease', input: edit('src/a.ts'), expect: 'deny' },
  { name: "main agent, file under another lease's glob", input: edit('lib/deep/new.ts'), expect: 'deny' },
  { name: 'main agent, free file', input: edit('README.md'), expect: 'silent' },
  { name: 'main agent, its own lease (agent:claude)', input: edit('docs/own.md'), expect: 'silent' },
  {
    name: 'main agent, `..` spelling of a held file',
    input: (root) => call(root, 'Write', { file_path: 'src/../src/a.ts', content: 'x' }),
    expect: 'deny',
  },
  { name: 'main agent, symlink to a held file', input: edit('alias.ts'), expect: 'deny' },
  { name: 'main agent, outside the repository', input: edit('/tmp/jitp-eq-scratch.txt'), expect: 'silent' },
  { name: 'anyone, the lease store', input: edit('.git/jit-parallel/state.json'), expect: 'deny' },
  { name: 'anyone, git internals', input: edit('.git/config'), expect: 'silent' },
  { name: 'sub-agent binds (store write) and edits its file', input: edit('src/a.ts', 'subA'), expect: 'silent' },
  { name: 'sub-agent binds, then a file of another lease', input: edit('src/b.ts', 'subA'), expect: 'deny' },
  { name: 'sub-agent binds, free file: extend (store write)', input: edit('src/new.ts', 'subA'), expect: 'inform' },
  { name: 'bound sub-agent, its glob, a new file', input: edit('lib/new/y.ts', 'subB'), expect: 'silent' },
  { name: 'bound sub-agent, free file: extend (store write)', input: edit('src/new2.ts', 'subB'), expect: 'inform' },
  {
    name: 'sub-agent, free file, policy strict',
    input: edit('src/new.ts', 'subA'),
    config: 'policy: strict\n',
    expect: 'deny',
  },
  {
    name: 'sub-agent, free file, policy warn',
    input: edit('src/new.ts', 'subA'),
    config: 'policy: warn\n',
    expect: 'warn',
  },
  {
    name: 'sub-agent, held file, policy off',
    input: edit('src/b.ts', 'subA'),
    config: 'policy: "off"  # enforcement off\n',
    expect: 'silent',
  },
  {
    name: 'sub-agent, renewal due (store write)',
    input: edit('src/r.ts', 'subR'),
    prepare: renewalDue,
    expect: 'silent',
  },
  { name: 'forged binding, free file', input: edit('README.md', 'forged'), expect: 'warn' },
  { name: 'binding for a lease that is gone, held file', input: edit('src/a.ts', 'gone'), expect: 'deny' },
  { name: 'unbound sub-agent, free file', input: edit('README.md', 'plain'), expect: 'warn' },
  {
    name: 'NotebookEdit of a held notebook path',
    input: (root) => call(root, 'NotebookEdit', { notebook_path: join(root, 'lib/n.ipynb'), new_source: 'x' }),
    expect: 'deny',
  },
  {
    name: 'MultiEdit of a free file',
    input: (root) => call(root, 'MultiEdit', { file_path: join(root, 'README.md'), edits: [] }),
    expect: 'silent',
  },
  {
    name: 'Edit without a file path (failure: open)',
    input: (root) => call(root, 'Edit', { old_string: 'a' }),
    expect: 'warn',
  },
  {
    name: 'Edit without a file path (failure: closed)',
    input: (root) => call(root, 'Edit', { old_string: 'a' }),
    config: 'failure: closed\n',
    expect: 'deny',
  },
  {
    name: 'Bash sed -i on a held file',
    input: (root) => call(root, 'Bash', { command: 'sed -i s/a/b/ src/a.ts' }),
    expect: 'deny',
  },
  {
    name: 'Bash, read-only',
    input: (root) => call(root, 'Bash', { command: 'git status && ls src' }),
    expect: 'silent',
  },
  {
    name: 'Agent spawn with a wrong secret',
    input: (root) =>
      call(root, 'Agent', { description: 'd', prompt: `${formatBindingLine(A.id, 'f'.repeat(32))}\nwork` }),
    expect: 'deny',
  },
  {
    name: 'an unknown tool',
    input: (root) => call(root, 'Read', { file_path: join(root, 'src/a.ts') }),
    expect: 'silent',
  },
  { name: 'malformed JSON (failure: open)', input: () => '{"tool_name": "Edit", ', expect: 'warn' },
  { name: 'a JSON array (failure: closed)', input: () => '[1,2]', config: 'failure: closed\n', expect: 'deny' },
  { name: 'no tool_input', input: (root) => ({ ...call(root, 'Edit', {}), tool_input: undefined }), expect: 'warn' },
  { name: 'corrupt store (failure: open)', input: edit('src/a.ts'), prepare: corrupt, expect: 'warn' },
  {
    name: 'corrupt store (failure: closed)',
    input: edit('src/a.ts'),
    prepare: corrupt,
    config: 'failure: closed\n',
    expect: 'deny',
  },
  {
    name: 'corrupt store, JITP_HOOK_FAILURE=closed',
    input: edit('src/a.ts'),
    prepare: corrupt,
    env: { JITP_HOOK_FAILURE: 'closed' },
    expect: 'deny',
  },
  // A typo in the config never switches enforcement off (issue 14, item 7): defaults stand in for it.
  { name: 'invalid config file, held file', input: edit('src/a.ts'), config: 'policy: sometimes\n', expect: 'deny' },
  { name: 'invalid config file, free file', input: edit('README.md'), config: 'policy: strcit\n', expect: 'warn' },
];

test('a config typo keeps refusing held files and says where the config is wrong', () => {
  for (const config of ['policy: strcit\n', 'ttl: soon\npolicy: strict\n', 'polcy: strict\n', 'policy: [\n']) {
    const r = runOn(DIST_HOOK, { name: 'typo', input: edit('src/a.ts'), config, expect: 'deny' });
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout).hookSpecificOutput;
    expect(out.permissionDecision, config).toBe('deny');
    expect(out.permissionDecisionReason).toMatch(/held by/);
    expect(out.permissionDecisionReason).toMatch(/the config is invalid at <repo>\/\.jit-parallel\.yaml(:\d+)?: /);
    expect(out.permissionDecisionReason).toMatch(/`jitp config`/);
  }
});

let n = 0;
/** One call on a fresh copy of the scenario; returns what the client and the store see. */
function runOn(bundle: string, c: Case) {
  const dir = join(work, String(n++));
  cpSync(base.root, dir, { recursive: true, verbatimSymlinks: true });
  if (c.config) writeFileSync(join(dir, '.jit-parallel.yaml'), c.config);
  c.prepare?.(dir);
  const input = c.input(dir);
  const r = spawnSync(process.execPath, [bundle, 'pre-tool-use'], {
    input: typeof input === 'string' ? input : JSON.stringify(input),
    cwd: dir,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...c.env },
  });
  const norm = (s: string) =>
    s
      .split(dir)
      .join('<repo>')
      .replace(/in \d+ min/g, 'in N min');
  let leases: unknown;
  try {
    const s = readStateFile(join(dir, '.git', 'jit-parallel'))!;
    // Timestamps differ by the milliseconds between the two runs; what was written must not.
    leases = s.leases.map((l) => ({
      id: l.id,
      paths: l.paths,
      token: l.token,
      meta: l.meta,
      renewed: Date.parse(l.renewedAt) > Date.parse(l.acquiredAt),
    }));
  } catch {
    leases = 'unreadable';
  }
  const events = existsSync(join(dir, '.git', 'jit-parallel', 'events.jsonl'))
    ? readFileSync(join(dir, '.git', 'jit-parallel', 'events.jsonl'), 'utf8')
        .trim()
        .split('\n').length
    : 0;
  return { status: r.status, stdout: norm(r.stdout), stderr: norm(r.stderr), leases, events };
}

const kindOf = (stdout: string): Case['expect'] | 'other' => {
  if (stdout === '') return 'silent';
  const j = JSON.parse(stdout) as {
    hookSpecificOutput?: { permissionDecision?: string; additionalContext?: string };
    systemMessage?: string;
  };
  if (j.hookSpecificOutput?.permissionDecision === 'deny') return 'deny';
  if (j.hookSpecificOutput?.additionalContext && !j.hookSpecificOutput.permissionDecision) return 'inform';
  return j.systemMessage ? 'warn' : 'other';
};

describe('dist/hook.cjs (CommonJS live path) and dist/hook.mjs (ESM) agree', () => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const viaFront = runOn(DIST_HOOK, c);
    const viaEsm = runOn(DIST_HOOK_ESM, c);
    expect(viaFront.status).toBe(0);
    expect(kindOf(viaFront.stdout)).toBe(c.expect);
    expect(viaFront).toEqual(viaEsm);
  });

  test('the writes in the table really happened (bind, extend, renew)', () => {
    const bind = runOn(
      DIST_HOOK,
      cases.find((c) => c.name.startsWith('sub-agent binds (store write)'))!,
    );
    expect(
      (bind.leases as { id: string; meta?: { claudeAgentIds?: string[] } }[]).find((l) => l.id === A.id)?.meta
        ?.claudeAgentIds,
    ).toEqual(['subA']);
    const ext = runOn(
      DIST_HOOK,
      cases.find((c) => c.name.includes('extend'))!,
    );
    expect((ext.leases as { id: string; paths: string[] }[]).find((l) => l.id === A.id)?.paths).toEqual([
      'src/a.ts',
      'src/new.ts',
    ]);
    const ren = runOn(
      DIST_HOOK,
      cases.find((c) => c.name.includes('renewal due'))!,
    );
    expect((ren.leases as { id: string; renewed: boolean }[]).find((l) => l.id === R.id)?.renewed).toBe(true);
  });
});

describe('a missing or stale bundle ends in the failure policy, never exit 1', () => {
  /** A copy of dist/ whose hook-pre.cjs is altered (or removed) by `spoil`. */
  function spoiledDist(spoil: (dist: string) => void): string {
    const dist = join(tempDir('jitp-dist-copy-'), 'dist');
    cpSync(join(ROOT, 'dist'), dist, { recursive: true });
    spoil(dist);
    return dist;
  }
  const held = (c: Partial<Case> = {}) => ({ name: 'held', input: edit('src/a.ts'), expect: 'deny' as const, ...c });

  test.each([
    ['hook-pre.cjs missing', (d: string) => rmSync(join(d, 'hook-pre.cjs')), /hook failed to load/],
    [
      'hook-pre.cjs from another build',
      (d: string) =>
        writeFileSync(
          join(d, 'hook-pre.cjs'),
          readFileSync(join(d, 'hook-pre.cjs'), 'utf8').replace(
            /BUILD_ID="[0-9a-f]{16}"/,
            'BUILD_ID="0000000000000000"',
          ),
        ),
      /from another build/,
    ],
    [
      'hook-pre.cjs damaged',
      (d: string) => writeFileSync(join(d, 'hook-pre.cjs'), 'this is not javascript {'),
      /hook failed to load/,
    ],
    [
      'lazy store writer missing when a write is needed',
      (d: string) => rmSync(join(d, 'lazy', 'local-store.cjs')),
      /could not extend lease .*lazy\/local-store\.cjs/,
    ],
  ] as const)('%s: open warns, closed denies', (_name, spoil, message) => {
    const dist = spoiledDist(spoil);
    const input = _name.startsWith('lazy') ? edit('src/new.ts', 'subB') : edit('src/a.ts');
    const open = runOn(join(dist, 'hook.cjs'), held({ input }));
    expect(open.status).toBe(0);
    expect(JSON.parse(open.stdout).systemMessage).toMatch(message);
    expect(JSON.parse(open.stdout).systemMessage).toMatch(/not checked, allowed \(failure: open\)/);
    const closed = runOn(join(dist, 'hook.cjs'), held({ input, config: 'failure: closed\n' }));
    expect(closed.status).toBe(0);
    expect(JSON.parse(closed.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
    expect(JSON.parse(closed.stdout).hookSpecificOutput.permissionDecisionReason).toMatch(message);
  });

  test('hook.mjs handed a call by a front door of another build refuses it the same way', () => {
    const dist = spoiledDist((d) => {
      const front = readFileSync(join(d, 'hook.cjs'), 'utf8');
      writeFileSync(join(d, 'hook.cjs'), front.replace(/BUILD_ID="[0-9a-f]{16}"/, 'BUILD_ID="1111111111111111"'));
    });
    const r = spawnSync(process.execPath, [join(dist, 'hook.cjs'), 'session-start'], {
      input: JSON.stringify({
        session_id: SESSION,
        cwd: base.root,
        hook_event_name: 'SessionStart',
        source: 'startup',
      }),
      cwd: base.root,
      encoding: 'utf8',
    });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).systemMessage).toMatch(/dist\/hook\.mjs is from another build/);
  });
});

test('dist/hook-pre.cjs carries no heavy dependency (YAML, schema, shell parser, git)', () => {
  const text = readFileSync(join(ROOT, 'dist', 'hook-pre.cjs'), 'utf8');
  // 70 KB: the sub-agent checks (jitp lease commands, bind-once records, advice) live here; a parser or schema
  // would not fit (the store-read and transcript checks are lazy: dist/lazy/protected-reads.cjs).
  // (+1.4 KB: the switch to a large store's partial reader; the reader itself is lazy, dist/lazy/large-store.cjs.)
  // (-0.6 KB: a sub-agent's first binding, its prompt line and start check, is lazy: dist/lazy/first-binding.cjs.)
  // (+0.9 KB: state.json layout 2's header check, which the front door needs to say whether any lease is live;
  // the line checks and the partial reader stay lazy.)
  // (-8 KB: a sub-agent's `jitp claim` checks and their word splitter moved to the lazy bundle its Bash call
  // loads anyway, dist/lazy/protected-reads.cjs; +1.4 KB: the tiny glob matcher, core/glob-simple.ts, so that
  // picomatch loads only for a glob it cannot decide; +0.2 KB: answers written with writeSync, run.ts writeOut.)
  // (+0.6 KB: its ES module imports are stubs that ask the front door to import, so that it can be compiled from
  // V8's code cache, src/hooks/runtime/code-cache.ts.)
  // (+3.6 KB: the delta beside state.json (store/local/state-delta.ts): read after the snapshot, checked
  // and merged by lease id, so that a change need not rewrite a 530 KB file at 1,000 leases.)
  expect(text.length).toBeLessThan(69_200);
  for (const heavy of ['mvdan', 'ZodError', 'YAMLParseError', 'picomatch', 'simple-git', 'execa'])
    expect(text, heavy).not.toContain(heavy);
  // (12.2 KB: the front door hands its read of state.json to the handler, one read per call.)
  // (+0.8 KB: layout 2's header check, which replaced the whole-file checksum: about 10 ms less per call
  // at 1,000 leases.)
  // (+3.3 KB: the V8 code-cache loader, code-cache.ts, through which it loads hook-pre.cjs and the lazy bundles:
  // 5-15 ms less per live call at 1,000 leases; its functions are compiled only on that path.)
  // (+0.9 KB: the delta's generation and liveUntil, checksum checked: a store whose live leases are all
  // in its delta must not look empty to the fast check.)
  expect(readFileSync(join(ROOT, 'dist', 'hook.cjs'), 'utf8').length).toBeLessThan(17_400);
});
