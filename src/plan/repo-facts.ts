// The planner's only git adapter: tracked files, bounded history, one batched git grep.
// Three git processes, run concurrently; everything after this is pure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitFailure, type GitResult, type GitTask } from '../platform/git.js';
import { parseGrep, parseLog } from './grep-parse.js';
import type { RepoFacts } from './types.js';

export type GitRun = GitResult;

/**
 * A read-only scan: paths unquoted (core.quotePath=false), and no optional locks, so a scan
 * running beside an agent's `git commit` never takes the index lock from it.
 */
const scan = (args: string[], input?: string): GitTask<GitResult> => ({
  args: ['-c', 'core.quotePath=false', ...args],
  env: { GIT_OPTIONAL_LOCKS: '0' },
  ...(input !== undefined ? { input } : {}),
  parse: (r) => r,
});

const scanGit = (cwd: string, args: string[], input?: string): Promise<GitRun> => git(cwd, scan(args, input));

const fail = (what: string, r: GitRun, root: string) =>
  gitFailure([what], root, r, `run \`git -C ${root} status\` to see what is wrong with the repository`);

/** Pathspecs excluding the configured ignore globs from grep. */
const excludes = (ignore: string[]) => ignore.map((g) => `:(exclude,glob)${g}`);

/** Lines per file in the grep output: enough to count uses, bounded on huge files. */
export const GREP_MAX_PER_FILE = 200;

export function grepArgs(ignore: string[]): string[] {
  return [
    'grep',
    '-I',
    '-w',
    '-F',
    '-z',
    '--no-color',
    '--no-recurse-submodules',
    '-m',
    String(GREP_MAX_PER_FILE),
    '-f',
    '-',
    '--',
    '.',
    ...excludes(ignore),
  ];
}

export function logArgs(depth: number): string[] {
  // The message too: similar past changes are found by it (similar.ts). NUL cannot occur in it.
  return ['log', '--no-merges', '--no-renames', `-n${depth}`, '--name-only', '--format=%x1e%H%x00%B%x00'];
}

/** Tracked files and history do not depend on the issues: start them while the source loads. */
export interface StartedGit {
  ls: Promise<GitRun>;
  log: Promise<GitRun>;
  t0: number;
  timings: Record<string, number>;
}

export function startRepoScan(root: string, opts: { historyDepth: number }): StartedGit {
  const t0 = performance.now();
  const timings: Record<string, number> = {};
  const timed = (name: string, p: Promise<GitRun>) => p.then((v) => ((timings[name] = performance.now() - t0), v));
  return {
    t0,
    timings,
    ls: timed('ls-files', scanGit(root, ['ls-files', '-z'])),
    log:
      opts.historyDepth > 0
        ? timed('log', scanGit(root, logArgs(opts.historyDepth)))
        : Promise.resolve({ stdout: '', code: 0, stderr: '' }),
  };
}

export async function gatherFacts(
  root: string,
  identifiers: string[],
  opts: { historyDepth: number; ignore: string[] },
  started: StartedGit = startRepoScan(root, opts),
): Promise<RepoFacts & { timings: Record<string, number> }> {
  const { timings, t0 } = started;
  const ids = [...new Set(identifiers)].filter((s) => /^[A-Za-z_$][\w$]*$/.test(s)).sort();
  const grepP = ids.length
    ? scanGit(root, grepArgs(opts.ignore), ids.join('\n') + '\n').then(
        (v) => ((timings.grep = performance.now() - t0), v),
      )
    : Promise.resolve({ stdout: '', code: 1, stderr: '' });
  const [ls, log, grep] = await Promise.all([started.ls, started.log, grepP]);
  if (ls.code !== 0) throw fail('ls-files', ls, root);
  // An empty repository has no HEAD: no history is not an error.
  if (log.code !== 0 && !/does not have any commits|bad default revision/.test(log.stderr))
    throw fail('log', log, root);
  if (grep.code > 1) throw fail('grep', grep, root);
  let npmScripts: Set<string> | null = null;
  let binNames: string[] = [];
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      name?: string;
      scripts?: Record<string, unknown>;
      bin?: unknown;
    };
    npmScripts = new Set(Object.keys(pkg.scripts ?? {}));
    if (typeof pkg.bin === 'string' && pkg.name) binNames = [pkg.name.replace(/^@[^/]+\//, '')];
    else if (pkg.bin && typeof pkg.bin === 'object') binNames = Object.keys(pkg.bin);
  } catch {
    npmScripts = null;
  }
  const t1 = performance.now();
  const facts = {
    files: ls.stdout.split('\0').filter((f) => f.length > 0),
    commits: log.code === 0 ? parseLog(log.stdout) : [],
    grep: parseGrep(grep.stdout, new Set(ids)),
    npmScripts,
    binNames,
  };
  timings.parse = performance.now() - t1;
  return { ...facts, timings };
}
