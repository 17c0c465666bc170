// The audit's Bash bypasses (issue 13, items 1, 4, 6 and the wording of 9), as the attacker
// would send them: Claude-Code-shaped PreToolUse JSON on stdin of the real `node dist/hook.cjs`,
// `src/a.ts` held by another agent's live lease. Each must be refused, or warned about where
// the hook cannot know (inline interpreter code), and nothing may end in silence or exit 1.
import { spawnSync } from 'node:child_process';
import { linkSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { formatBindingLine } from '../../../src/core/binding.js';
import { LocalLeaseStore } from '../../../src/store/local/local-store.js';
import type { Lease, StoreSnapshot } from '../../../src/core/model.js';
import { makeRepo, tempDir, type TempRepo } from '../../support/git.js';
import { DIST_HOOK, DIST_JITP } from '../../support/paths.js';
import { writeSubagentTranscript } from '../../support/transcript.js';
import { readSnapshotSync } from '../../../src/store/local/snapshot-read.js';

let repo: TempRepo;
let transcripts: string;
let mine: Lease;
const SESSION = 'sess-bash';

function hook(command: string, extra: Record<string, unknown> = {}, env: Record<string, string> = {}) {
  const payload = {
    session_id: SESSION,
    transcript_path: join(transcripts, `${SESSION}.jsonl`),
    cwd: repo.root,
    permission_mode: 'acceptEdits',
    hook_event_name: 'PreToolUse',
    tool_name: extra.tool_name ?? 'Bash',
    tool_input: extra.tool_input ?? { command, description: 'probe' },
    tool_use_id: 'toolu_1',
    ...extra,
  };
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [DIST_HOOK, 'pre-tool-use'], {
    input: JSON.stringify(payload),
    encoding: 'utf8',
    cwd: repo.root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  const out = r.stdout.trim();
  const json = out ? JSON.parse(out) : undefined;
  return {
    status: r.status,
    ms: Date.now() - t0,
    deny: json?.hookSpecificOutput?.permissionDecision === 'deny',
    reason: String(json?.hookSpecificOutput?.permissionDecisionReason ?? ''),
    message: String(json?.systemMessage ?? ''),
  };
}

const snapshot = (): StoreSnapshot => readSnapshotSync(join(repo.root, '.git', 'jit-parallel'));

beforeEach(async () => {
  repo = makeRepo({ 'src/a.ts': 'a\n', 'src/c.ts': 'c\n', 'docs/b.md': 'b\n', 'docs/a.ts': 'd\n' });
  transcripts = tempDir('jitp-transcripts-');
  const store = new LocalLeaseStore({ storeDir: join(repo.root, '.git', 'jit-parallel') });
  await store.acquire({ issueId: 'other', agentId: 'agent:other', paths: ['src/a.ts'] });
  mine = await store.acquire({ issueId: 'mine', agentId: 'agent:claude', paths: ['src/c.ts'] });
});
afterEach(() => repo.cleanup());

describe('item 1: folders named without a trailing slash', () => {
  test.each([
    'rm -rf src',
    'rm -r src',
    'git checkout -- src',
    'git checkout HEAD -- src',
    'git restore src',
    'mv src src2',
    'cp docs/a.ts src',
    'chmod -R 600 src',
  ])('%s is refused, naming the held file', (cmd) => {
    const r = hook(cmd);
    expect(r.status).toBe(0);
    expect(r.deny, r.reason || r.message).toBe(true);
    expect(r.reason).toMatch(/held by lease .* of issue other/);
  });

  test('rm -rf <repo root> is refused: it holds the lease store', () => {
    const r = hook(`rm -rf ${repo.root}`);
    expect(r.deny).toBe(true);
    expect(r.reason).toMatch(/lease store|held by/);
  });

  test('a restore of a deleted folder is a folder too (leases below it)', () => {
    const r = hook('rm -f src/a.ts src/c.ts; rmdir src; git checkout -- src');
    expect(r.deny).toBe(true);
  });

  test('`jitp hook check src` and `src/` agree with the Bash answer', () => {
    for (const p of ['src', 'src/']) {
      const r = spawnSync(process.execPath, [DIST_JITP, 'hook', 'check', p, '--json'], {
        cwd: repo.root,
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      });
      expect(r.status, r.stdout + r.stderr).toBe(3);
      expect(JSON.parse(r.stdout).results[0].decision).toBe('deny');
    }
  });

  test("a bound sub-agent's rm -rf src is refused and its lease does not grow by `src`", () => {
    writeSubagentTranscript(
      transcripts,
      SESSION,
      'ag1',
      `${formatBindingLine(mine.id, mine.bindSecret!)}\nWork on mine.`,
    );
    const r = hook('rm -rf src', { agent_id: 'ag1', agent_type: 'general-purpose' });
    expect(r.deny).toBe(true);
    const l = snapshot().leases.find((x) => x.id === mine.id)!;
    expect(l.paths).toEqual(['src/c.ts']);
  });
});

describe('item 4: every input ends in a decision within the budget', () => {
  const deep = `echo ${'$('.repeat(1000)}x${')'.repeat(1000)}`;
  const large = `echo ${'a'.repeat(400 * 1024)}`;
  test.each([
    ['1000 nested $(', deep, /deeper than/],
    ['400 KB', large, /characters long/],
    ['unparsable', "echo 'unterminated", /quote/],
  ])('%s: the failure policy, with a message (open warns, closed refuses)', (_, cmd, why) => {
    const open = hook(cmd);
    expect(open.status).toBe(0);
    expect(open.message).toMatch(why);
    expect(open.ms).toBeLessThan(10_000);
    const closed = hook(cmd, {}, { JITP_HOOK_FAILURE: 'closed' });
    expect(closed.status).toBe(0);
    expect(closed.deny).toBe(true);
    expect(closed.reason).toMatch(why);
  });
});

describe('item 6: write forms that passed with no warning', () => {
  test.each([
    'pushd src && echo x > a.ts',
    'cd src; pushd /tmp; popd; echo x > a.ts',
    'eval "echo x > src/a.ts"',
    'cp -t src docs/a.ts',
    'mv -t src docs/a.ts',
    'mv --target-directory=src docs/a.ts',
    'ln -f docs/b.md src/a.ts',
    `awk 'BEGIN { print "x" > "src/a.ts" }'`,
    `awk '{ print >> "src/a.ts" }' docs/b.md`,
    `awk 'BEGIN { system("rm src/a.ts") }'`,
    `vim -c '%s/a/b/|wq' src/a.ts`,
    "ed -s src/a.ts <<'EOF'\n1d\nw\nEOF",
    'busybox sed -i s/a/b/ src/a.ts',
    'gzip src/a.ts',
    'cat <<EOF\n$(rm src/a.ts)\nEOF',
  ])('%s is refused', (cmd) => {
    const r = hook(cmd);
    expect(r.deny, r.message).toBe(true);
    expect(r.reason).toMatch(/src\/a\.ts/);
  });

  test('a hard link of a held file: refused through Write and through Bash', () => {
    linkSync(join(repo.root, 'src/a.ts'), join(repo.root, 'docs/link.ts'));
    const w = hook('', {
      tool_name: 'Write',
      tool_input: { file_path: join(repo.root, 'docs/link.ts'), content: 'x' },
    });
    expect(w.deny).toBe(true);
    expect(w.reason).toMatch(/hard link of src\/a\.ts/);
    expect(hook('echo x > docs/link.ts').deny).toBe(true);
  });

  test('inline interpreter code naming a held file: a visible warning naming it', () => {
    const r = hook(`python3 -c "open('src/a.ts', 'w').write('x')"`);
    expect(r.deny).toBe(false);
    expect(r.message).toMatch(/python3 -c.*src\/a\.ts/);
    const w = hook(`node -e "require('fs').writeFileSync(process.argv[1], 'x')" x`);
    expect(w.message).toMatch(/may write files.*src\/a\.ts/);
  });

  test('eval of a variable: a visible warning, not silence', () => {
    const r = hook('eval "$CMD"');
    expect(r.message).toMatch(/eval/);
  });

  test('read-only commands stay silent', () => {
    for (const cmd of [
      'git status && ls src',
      'python3 -c "print(1)"',
      'cat src/a.ts | wc -l',
      'pushd src; ls; popd',
    ]) {
      const r = hook(cmd);
      expect({ cmd, deny: r.deny, message: r.message }).toEqual({ cmd, deny: false, message: '' });
    }
  });
});

describe('item 9: the refusal reads right', () => {
  test('`>>` is an append, and the sentence is grammatical', () => {
    const r = hook('echo x >> src/a.ts');
    expect(r.reason).toMatch(/`>> \(append\)` would write src\/a\.ts, which is held by lease/);
    expect(hook('echo x > src/a.ts').reason).toMatch(/`> \(redirection\)` would write src\/a\.ts, which is held/);
  });
});
