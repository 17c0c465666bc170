// Picks the issue source: `--batch <file>` wins, then config `source`; `auto` takes the jit
// store when `.jit/issues` exists, else the task folder when it exists, else GitHub issues when
// the origin remote is on GitHub and `gh` is installed, else task files.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, isAbsolute, join, relative, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { JitpError } from '../platform/errors.js';
import { BatchListSource } from './batch.js';
import { GithubSource } from './github.js';
import { JitSource } from './jit.js';
import { TaskFileSource } from './tasks.js';
import type { IssueSource } from './types.js';

export interface OpenSourceOptions {
  root: string;
  config: Pick<Config, 'source' | 'tasksDir'> & Partial<Pick<Config, 'github'>>;
  /** `--batch <file>`, relative to cwd. */
  batch?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

export type SourceKind = 'jit' | 'tasks' | 'github';

/** True when an executable `name` is on PATH (no spawn: detection must stay cheap). */
export function onPath(name: string, env: NodeJS.ProcessEnv): boolean {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** The origin remote's URL names GitHub (github.com, or the host in GH_HOST for GitHub Enterprise). */
export function isGithubRemote(url: string, env: NodeJS.ProcessEnv): boolean {
  const hosts = ['github.com', ...(env.GH_HOST ? [env.GH_HOST.toLowerCase()] : [])];
  const m = /^(?:[a-z+]+:\/\/)?(?:[^@/]+@)?([^/:]+)[:/]/i.exec(url.trim());
  return !!m && hosts.includes(m[1]!.toLowerCase());
}

function originUrl(root: string, env: NodeJS.ProcessEnv): string | null {
  const r = spawnSync('git', ['config', '--get', 'remote.origin.url'], { cwd: root, env, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() || null : null;
}

/** Which source `config.source` means for this checkout (no network, at most one `git config`). */
export function sourceKind(o: Pick<OpenSourceOptions, 'root' | 'config' | 'env'>): SourceKind {
  if (o.config.source !== 'auto') return o.config.source;
  if (existsSync(join(o.root, '.jit', 'issues'))) return 'jit';
  if (existsSync(join(o.root, o.config.tasksDir))) return 'tasks';
  const env = o.env ?? process.env;
  if (onPath('gh', env)) {
    const url = originUrl(o.root, env);
    if (url && isGithubRemote(url, env)) return 'github';
  }
  return 'tasks';
}

export function openIssueSource(o: OpenSourceOptions): IssueSource {
  if (o.batch) {
    const abs = resolve(o.cwd ?? o.root, o.batch);
    const rel = relative(o.root, abs);
    return new BatchListSource(abs, rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : abs);
  }
  const kind = sourceKind(o);
  if (kind === 'github') {
    return new GithubSource({
      cwd: o.root,
      env: o.env ?? process.env,
      repo: o.config.github?.repo ?? null,
      limit: o.config.github?.limit ?? 500,
    });
  }
  if (kind === 'jit') {
    if (o.config.source === 'jit' && !existsSync(join(o.root, '.jit', 'issues'))) {
      throw new JitpError(
        'E_NO_SOURCE',
        `config says source: jit but ${join(o.root, '.jit', 'issues')} does not exist`,
        {
          hint: 'run `jit init`, or set `source: tasks` (or `auto`) in .jit-parallel.yaml',
        },
      );
    }
    return new JitSource(o.root);
  }
  const dir = o.config.tasksDir.replace(/\\/g, '/').replace(/\/+$/, '');
  if (isAbsolute(dir) || dir.split('/').includes('..')) {
    throw new JitpError('E_CONFIG', `tasksDir must be a folder inside the repository, got ${o.config.tasksDir}`, {
      hint: 'set `tasksDir: .jit-parallel/tasks` in .jit-parallel.yaml',
    });
  }
  return new TaskFileSource(o.root, dir);
}
