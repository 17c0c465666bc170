// The one id rule per checkout, for commands that take an issue id without reading the issues
// (claims): a jit uuid or unique prefix with a jit store, a GitHub number with the GitHub source,
// else a free-form id. Cheap: a directory listing at most, never the network.
import { canonicalIssueId } from '../core/issue-ids.js';
import { sourceKind, type OpenSourceOptions } from './detect.js';
import { githubIssueNumber } from './github-map.js';
import { listJitIssueIds } from './jit-ids.js';

export function issueIdRule(o: Pick<OpenSourceOptions, 'root' | 'config' | 'env'>): (input: string) => string {
  if (sourceKind(o) === 'github') return githubIssueNumber;
  let uuids: string[] | undefined | null = null;
  return (input) => canonicalIssueId(input, uuids === null ? (uuids = listJitIssueIds(o.root)) : uuids);
}
