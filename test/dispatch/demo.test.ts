// `npm run demo` (the README's main-job command) runs to the end against the committed bundle
// and leaves a real commit, issues done and no lease behind.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from '../support/paths.js';
import { tempDir } from '../support/git.js';

test('npm run demo: plan, claims, prompts, stand-in edits, verify, done, one commit', () => {
  const base = tempDir('jitp-demo-test-');
  const dir = join(base, 'textkit');
  try {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/demo.mjs'), '--dir', dir], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, JIT_AGENT_ID: '' },
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const out = r.stdout;
    for (const s of [
      'jitp init',
      'jitp plan 3f2a 9c1d 77be',
      'jitp claim acquire 3f2a1b2c',
      'jitp prompt 3f2a1b2c',
      'binding line',
      'ONE message with 2 Agent tool calls',
      'scripted stand-in',
      'OK: nothing needs a human',
      'Demo complete.',
    ])
      expect(out, s).toContain(s);
    const git = (...a: string[]) => execFileSync('git', a, { cwd: dir, encoding: 'utf8' }).trim();
    // The fixture's commit, `jitp init`'s files, the batch.
    expect(git('rev-list', '--count', 'HEAD')).toBe('3');
    // (the fixture's .gitattributes already has the union merge line)
    expect(git('show', '--name-only', '--format=', 'HEAD~1').split('\n').sort()).toEqual([
      '.claude/settings.json',
      '.jit-parallel.yaml',
    ]);
    expect(git('show', '--name-only', '--format=', 'HEAD').split('\n').sort()).toEqual([
      '.jit/events.jsonl',
      '.jit/issues/3f2a1b2c-5d4e-4f60-8a7b-9c0d1e2f3a4b.json',
      '.jit/issues/9c1d0e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f.json',
      'src/slugify.js',
      'src/wordcount.js',
      'test/slugify.test.js',
      'test/wordcount.test.js',
    ]);
    expect(git('log', '-1', '--format=%B')).toMatch(
      new RegExp(
        String.raw`^jit: .*\n\n- slugify: .* \(3f2a1b2c\)\n- wordCount: .* \(9c1d0e0f\)\n\n` +
          String.raw`jit: 3f2a1b2c 9c1d0e0f\n\nCo-Authored-By: `,
      ),
    );
    const state = (id: string) => JSON.parse(readFileSync(join(dir, '.jit/issues', `${id}.json`), 'utf8')).state;
    expect(state('3f2a1b2c-5d4e-4f60-8a7b-9c0d1e2f3a4b')).toBe('done');
    expect(state('77be4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d')).toBe('ready');
    expect(
      spawnSync(process.execPath, [join(ROOT, 'dist/jitp.mjs'), 'claim', 'list', '--json'], {
        cwd: dir,
        encoding: 'utf8',
      }).stdout,
    ).toMatch(/"leases": \[\]/);
    // The stand-in's fixes really pass the example's tests.
    expect(spawnSync('npm', ['test'], { cwd: dir, encoding: 'utf8' }).status).toBe(0);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});
