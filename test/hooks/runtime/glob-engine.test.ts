// The edit hook matches lease globs with the tiny matcher (core/glob-simple.ts) and loads
// picomatch (dist/lazy/globs.cjs) only for a glob the tiny one cannot decide
// (hooks/runtime/glob-engine.ts). Through the real bundle, on a small store (parsed whole) and a
// large one (answered through its index): every answer must be right, and picomatch must load
// exactly when a glob it alone can decide bears on the path asked.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as rules from '../../../src/core/lease-rules.js';
import type { StoreSnapshot } from '../../../src/core/model.js';
import { VIEW_MIN_BYTES } from '../../../src/hooks/runtime/store-access.js';
import { writeStateFile } from '../../../src/store/local/state-write.js';
import { makeRepo, tempDir, type TempRepo } from '../../support/git.js';
import { DIST_HOOK } from '../../support/paths.js';

const GLOBS = ['lib/**', 'cfg/*', 'sec/**/secret.json', 'gen/*.out', 'src/[ab].ts', 'docs/{x,y}.md', 'n/?.ts'];
// [path edited, denied, picomatch needed]
const CASES: [string, boolean, boolean][] = [
  ['lib/x/y.ts', true, false],
  ['lib', true, false],
  ['libx/y.ts', false, false],
  ['cfg/.env', true, false],
  ['cfg/sub/x.ts', false, false],
  ['sec/a/b/secret.json', true, false],
  ['sec/secret.json', true, false],
  ['sec/a/secret.json.bak', false, false],
  ['gen/a.out', true, false],
  ['gen/a.out.txt', false, false],
  ['free/a.ts', false, false],
  ['src/a.ts', true, true],
  ['src/c.ts', false, true],
  ['docs/y.md', true, true],
  ['docs/z.md', false, true],
  ['n/q.ts', true, true],
  ['n/qq.ts', false, true],
];

let repo: TempRepo;
let recorder: string;
const stores: Record<'small' | 'large', StoreSnapshot> = {} as never;

beforeAll(() => {
  repo = makeRepo({ 'README.md': '#\n' });
  const now = Date.now();
  let s = rules.emptySnapshot();
  GLOBS.forEach((g, i) => {
    s = rules.acquire(
      s,
      { issueId: `g-${i}`, agentId: 'agent:other', paths: [g], ttlSecs: 3600 },
      { nowMs: now },
    ).snapshot;
  });
  stores.small = s;
  for (let i = 0; i < 400; i++)
    s = rules.acquire(
      s,
      {
        issueId: `fill-${i}`,
        agentId: 'agent:filler',
        paths: [`pkg${i}/src/one.ts`, `pkg${i}/src/two.ts`],
        ttlSecs: 3600,
      },
      { nowMs: now },
    ).snapshot;
  stores.large = s;
  // Lists the hook's loaded files at exit, to see whether picomatch's bundle was required.
  recorder = join(tempDir('jitp-rec-'), 'rec.cjs');
  writeFileSync(
    recorder,
    "process.on('exit',()=>require('fs').writeSync(2,'\\nLOADED '+JSON.stringify(Object.keys(require.cache))+'\\n'));",
  );
});
afterAll(() => repo.cleanup());

function hook(file: string): { out: string; loaded: string[] } {
  const payload = {
    session_id: 'sess-glob',
    transcript_path: join(repo.root, '.t', 'sess-glob.jsonl'),
    cwd: repo.root,
    hook_event_name: 'PreToolUse',
    tool_name: 'Edit',
    tool_input: { file_path: join(repo.root, file), old_string: 'a', new_string: 'b' },
    tool_use_id: 'toolu_1',
  };
  const r = spawnSync(process.execPath, ['-r', recorder, DIST_HOOK, 'pre-tool-use'], {
    input: JSON.stringify(payload),
    encoding: 'utf8',
    cwd: repo.root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  expect(r.status, r.stderr).toBe(0);
  const m = /LOADED (.*)/.exec(r.stderr);
  return { out: r.stdout.trim(), loaded: JSON.parse(m![1]!) as string[] };
}

describe.each(['small', 'large'] as const)('%s store', (size) => {
  beforeAll(() => {
    const dir = join(repo.root, '.git', 'jit-parallel');
    mkdirSync(dir, { recursive: true });
    writeStateFile(dir, { ...stores[size], logSize: 0 });
  });

  test('the store is the size the case is about', () => {
    const big = JSON.stringify(stores[size]).length >= VIEW_MIN_BYTES;
    expect(big).toBe(size === 'large');
  });

  test.each(CASES)('edit %s: denied %s, picomatch loaded %s', (file, denied, needsFull) => {
    const { out, loaded } = hook(file);
    if (denied) expect(JSON.parse(out).hookSpecificOutput.permissionDecision).toBe('deny');
    else expect(out).toBe('');
    expect(loaded.some((f) => f.endsWith('/lazy/globs.cjs'))).toBe(needsFull);
    expect(loaded.some((f) => f.endsWith('/lazy/large-store.cjs'))).toBe(size === 'large');
  });
});
