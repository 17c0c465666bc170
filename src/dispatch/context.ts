// What every dispatch command opens: the repository, its config, its issue source.
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { RepoLocation } from '../git/discover.js';
import { openIssueSource } from '../sources/detect.js';
import type { Issue, IssueSource } from '../sources/types.js';
import { requireRepo } from '../cli/repo.js';

export interface DispatchContext {
  repo: RepoLocation;
  root: string;
  config: Config;
  source: IssueSource;
}

export function openDispatch(cwd: string, env: NodeJS.ProcessEnv): DispatchContext {
  const repo = requireRepo(cwd);
  const { config } = loadConfig(repo.worktreeRoot, env);
  const source = openIssueSource({ root: repo.worktreeRoot, config, cwd, env });
  return { repo, root: repo.worktreeRoot, config, source };
}

/** Resolves each id (prefix, short id) once; duplicates after resolution collapse. */
export function resolveIssues(source: IssueSource, ids: string[]): Issue[] {
  const out = new Map<string, Issue>();
  for (const id of ids) {
    const issue = source.get(id);
    out.set(issue.id, issue);
  }
  return [...out.values()];
}
