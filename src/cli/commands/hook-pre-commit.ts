import { realpathSync } from 'node:fs';
import type { CommandSpec } from '../command.js';
import { workspaceOf } from '../workspace.js';
import { EXIT, JitpError } from '../../platform/errors.js';
import { gitSync, nulFields } from '../../platform/git.js';
import { blockedFiles, blockedMessage, type CommitWho } from '../../core/commit-guard.js';
import { buildLeaseIndex } from '../../core/lease-index.js';
import { isCaseInsensitiveFs } from '../../platform/fs-paths.js';
import { resolveAgentId } from '../../config/identity.js';
import { failureModeOf } from '../../hooks/runtime/failure.js';
import { liveContext } from '../../hooks/runtime/context.js';
import { StoreUnreadable } from '../../hooks/runtime/store-access.js';
import { DEFAULT_AGENT_ID } from '../../core/default-agent.js';

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

export const command: CommandSpec = {
  name: 'hook pre-commit',
  summary: 'Check staged files against live leases (run by the pre-commit hook)',
  usage: 'jitp hook pre-commit [--json]',
  help: [
    "Refuses the commit when a staged file is held by a live lease that is not the committer's.",
    "The committer's own leases: those whose agent is the committer's identity (JIT_AGENT_ID, else",
    `~/.config/jit/agent.toml, else ${DEFAULT_AGENT_ID}; and ${DEFAULT_AGENT_ID} too while JIT_AGENT_ID is unset),`,
    'those whose worktree is the worktree being committed in, and those',
    'listed in JITP_LEASE (comma-separated lease ids). No live lease: exits 0 at once.',
    "Remote leases count too, read from this clone's mirror of each remote (no network on the commit",
    'path; the message says how old that view is, `jitp claim sync` refreshes it). A remote lease taken',
    "on another machine is the committer's only through JITP_LEASE, never by agent name or worktree.",
    'An unreadable store follows `failure:` in .jit-parallel.yaml (open: warn and allow; closed: refuse).',
    '',
    'JSON: {"ok": bool, "staged": number, "blocked": [{"path", "holders": [{"leaseId","issueId","agentId","expiresAt",',
    '       "remote"?, "host"?, "view"?}]}]}   (remote holders: the remote, holder\'s host, and how fresh the view is)',
    'Exit codes: 0 commit may go ahead, 3 staged files held by another lease, 5 store unreadable (failure: closed), ' +
      '7 git.',
  ].join('\n'),
  positionals: { max: 0 },
  async run(ctx) {
    const repo = workspaceOf(ctx).repo;
    const nowMs = Date.now();
    let live;
    try {
      // Local leases plus every remote mirror (the hooks' view; undefined when nothing is live).
      live = liveContext(repo.worktreeRoot, nowMs);
    } catch (e) {
      if (!(e instanceof StoreUnreadable)) throw e;
      if (failureModeOf(repo.worktreeRoot, ctx.env) === 'closed') {
        throw new JitpError('E_STORE', `pre-commit: ${e.message}`, {
          hint: 'run `jitp doctor --repair`, or set failure: open in .jit-parallel.yaml',
        });
      }
      ctx.warn(`jit-parallel: pre-commit check skipped: ${e.message} (failure: open)`);
      return { json: { ok: true, staged: 0, blocked: [], skipped: e.message } };
    }
    if (!live) return { json: { ok: true, staged: 0, blocked: [] } };
    const { snap, remoteOf } = live;
    const ci = isCaseInsensitiveFs(real(repo.worktreeRoot));
    const staged = gitSync(repo.worktreeRoot, nulFields(['diff', '--cached', '--name-only', '-z', '--no-renames'])).map(
      (p) => (ci ? p.toLowerCase() : p),
    );
    const agentIds = [ctx.env.JIT_AGENT_ID || DEFAULT_AGENT_ID];
    try {
      agentIds.push(resolveAgentId({ env: ctx.env }).agentId);
    } catch {
      /* a malformed agent.toml: the claims commands refuse it, so no lease was taken under it */
    }
    const who: CommitWho = {
      agentIds: [...new Set(agentIds)],
      ...(repo.linked ? { worktree: real(repo.worktreeRoot) } : {}),
      leaseIds: (ctx.env.JITP_LEASE ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      // A remote lease is this clone's only when it was acquired here (it holds the binding secret).
      foreignLeaseIds: new Set(
        snap.leases.filter((l) => remoteOf.has(l.id) && l.bindSecret === undefined).map((l) => l.id),
      ),
    };
    const blocked = blockedFiles(staged, buildLeaseIndex(snap.leases, nowMs), who, real);
    const json = {
      ok: blocked.length === 0,
      staged: staged.length,
      blocked: blocked.map((b) => ({
        path: b.path,
        holders: b.holders.map((l) => {
          const r = remoteOf.get(l.id);
          return {
            leaseId: l.id,
            issueId: l.issueId,
            agentId: l.agentId,
            expiresAt: l.expiresAt,
            ...(r ? { remote: r.remote, host: r.host ?? l.host ?? null, view: r.view } : {}),
          };
        }),
      })),
    };
    if (!blocked.length) return { json, text: '' };
    if (ctx.json) return { json, exitCode: EXIT.HELD };
    throw new JitpError('E_HELD', blockedMessage(blocked, nowMs, who, remoteOf), { details: json });
  },
};
