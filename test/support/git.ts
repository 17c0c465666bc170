// Real git repositories in temp dirs for tests.
import { execFileSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdtempSync,
  mkdirSync,
  rmSync,
  writeFileSync,
  realpathSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

/** What makeRepo (and the demo fixture) append to a new repository's .git/config. */
export const TEST_REPO_CONFIG =
  '[user]\n\tname = Test\n\temail = test@example.com\n[commit]\n\tgpgsign = false\n[maintenance]\n\tauto = false\n';

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trimEnd();
}

export function tempDir(prefix = 'jitp-'): string {
  // Under vitest, inside the run's folder (test/support/templates-dir.ts), which the run removes at
  // its end: a worker is stopped without running its exit handlers, and folders made straight in
  // the system's temp folder were left there, hundreds per run. realpath: macOS /var ->
  // /private/var would otherwise differ from what git prints.
  const runDir = process.env.JITP_TEST_TEMPLATES;
  const parent = runDir && existsSync(runDir) ? runDir : tmpdir();
  return realpathSync(mkdtempSync(join(parent, prefix)));
}

export interface TempRepo {
  root: string;
  write(rel: string, content: string): void;
  commit(message: string): string;
  git(...args: string[]): string;
  /** Adds a linked worktree at <tmp>/<name> on a new branch and returns its path. */
  addWorktree(name: string, branch?: string): string;
  cleanup(): void;
}

export function makeRepo(files: Record<string, string> = { 'README.md': '# test\n' }): TempRepo {
  return copyOfTemplate(JSON.stringify(['makeRepo', files]), (repo) => {
    for (const [rel, content] of Object.entries(files)) repo.write(rel, content);
    repo.commit('initial');
  });
}

/**
 * A new repository in its own temp folder (<base>/repo), as `build` leaves a fresh `git init`;
 * the same `key` gives a copy of the same repository. The first call of a worker process builds it
 * once (git init, add, commit: ~0.1 s of CPU in 5 git processes), the next ones copy that folder
 * (~5 ms): the suite makes hundreds of these. A copy is the same repository: nothing in .git
 * names its folder (a template never has linked worktrees), git re-checks the copied files'
 * stat data against their content, and no test reads the initial commit's time.
 */
export function copyOfTemplate(key: string, build: (repo: TempRepo) => void): TempRepo {
  let template = templates.get(key);
  if (!template || !existsSync(template)) {
    const repo = repoAt(templateDir('jitp-template-'));
    git(repo.root, 'init', '-q', '-b', 'main');
    // Appended to the config `git init` wrote, instead of three `git config` processes.
    // maintenance.auto off: otherwise every commit and merge starts one more git process
    // (`git maintenance run --auto`, ~13 ms of CPU) that never has work in a repository this
    // small; nothing under test depends on it.
    appendFileSync(join(repo.root, '.git', 'config'), TEST_REPO_CONFIG);
    build(repo);
    template = repo.root;
    templates.set(key, template);
  }
  const repo = repoAt(tempDir());
  cpSync(template, repo.root, { recursive: true, verbatimSymlinks: true });
  return repo;
}

const templates = new Map<string, string>();
// Under vitest the templates live in the run's folder (test/support/templates-dir.ts), removed at
// its end; elsewhere they go with the process that made them.
process.once('exit', () => {
  for (const t of templates.values()) rmSync(dirname(t), { recursive: true, force: true });
});

/** A new folder for a template: in the run's templates folder when vitest made one (as tempDir). */
export const templateDir = (prefix: string): string => tempDir(prefix);

function repoAt(base: string): TempRepo {
  const root = join(base, 'repo');
  mkdirSync(root);
  return {
    root,
    write(rel, content) {
      const p = join(root, rel);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, content);
    },
    commit(message) {
      git(root, 'add', '-A');
      git(root, 'commit', '-q', '--allow-empty', '-m', message);
      return git(root, 'rev-parse', 'HEAD');
    },
    git: (...args) => git(root, ...args),
    addWorktree(name, branch = `wt-${name}`) {
      const p = join(base, name);
      git(root, 'worktree', 'add', '-q', '-b', branch, p);
      return p;
    },
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
