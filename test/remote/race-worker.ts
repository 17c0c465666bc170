// One racing "agent process" on one "machine" (clone): R rounds of acquire-hold-release on a
// random issue. Prints one JSON line per round. Bundled with esbuild by the test (bundleWorker).
import { isJitpError } from '../../src/platform/errors.js';
import { discoverRepo } from '../../src/git/discover.js';
import { runGit } from '../../src/remote/git-run.js';
import { RemoteTransport } from '../../src/remote/transport.js';
import { RemoteLeaseStore } from '../../src/store/remote.js';

export const RACE_ISSUES: Record<string, string[]> = {
  'issue-a': ['src/**'],
  'issue-b': ['src/core/x.ts'], // overlaps issue-a by path
  'issue-c': ['docs/*.md'],
  'issue-d': [], // contended by id only
};

const [clone, agent, roundsArg, mode] = process.argv.slice(2);
if (mode === 'nocas') {
  // Control only: the same pushes with plain force, i.e. without the remote's compare-and-set.
  RemoteTransport.prototype.push = async function (updates) {
    const r = await runGit(
      [
        'push',
        '--force',
        '--no-verify',
        'origin',
        ...updates.map((u) => (u.next ? `${u.next}:${u.ref}` : `:${u.ref}`)),
      ],
      {
        cwd: clone!,
        timeoutMs: 20_000,
        what: 'push',
        remote: 'origin',
      },
    );
    return r.code === 0 ? { ok: true } : { ok: false, conflict: [] };
  };
}
const store = new RemoteLeaseStore({ loc: discoverRepo(clone!)!, remote: 'origin', timeoutMs: 20_000 });
const ids = Object.keys(RACE_ISSUES);
for (let r = 0; r < Number(roundsArg); r++) {
  const issueId = ids[Math.floor(Math.random() * ids.length)]!;
  try {
    const lease = await store.acquire({ issueId, agentId: agent!, paths: RACE_ISSUES[issueId]!, ttlSecs: 600 });
    await new Promise((res) => setTimeout(res, Math.random() * 20));
    await store.release({ issueId, agentId: agent!, token: lease.token });
    console.log(JSON.stringify({ won: true, issueId, leaseId: lease.id, token: lease.token }));
  } catch (e) {
    if (isJitpError(e) && e.code === 'E_HELD') console.log(JSON.stringify({ won: false, issueId }));
    else {
      console.log(JSON.stringify({ error: isJitpError(e) ? e.toJSON() : String((e as Error)?.stack ?? e) }));
    }
  }
}
