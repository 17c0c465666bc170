// Remote-lease helpers for the claim commands: which remote, and how fresh a view is.
import type { CommandContext } from './command.js';
import { isJitpError } from '../platform/errors.js';
import type { RemoteLeaseStore } from '../store/remote.js';
import type { Workspace } from '../workspace/open.js';
import { mirrorAgeSecs, type RemoteMirror } from '../remote/mirror.js';

/** The remote named on the command line, else config `remote`, else `fallback`. */
export async function remoteStoreFor(
  ws: Workspace,
  named: string | undefined,
  fallback: string | null,
): Promise<RemoteLeaseStore | undefined> {
  const remote = named ?? (await ws.remote()) ?? fallback;
  return remote ? ws.remoteStore(remote) : undefined;
}

export function freshnessJson(m: RemoteMirror, nowMs: number) {
  return {
    name: m.remote,
    fetchedAt: m.fetchedAt,
    ageSecs: Math.round(mirrorAgeSecs(m, nowMs)),
    source: m.source,
    indexCommit: m.indexCommit || null,
  };
}

export const freshnessLine = (m: RemoteMirror, nowMs: number): string =>
  `remote '${m.remote}' as of ${m.fetchedAt} (${Math.round(mirrorAgeSecs(m, nowMs))}s ago, ` +
  `${m.source === 'push' ? 'our last write' : 'fetched'}), store version ${m.version}`;

/**
 * The mirror when young enough, else a fetch; if the remote cannot be reached but a mirror
 * exists, that mirror with a warning saying how old it is (reads should not fail offline).
 */
export async function readOrStale(store: RemoteLeaseStore, ctx: CommandContext): Promise<RemoteMirror> {
  try {
    return await store.engine.read();
  } catch (e) {
    const m = store.engine.mirror();
    if (!m || !isJitpError(e) || !/^E_REMOTE_(UNREACHABLE|TIMEOUT)$/.test(e.code)) throw e;
    ctx.warn(`${e.message}; showing the local mirror, ${freshnessLine(m, Date.now())}`);
    return m;
  }
}
