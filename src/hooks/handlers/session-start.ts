// SessionStart: when parallel work is live in this repository, one short paragraph for the
// model on what is held, by whom, until when; nothing otherwise.
import { boundAgents, formatExpiry } from '../../core/hook-decision.js';
import type { Lease } from '../../core/model.js';
import type { HookHandler } from '../runtime/contract.js';
import { hookCwd, liveContext, type RemoteOrigin } from '../runtime/context.js';
import { StoreUnreadable } from '../runtime/store-access.js';

const MAX_LEASES = 8;
const MAX_PATHS = 4;

/** Pure: the paragraph. */
export function liveSummary(
  leases: readonly Lease[],
  nowMs: number,
  remoteOf: ReadonlyMap<string, RemoteOrigin> = new Map(),
): string {
  const parts = leases.slice(0, MAX_LEASES).map((l) => {
    const subs = boundAgents(l);
    const paths =
      l.paths.slice(0, MAX_PATHS).join(', ') +
      (l.paths.length > MAX_PATHS ? ` and ${l.paths.length - MAX_PATHS} more` : '');
    const r = remoteOf.get(l.id);
    const where = r ? `, on host ${r.host ?? l.host ?? '(unknown)'} via remote '${r.remote}'` : '';
    return (
      `issue ${l.issueId} (lease ${l.id}, ${l.agentId}${subs.length ? `, sub-agent ${subs.join('/')}` : ''}` +
      `${l.worktree && !r ? `, worktree ${l.worktree}` : ''}${where}) ` +
      `holds ${paths || 'no files'} until ${formatExpiry(l.expiresAt, nowMs)}`
    );
  });
  const more =
    leases.length > MAX_LEASES ? `; and ${leases.length - MAX_LEASES} more leases (\`jitp claim list\`)` : '';
  // How fresh the remote part is (one entry per remote that has a live lease here).
  const views = [...new Set(leases.map((l) => remoteOf.get(l.id)?.view).filter((v): v is string => !!v))];
  const fresh = views.length ? ` (${views.join('; ')}; being refreshed now)` : '';
  return (
    `jit-parallel: parallel work is active in this repository: ${parts.join('; ')}${more}${fresh}. ` +
    'Edits to files held by a lease that is not yours are refused before they happen; leave those files to their ' +
    'holder and report needed changes instead.'
  );
}

export const handler: HookHandler = (input, env) => {
  let ctx;
  try {
    ctx = liveContext(hookCwd(input, env));
  } catch (e) {
    if (e instanceof StoreUnreadable) return { json: { systemMessage: `jit-parallel: ${e.message}` } };
    throw e;
  }
  if (!ctx) return {};
  const live = ctx.snap.leases.filter((l) => Date.parse(l.expiresAt) > ctx.nowMs);
  return {
    json: {
      hookSpecificOutput: {
        hookEventName: 'SessionStart',
        additionalContext: liveSummary(live, ctx.nowMs, ctx.remoteOf),
      },
    },
  };
};
