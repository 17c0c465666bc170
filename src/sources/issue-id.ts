// The one id rule per checkout, for commands that take an issue id without reading the issues
// (claims): a jit uuid or unique prefix with a jit store, a GitHub number with the GitHub source,
// else a free-form id. Cheap: a directory listing at most, never the network.
import { canonicalIssueId, validateIssueId } from '../core/issue-ids.js';
import { sourceKind, type OpenSourceOptions } from './detect.js';
import { githubIssueNumber } from './github-map.js';
import { listJitIssueIds } from './jit-ids.js';

export function issueIdRule(o: Pick<OpenSourceOptions, 'root' | 'config' | 'env'>): (input: string) => string {
  if (sourceKind(o) === 'github') {
    if (o.config.source === 'github') return githubIssueNumber;
    // Picked by `auto` (a GitHub origin and gh installed): `#12` and `12` are still one id, but a
    // batch list's free-form ids (`jitp batch load`) keep working, since claims never ask GitHub.
    return (input) => (/^\s*#?\d+\s*$/.test(input) ? githubIssueNumber(input) : validateIssueId(input));
  }
  let uuids: string[] | undefined | null = null;
  return (input) => canonicalIssueId(input, uuids === null ? (uuids = listJitIssueIds(o.root)) : uuids);
}
