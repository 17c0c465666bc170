// The checks every reader of the store's files shares (state.json, state.delta.json): what a
// valid lease is, and the error a damaged file gets. Imports nothing heavy: it is on the hooks' path.
import { JitpError } from '../../platform/errors.js';
import { isInt } from './state-format.js';

export function corrupt(file: string, why: string): JitpError {
  const name = file.slice(file.lastIndexOf('/') + 1) || 'state.json';
  return new JitpError('E_STORE_CORRUPT', `the lease store state ${file} is corrupt: ${why}`, {
    hint:
      'run `jitp doctor --repair` to rebuild it from the event log (the damaged file is kept as ' +
      `${name}.corrupt-<time>)`,
    details: { file },
  });
}

export const isStr = (x: unknown): x is string => typeof x === 'string';
export { isInt };

/** Validates a parsed lease; returns the reason it is invalid. */
export function leaseProblem(l: unknown): string | undefined {
  if (!l || typeof l !== 'object' || Array.isArray(l)) return 'not an object';
  const x = l as Record<string, unknown>;
  if (!isStr(x.id) || !x.id) return 'missing id';
  if (!isStr(x.issueId) || !x.issueId) return 'missing issueId';
  if (!isStr(x.agentId) || !x.agentId) return 'missing agentId';
  if (!Array.isArray(x.paths) || !x.paths.every(isStr)) return 'paths is not a list of strings';
  if (!isInt(x.ttlSecs)) return 'bad ttlSecs';
  for (const k of ['acquiredAt', 'renewedAt', 'expiresAt'] as const)
    if (!isStr(x[k]) || Number.isNaN(Date.parse(x[k] as string))) return `bad ${k}`;
  if (!isInt(x.token)) return 'bad token';
  if (x.worktree !== null && x.worktree !== undefined && !isStr(x.worktree)) return 'bad worktree';
  if (x.branch !== null && x.branch !== undefined && !isStr(x.branch)) return 'bad branch';
  if (x.bindSecret !== undefined && !isStr(x.bindSecret)) return 'bad bindSecret';
  if (x.meta !== undefined && (typeof x.meta !== 'object' || x.meta === null || Array.isArray(x.meta)))
    return 'bad meta';
  return undefined;
}
