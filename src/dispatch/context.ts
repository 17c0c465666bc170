// Issue lookup for the dispatch commands (the repository, config, store and source come from
// src/workspace, the one door).
import type { Issue, IssueSource } from '../sources/types.js';

/** Resolves each id (prefix, short id) once; duplicates after resolution collapse. */
export function resolveIssues(source: IssueSource, ids: string[]): Issue[] {
  const out = new Map<string, Issue>();
  for (const id of ids) {
    const issue = source.get(id);
    out.set(issue.id, issue);
  }
  return [...out.values()];
}
