// Picks the issue source: `--batch <file>` wins, then config `source`; `auto` takes the jit
// store when `.jit/issues` exists, else task files.
import { existsSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import { JitpError } from '../platform/errors.js';
import { BatchListSource } from './batch.js';
import { JitSource } from './jit.js';
import { TaskFileSource } from './tasks.js';
import type { IssueSource } from './types.js';

export interface OpenSourceOptions {
  root: string;
  config: Pick<Config, 'source' | 'tasksDir'>;
  /** `--batch <file>`, relative to cwd. */
  batch?: string;
  cwd?: string;
}

export function openIssueSource(o: OpenSourceOptions): IssueSource {
  if (o.batch) {
    const abs = resolve(o.cwd ?? o.root, o.batch);
    const rel = relative(o.root, abs);
    return new BatchListSource(abs, rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split('\\').join('/') : abs);
  }
  const kind =
    o.config.source === 'auto' ? (existsSync(join(o.root, '.jit', 'issues')) ? 'jit' : 'tasks') : o.config.source;
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
