// Minimal issue lookup for worktree mode: the jit store (`.jit/issues/<uuid>.json`, unique
// prefix of 4+ chars) or issues already in the batch (`jitp batch load`). Only the fields
// worktree mode needs: id, title (branch slug), dependencies (merge order).
// TODO(h/plan): switch to src/sources once it lands, so task files resolve the same way.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, JitpError } from '../core/errors.js';
import type { Batch } from './batch.js';

export interface IssueInfo {
  id: string;
  title: string;
  dependencies: string[];
  instructions: string | null;
  files: string[];
}

export function resolveIssue(root: string, query: string, batch?: Batch): IssueInfo {
  const q = query.trim().toLowerCase();
  if (!q || /[\0\n/\\]/.test(q)) {
    throw new JitpError('E_BAD_ID', EXIT.USAGE, `invalid issue id: ${JSON.stringify(query)}`, { hint: 'pass a jit id (4+ hex chars) or a task id from the batch' });
  }
  const inBatch = batch?.issues.filter((i) => i.id.toLowerCase() === q || i.id.toLowerCase().startsWith(q) || i.short === q) ?? [];
  if (inBatch.length === 1) {
    const i = inBatch[0]!;
    return { id: i.id, title: i.title, dependencies: i.dependencies, instructions: i.instructions, files: i.files };
  }
  const dir = join(root, '.jit', 'issues');
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    /* no jit store */
  }
  const hits = q.length >= 4 ? names.filter((n) => n.toLowerCase().startsWith(q)) : [];
  if (hits.length > 1) {
    throw new JitpError('E_AMBIGUOUS', EXIT.NOT_FOUND, `ambiguous issue id ${query}: matches ${hits.slice(0, 5).map((h) => h.slice(0, 8)).join(', ')}`, {
      hint: 'type more characters of the id',
    });
  }
  if (hits.length === 1) {
    const file = join(dir, hits[0]!);
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new JitpError('E_ISSUE_CORRUPT', EXIT.USAGE, `cannot read ${file}: ${(e as Error).message}`, { hint: `fix the JSON in ${file}` });
    }
    return {
      id: String(data.id ?? hits[0]!.replace(/\.json$/, '')),
      title: typeof data.title === 'string' ? data.title : '',
      dependencies: Array.isArray(data.dependencies) ? data.dependencies.map(String) : [],
      instructions: typeof data.description === 'string' ? data.description : null,
      files: [],
    };
  }
  if (inBatch.length > 1) {
    throw new JitpError('E_AMBIGUOUS', EXIT.NOT_FOUND, `ambiguous issue id ${query}`, { hint: 'type more characters of the id' });
  }
  throw new JitpError('E_UNKNOWN_ISSUE', EXIT.NOT_FOUND, `unknown issue ${query}: not in .jit/issues/ nor in the batch`, {
    hint: 'check the id with `jit query available`, or load tasks with `jitp batch load <file>`',
  });
}
