import type { CommandSpec } from '../command.js';
import { str } from '../command.js';
import { requireRepo } from '../repo.js';
import { parseDuration } from '../claims-shared.js';
import { freshnessJson, freshnessLine, remoteStoreFor } from '../remote-shared.js';
import { isLiveAt } from '../../core/lease-rules.js';
import { mirrorAgeSecs } from '../../remote/mirror.js';

export const command: CommandSpec = {
  name: 'claim sync',
  summary: 'Refresh the local mirror of the leases kept on a git remote',
  usage: 'jitp claim sync [<remote>] [--max-age <dur>] [--json]',
  help: [
    'Fetches refs/jit-parallel/index from <remote> (default: config `remote`, else origin) and rewrites',
    'the mirror <git common dir>/jit-parallel/remote-<remote>.json that hooks read instead of the',
    'network. Every jitp write refreshes it too; run this at session start or from cron. With',
    '--max-age, does nothing while the mirror is younger than that (cheap to call often).',
    '',
    'JSON: {"remote": {"name","fetchedAt","ageSecs","source":"fetch"|"push","indexCommit":string|null},',
    '       "fetched": bool, "version": n, "leases": n, "live": n}',
    'Exit codes: 0 ok, 2 bad arguments, 5 remote leases unreadable (corrupt index), 7 remote unreachable',
    '            or timed out (remoteTimeout), not a git repo.',
  ].join('\n'),
  options: {
    'max-age': { type: 'string', arg: '<dur>', description: 'Skip the fetch while the mirror is younger than this' },
  },
  positionals: { max: 1, names: '[<remote>]' },
  async run(ctx) {
    const repo = requireRepo(ctx.cwd);
    const store = remoteStoreFor(ctx, repo, ctx.args.positionals[0], 'origin')!;
    const maxAgeIn = str(ctx.args.values['max-age']);
    const maxAge = maxAgeIn === undefined ? undefined : /^\s*0+\s*[smhd]?\s*$/.test(maxAgeIn) ? 0 : parseDuration(maxAgeIn, '--max-age');
    const now = Date.now();
    const cached = store.engine.mirror();
    const fetched = !(cached && maxAge !== undefined && mirrorAgeSecs(cached, now) < maxAge);
    const m = fetched ? await store.sync() : cached!;
    const after = Date.now();
    const live = m.leases.filter((l) => isLiveAt(l, after)).length;
    return {
      json: { remote: freshnessJson(m, after), fetched, version: m.version, leases: m.leases.length, live },
      text: `${fetched ? 'synced' : 'mirror is fresh, not fetched:'} ${freshnessLine(m, after)}; ${live} live lease${live === 1 ? '' : 's'}`,
    };
  },
};
