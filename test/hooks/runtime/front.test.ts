// dist/hook.cjs (what hooks.json runs) answers the no-lease case itself and hands every other
// case to dist/hook.mjs; both must give the same answers.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { DIST_HOOK, DIST_HOOK_ESM, DIST_JITP } from '../../support/paths.js';
import { makeRepo, tempDir } from '../../support/git.js';

const repo = makeRepo({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
afterAll(() => repo.cleanup());

const payload = (file: string) =>
  JSON.stringify({
    session_id: 's1',
    transcript_path: join(repo.root, 't.jsonl'),
    cwd: repo.root,
    hook_event_name: 'PreToolUse',
    tool_name: 'Write',
    tool_input: { file_path: join(repo.root, file), content: 'x' },
    tool_use_id: 'tu1',
  });
const runHook = (bundle: string, input: string) =>
  spawnSync(process.execPath, [bundle, 'pre-tool-use'], { input, cwd: repo.root, encoding: 'utf8' });

test('front door and ESM hook agree: silent without leases, the same deny with one', () => {
  for (const bundle of [DIST_HOOK, DIST_HOOK_ESM]) {
    const r = runHook(bundle, payload('a.txt'));
    expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
  }
  const acq = spawnSync(
    process.execPath,
    [DIST_JITP, 'claim', 'acquire', 'T-1', '--paths', 'a.txt', '--agent', 'agent:other'],
    {
      cwd: repo.root,
      encoding: 'utf8',
    },
  );
  expect(acq.status, acq.stderr).toBe(0);
  const viaFront = runHook(DIST_HOOK, payload('a.txt'));
  const viaEsm = runHook(DIST_HOOK_ESM, payload('a.txt'));
  expect(viaFront.status).toBe(0);
  expect(JSON.parse(viaFront.stdout).hookSpecificOutput.permissionDecision).toBe('deny');
  expect(viaFront.stdout).toBe(viaEsm.stdout);
  // A free file while a lease is live: handed over, still silent.
  expect(runHook(DIST_HOOK, payload('b.txt')).stdout).toBe('');
});

test('front door whose ESM hook is missing fails open visibly, never exit 1', () => {
  const dir = join(tempDir('jitp-front-'), 'dist');
  mkdirSync(dir);
  copyFileSync(DIST_HOOK, join(dir, 'hook.cjs'));
  const r = runHook(join(dir, 'hook.cjs'), 'not json');
  expect(r.status).toBe(0);
  expect(JSON.parse(r.stdout).systemMessage).toMatch(/hook failed to load/);
});
