// The one rule every file-based source applies: the first file to claim an id wins, later ones
// are reported (never silently merged), and issues come out in id order.
import type { Issue, SourceProblem } from './types.js';

export function addUnique(
  issues: Issue[],
  problems: SourceProblem[],
  seen: Map<string, string>,
  issue: Issue,
  file: string,
): void {
  const dup = seen.get(issue.id);
  if (dup !== undefined) {
    problems.push({ file, message: `duplicate id ${issue.id} (also in ${dup}); skipped`, loaded: false });
    return;
  }
  seen.set(issue.id, file);
  issues.push(issue);
}

export const byId = (a: Issue, b: Issue): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
