import type { CommandResult, CommandSpec } from '../command.js';
import { flag, str } from '../command.js';
import { checkRefs } from '../../remote/check.js';
import { usageError } from '../../platform/errors.js';
import { INDEX_REF } from '../../remote/layout.js';
import type { RemoteLeaseStore } from '../../store/remote.js';
import { workspaceOf } from '../workspace.js';
import { durationOption } from '../claims-shared.js';
import { freshnessJson, freshnessLine, remoteStoreFor } from '../remote-shared.js';
import { isLiveAt } from '../../core/lease-rules.js';
import { mirrorAgeSecs } from '../../remote/mirror.js';
import { jitpCommand } from '../../core/shell-quote.js';

export const command: CommandSpec = {
  name: 'claim sync',
  summary: 'Refresh the local mirror of the leases kept on a git remote',
  usage: 'jitp claim sync [<remote>] [--max-age <dur>] [--check [--repair]] [--json]',
  help: [
    'Fetches refs/jit-parallel/* from <remote> (default: config `remote`, else origin) and rewrites',
    'the mirror <git common dir>/jit-parallel/remote-<remote>.json that hooks read instead of the',
    'network. Every jitp write refreshes it too; run this at session start or from cron. With',
    '--max-age, does nothing while the mirror is younger than that (cheap to call often).',
    'With --check, also lists refs/jit-parallel/* on the remote and compares the lease refs with the',
    'index (a lease ref the index does not list, or pointing elsewhere, means a hand-made push; a listed',
    'lease without a ref was released) and exits 1 if they differ.',
    'With --check --repair, rewrites every live lease ref from the index and deletes unknown lease refs, in one',
    'atomic compare-and-set push (refs outside refs/jit-parallel/leases/ are only reported).',
    '',
    'JSON: {"remote": {"name","fetchedAt","ageSecs","source":"fetch"|"push","indexCommit":string|null},',
    '       "fetched": bool, "version": n, "leases": n, "live": n,',
    '       "check"?: {"consistent": bool, "orphans": [{"ref","id","issueId"}],',
    '                  "mismatched": [{"issueId","ref","index","remote"}], "foreign": [ref]}}',
    'Exit codes: 0 ok, 1 --check found differences, 2 bad arguments, 5 remote leases unreadable (corrupt index), 7 ' +
      'remote unreachable',
    '            or timed out (remoteTimeout), not a git repo.',
  ].join('\n'),
  options: {
    'max-age': { type: 'string', arg: '<dur>', description: 'Skip the fetch while the mirror is younger than this' },
    check: { type: 'boolean', description: 'Compare the lease refs on the remote with its index' },
    repair: { type: 'boolean', description: 'With --check: rewrite the lease refs from the index' },
  },
  positionals: { max: 1, names: '[<remote>]' },
  async run(ctx) {
    const ws = workspaceOf(ctx);
    const store = (await remoteStoreFor(ws, ctx.args.positionals[0], 'origin'))!;
    const maxAgeIn = str(ctx.args.values['max-age']);
    const maxAge = maxAgeIn === undefined ? undefined : durationOption(maxAgeIn, '--max-age', { zero: true });
    const now = Date.now();
    const cached = store.engine.mirror();
    const fetched = !(cached && maxAge !== undefined && mirrorAgeSecs(cached, now) < maxAge);
    if (flag(ctx.args.values.repair) && !flag(ctx.args.values.check))
      throw usageError('--repair needs --check', 'jitp claim sync <remote> --check --repair');
    if (flag(ctx.args.values.check)) return check(store, flag(ctx.args.values.repair));
    const m = fetched ? await store.sync() : cached!;
    const after = Date.now();
    const live = m.leases.filter((l) => isLiveAt(l, after)).length;
    return {
      json: { remote: freshnessJson(m, after), fetched, version: m.version, leases: m.leases.length, live },
      text:
        `${fetched ? 'synced' : 'mirror is fresh, not fetched:'} ${freshnessLine(m, after)}; ${live} live ` +
        `lease${live === 1 ? '' : 's'}`,
    };
  },
};

async function check(store: RemoteLeaseStore, repair: boolean): Promise<CommandResult> {
  // Index, then refs, then index again: the refs are compared only when no write moved the
  // index around their read (one read alone sees refs and index at moments of its own choosing).
  for (let attempt = 0; ; attempt++) {
    const before = await store.engine.fetchRaw();
    const refs = await store.engine.transport.lsRemote();
    const m = await store.sync();
    if ((refs.get(INDEX_REF) ?? '') !== before.indexCommit || m.indexCommit !== before.indexCommit) {
      if (attempt < 4) continue;
    }
    const r = checkRefs(refs, before.indexCommit, before.state);
    if (repair && (r.orphans.length || r.mismatched.length)) {
      await store.engine.repair(before, refs);
      const again = await check(store, false);
      const after = again.json as { check: { consistent: boolean } };
      return {
        ...again,
        json: { ...(again.json as object), repaired: true },
        text: `repaired the lease refs from the index\n${again.text}`,
        exitCode: after.check.consistent ? 0 : 1,
      };
    }
    const now = Date.now();
    const live = m.leases.filter((l) => isLiveAt(l, now)).length;
    const fixes = [
      ...(r.orphans.length || r.mismatched.length
        ? [
            `${jitpCommand('claim sync', store.remote)} --check --repair   # does all of the lease-ref fixes ` +
              `below in one atomic push`,
          ]
        : []),
      ...r.orphans.map(
        (o) =>
          `git push ${store.remote} --force-with-lease=${o.ref}:${o.id} :${o.ref}   # or delete just the orphan ` +
          `lease ref for ${o.issueId}`,
      ),
      ...r.foreign.map((f) => `# ${f} is not a jitp ref; remove it if nobody needs it: git push ${store.remote} :${f}`),
    ];
    return {
      exitCode: r.consistent ? 0 : 1,
      json: {
        remote: freshnessJson(m, now),
        fetched: true,
        version: m.version,
        leases: m.leases.length,
        live,
        check: r,
      },
      text: r.consistent
        ? `synced ${freshnessLine(m, now)}; ${live} live lease${live === 1 ? '' : 's'}; lease refs match the index`
        : [
            `remote '${store.remote}': lease refs differ from the index (${r.orphans.length} orphan, ` +
              `${r.mismatched.length} mismatched, ${r.foreign.length} foreign). Fix:`,
            ...fixes.map((f) => `  ${f}`),
          ].join('\n'),
    };
  }
}
