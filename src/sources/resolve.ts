// Id lookup for sources, on top of the shared resolver in core/issue-ids (jit: unique uuid
// prefix of 4+ chars; task files and batch lists: the exact free-form id).
import { JitpError } from '../platform/errors.js';
import { resolveIssueId, validateIssueId } from '../core/issue-ids.js';
import type { Issue } from './types.js';

export function resolveJit(items: readonly Issue[], query: string): Issue {
  const id = resolveIssueId(
    query,
    items.map((i) => i.id),
  );
  return items.find((i) => i.id === id)!;
}

export function resolveExact(items: readonly Issue[], query: string, where: string): Issue {
  const q = validateIssueId(query.trim());
  const hit = items.find((i) => i.id === q) ?? items.find((i) => i.id.toLowerCase() === q.toLowerCase());
  if (hit) return hit;
  throw new JitpError('E_NOT_FOUND', `no task ${JSON.stringify(query)} in ${where} (${items.length} tasks)`, {
    hint: 'run `jitp issues` to list ids',
    details: { input: query },
  });
}
