// Past issues end to end: a real repository with a jit store whose done issues are named by
// commits; `jitp plan --batch` (another source) still learns from the store's issues.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { run } from '../../src/cli/main.js';
import { makeRepo, type TempRepo } from '../support/git.js';

const U1 = 'a1b2c3d4-0000-4000-8000-000000000001';
const U2 = 'b2c3d4e5-0000-4000-8000-000000000002';
const U3 = 'c3d4e5f6-0000-4000-8000-000000000003';
const issue = (id: string, title: string, description: string) =>
  JSON.stringify({ id, title, description, state: 'done', priority: 'normal', dependencies: [] });

describe('jitp plan learns from past issues in the jit store', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = makeRepo({ 'src/claims.rs': '// claims\n', 'src/main.rs': 'fn main() {}\n', 'web/graph.tsx': '//\n' });
    repo.write(`.jit/issues/${U1}.json`, issue(U1, 'Claims: add a timeout', 'Expire claims after a while.'));
    repo.write(`.jit/issues/${U2}.json`, issue(U2, 'Claims: release every claim of an agent', 'Bulk release.'));
    repo.write(`.jit/issues/${U3}.json`, issue(U3, 'Graph view: zoom buttons', 'Zoom in the web UI.'));
    repo.commit('import the store');
    // The commits name the issues only by id: the words that match come from the issues' text.
    repo.write('src/claims.rs', '// claims v2\n');
    repo.write('src/main.rs', 'fn main() { 2 }\n');
    repo.commit('work\n\njit: a1b2c3d4');
    repo.write('src/claims.rs', '// claims v3\n');
    repo.commit('more work (b2c3d4e5)');
    repo.write('web/graph.tsx', '// zoom\n');
    repo.commit('Fixes the zoom\n\njit: c3d4e5f6');
  });
  afterAll(() => repo.cleanup());

  it('predicts the file the nearest past issues changed, with its reason, and lists likely files', async () => {
    const list = join(repo.root, '..', 'batch.yaml');
    writeFileSync(list, stringify({ tasks: [{ id: 'n1', title: 'Claims: renew a claim before it expires' }] }));
    let out = '';
    let err = '';
    const code = await run(['plan', '--batch', list, '--json', '-C', repo.root], {
      stdout: (s) => (out += s),
      stderr: (s) => (err += s),
      env: { ...process.env, JITP_CONFIG: '' },
      cwd: repo.root,
      interactive: false,
    });
    expect(err).not.toMatch(/error/i);
    expect(code).toBe(0);
    const plan = JSON.parse(out) as {
      issues: Array<{ predicted: Array<{ path: string; kind: string; reason: string }>; likely: unknown[] }>;
    };
    const got = plan.issues[0]!;
    expect(got.predicted.find((p) => p.path === 'src/claims.rs')).toMatchObject({ kind: 'past-issue' });
    expect(got.predicted.find((p) => p.path === 'src/claims.rs')!.reason).toMatch(/past issues \(e\.g\. "Claims: /);
    expect(got.predicted.some((p) => p.path === 'web/graph.tsx')).toBe(false);
    expect(got.likely).toContainEqual({ path: 'src/claims.rs', p: 1 });
    // The store's own files are bookkeeping, never predicted.
    expect(got.predicted.some((p) => p.path.startsWith('.jit/'))).toBe(false);
  });
});
