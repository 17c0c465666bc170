// Issue lookup for worktree mode: issues already in the batch first (`jitp batch load`), then
// the repository's issue source (src/sources: jit store or task files). Only the fields
// worktree mode needs: id, title (branch slug), dependencies (merge order), text, files.
import type { Config } from '../config/schema.js';
import { JitpError } from '../platform/errors.js';
import { openIssueSource } from '../sources/detect.js';
import type { Issue } from '../sources/types.js';
import type { Batch } from './batch.js';

export interface IssueInfo {
  id: string;
  title: string;
  dependencies: string[];
  instructions: string | null;
  files: string[];
}

export const infoOf = (i: Issue): IssueInfo => ({
  id: i.id,
  title: i.title,
  dependencies: i.dependencies,
  instructions: i.description || null,
  files: i.declaredFiles,
});

export function resolveIssue(
  root: string,
  config: Config,
  query: string,
  batch?: Batch,
  env?: NodeJS.ProcessEnv,
): IssueInfo {
  const q = query.trim().toLowerCase();
  if (!q || /[\0\n]/.test(q)) {
    throw new JitpError('E_BAD_ID', `invalid issue id: ${JSON.stringify(query)}`, {
      hint: 'pass a jit id (4+ hex chars) or a task id',
    });
  }
  const inBatch = batch?.issues.filter((i) => i.id.toLowerCase() === q || i.short === q) ?? [];
  const prefixed = inBatch.length
    ? inBatch
    : (batch?.issues.filter((i) => q.length >= 4 && i.id.toLowerCase().startsWith(q)) ?? []);
  if (prefixed.length === 1) {
    const i = prefixed[0]!;
    return { id: i.id, title: i.title, dependencies: i.dependencies, instructions: i.instructions, files: i.files };
  }
  return infoOf(openIssueSource({ root, config, ...(env ? { env } : {}) }).get(query.trim()));
}
