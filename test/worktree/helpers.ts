// Shared helpers for worktree-mode tests: a real repo with issues as task ids, and the
// in-process CLI.
import { run } from '../../src/cli/main.js';
import { copyOfTemplate, type TempRepo } from '../support/git.js';
import { GIT_ENV } from '../support/git.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  json: any;
}

export async function jitp(cwd: string, argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: { ...process.env, ...GIT_ENV, ...env },
    cwd,
    interactive: false,
  });
  let json: any;
  if (argv.includes('--json')) {
    try {
      json = JSON.parse(stdout);
    } catch {
      json = undefined;
    }
  }
  return { code, stdout, stderr, json };
}

/** A repo with a jit store holding the given issues (uuid -> title, deps). */
export function repoWithIssues(
  issues: Array<{ id: string; title: string; dependencies?: string[] }>,
  files: Record<string, string> = {},
): TempRepo {
  // Built once per worker for the same issues and files, then copied (test/support/git.ts).
  return copyOfTemplate(JSON.stringify(['repoWithIssues', issues, files]), (repo) => {
    for (const [rel, content] of Object.entries({
      'README.md': '# test\n',
      'src/a.txt': 'a1\na2\na3\n',
      'src/b.txt': 'b1\nb2\nb3\n',
      ...files,
    }))
      repo.write(rel, content);
    repo.commit('initial');
    mkdirSync(join(repo.root, '.jit', 'issues'), { recursive: true });
    for (const i of issues) {
      writeFileSync(
        join(repo.root, '.jit', 'issues', `${i.id}.json`),
        JSON.stringify(
          {
            id: i.id,
            title: i.title,
            description: `do ${i.title}`,
            state: 'ready',
            priority: 'normal',
            assignee: null,
            dependencies: i.dependencies ?? [],
            labels: [],
          },
          null,
          2,
        ),
      );
    }
    repo.commit('issues');
  });
}

export const U1 = '11111111-aaaa-4aaa-8aaa-000000000001';
export const U2 = '22222222-bbbb-4bbb-8bbb-000000000002';
export const U3 = '33333333-cccc-4ccc-8ccc-000000000003';
