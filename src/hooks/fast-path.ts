// The question every edit asks first: is any lease live in this repository? Answered with
// the least work (find the repo by stat, read one small file), statically bundled into
// dist/hook.mjs so the handler chunks load only when parallel work is active.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRepo, storeDirOf } from '../git/discover.js';

/**
 * False only when it is certain that nothing is live (not a repo, no store, or a readable
 * state whose leases have all expired). Anything unusual (unparsable state, a log without a
 * state file) says true, so the full handler looks and reports it.
 */
export function mayBeLive(cwd: string, nowMs = Date.now()): boolean {
  const loc = discoverRepo(cwd);
  if (!loc) return false;
  const dir = storeDirOf(loc);
  let text: string;
  try {
    text = readFileSync(join(dir, 'state.json'), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR') return true;
    try {
      return statSync(join(dir, 'events.jsonl')).size > 0; // state deleted: let the handler report it
    } catch {
      return false;
    }
  }
  try {
    const s = JSON.parse(text) as { leases?: Array<{ expiresAt?: unknown }> };
    if (!Array.isArray(s.leases)) return true;
    return s.leases.some((l) => typeof l?.expiresAt !== 'string' || !(Date.parse(l.expiresAt) <= nowMs));
  } catch {
    return true;
  }
}
