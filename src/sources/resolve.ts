// Id lookup shared by every source: exact id, exact short id, then unique prefix.
// TODO(store): swap for src/core/issue-ids.ts once h/store lands it.
import { EXIT, JitpError } from '../core/errors.js';

export interface Resolvable {
  id: string;
  shortId: string;
}

export function resolveAmong<T extends Resolvable>(items: readonly T[], query: string, minPrefix: number, where: string): T {
  const q = query.trim().toLowerCase();
  if (!q) throw new JitpError('E_ISSUE_ID', EXIT.USAGE, 'empty issue id', { hint: 'run `jitp issues` to list ids' });
  const exact = items.find((i) => i.id.toLowerCase() === q || i.shortId.toLowerCase() === q);
  if (exact) return exact;
  if (q.length < minPrefix) {
    throw new JitpError('E_ISSUE_ID', EXIT.NOT_FOUND, `issue id prefix too short: ${query} (at least ${minPrefix} characters)`, {
      hint: 'run `jitp issues` to list ids',
    });
  }
  const hits = items.filter((i) => i.id.toLowerCase().startsWith(q));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) {
    throw new JitpError('E_ISSUE_NOT_FOUND', EXIT.NOT_FOUND, `no issue matches ${query} in ${where}`, {
      hint: 'run `jitp issues` to list ids',
    });
  }
  throw new JitpError('E_ISSUE_AMBIGUOUS', EXIT.NOT_FOUND, `issue id ${query} is ambiguous: ${hits.map((h) => h.shortId).slice(0, 10).join(', ')}${hits.length > 10 ? ', …' : ''}`, {
    hint: `type more characters, e.g. \`${hits[0]!.id.slice(0, Math.max(q.length + 2, 8))}\``,
    details: { candidates: hits.map((h) => h.id) },
  });
}
