import { lookOf, type CommandSpec } from '../command.js';
import { flag } from '../command.js';
import { workspaceOf } from '../workspace.js';
import { isLiveAt } from '../../core/lease-rules.js';
import { LEASE_JSON_DOC, leaseJson } from '../claims-shared.js';
import { freshnessJson, freshnessLine, readOrStale, remoteStoreFor } from '../remote-shared.js';
import { leaseTable } from '../lease-table.js';
import { usageError } from '../../platform/errors.js';

export const command: CommandSpec = {
  name: 'claim list',
  summary: 'List live leases: who holds what, until when',
  usage: 'jitp claim list [--all] [--remote [<name>]] [--json]',
  help: [
    'Reads the lease store without locking (never waits for writers). Expired leases are hidden unless',
    '--all (they stop counting at once and are swept by the next change).',
    '',
    "With --remote (or config `remote`), lists everyone's leases on that git remote, with host and expiry:",
    '--remote fetches now; config `remote` alone reads the local mirror unless it is older than',
    'remoteMirrorMaxAge. <name> defaults to config `remote`, else origin.',
    '',
    'JSON: {"storeDir": string, "version": n, "now": iso, "leases": [Lease…],',
    '       "remote"?: {"name","fetchedAt","ageSecs","source","indexCommit"}}',
    LEASE_JSON_DOC,
    'Exit codes: 0 ok, 2 a <name> without --remote, 5 store unreadable or corrupt, 7 not a git repo,',
    '            remote unreachable or timed out.',
  ].join('\n'),
  options: {
    all: { type: 'boolean', description: 'Include expired, not yet swept leases' },
    remote: { type: 'boolean', description: 'Fetch and list the leases on a git remote (name as argument)' },
  },
  positionals: { max: 1, names: '[<remote>]' },
  async run(ctx) {
    const ws = workspaceOf(ctx);
    const look = lookOf(ctx);
    const dir = ws.storeDir;
    const wantRemote = flag(ctx.args.values.remote);
    if (ctx.args.positionals.length && !wantRemote)
      throw usageError(
        `unexpected argument: ${ctx.args.positionals[0]}`,
        "to list a remote's leases: jitp claim list --remote <name>",
      );
    const remoteStore = await remoteStoreFor(ws, ctx.args.positionals[0], wantRemote ? 'origin' : null);
    if (remoteStore) {
      const m = wantRemote ? await remoteStore.sync() : await readOrStale(remoteStore, ctx);
      const now = Date.now();
      const leases = m.leases.filter((l) => flag(ctx.args.values.all) || isLiveAt(l, now));
      return {
        json: {
          storeDir: dir,
          version: m.version,
          now: new Date(now).toISOString(),
          leases: leases.map((l) => leaseJson(l, now)),
          remote: freshnessJson(m, now),
        },
        text: [
          freshnessLine(m, now),
          ...(leases.length ? leaseTable(leases, now, { ...look, host: true }) : ['no live leases']),
        ].join('\n'),
      };
    }
    const snap = await (await ws.store()).read();
    const now = Date.now();
    const leases = snap.leases.filter((l) => flag(ctx.args.values.all) || isLiveAt(l, now));
    return {
      json: {
        storeDir: dir,
        version: snap.version,
        now: new Date(now).toISOString(),
        leases: leases.map((l) => leaseJson(l, now)),
      },
      text: leases.length ? leaseTable(leases, now, look).join('\n') : 'no live leases',
    };
  },
};
