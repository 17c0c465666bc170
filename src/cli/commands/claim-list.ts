import type { CommandSpec } from '../command.js';
import { flag } from '../command.js';
import { requireRepo } from '../repo.js';
import { storeDirOf } from '../../git/discover.js';
import { readSnapshotSync } from '../../store/local/snapshot-read.js';
import { isLiveAt } from '../../core/lease-rules.js';
import { LEASE_JSON_DOC, leaseJson, leaseLine } from '../claims-shared.js';

export const command: CommandSpec = {
  name: 'claim list',
  summary: 'List live leases: who holds what, until when',
  usage: 'jitp claim list [--all] [--json]',
  help: [
    'Reads the lease store without locking (never waits for writers). Expired leases are hidden unless',
    '--all (they stop counting at once and are swept by the next change).',
    '',
    'JSON: {"storeDir": string, "version": n, "now": iso, "leases": [Lease…]}',
    LEASE_JSON_DOC,
    'Exit codes: 0 ok, 5 store unreadable or corrupt, 7 not a git repo.',
  ].join('\n'),
  options: { all: { type: 'boolean', description: 'Include expired, not yet swept leases' } },
  positionals: { max: 0 },
  async run(ctx) {
    const repo = requireRepo(ctx.cwd);
    const dir = storeDirOf(repo);
    const snap = readSnapshotSync(dir);
    const now = Date.now();
    const leases = snap.leases.filter((l) => flag(ctx.args.values.all) || isLiveAt(l, now));
    return {
      json: { storeDir: dir, version: snap.version, now: new Date(now).toISOString(), leases: leases.map((l) => leaseJson(l, now)) },
      text: leases.length ? leases.map((l) => leaseLine(l, now)).join('\n') : 'no live leases',
    };
  },
};
