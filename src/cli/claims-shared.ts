// What every `jitp claim …` command needs: the repo, its config, its store, and canonical
// issue ids, agent ids and paths; plus the one JSON/human rendering of a lease.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandContext, OptionSpec } from './command.js';
import { str } from './command.js';
import { requireRepo } from './repo.js';
import { loadConfig } from '../config/load.js';
import { openLocalStore, openRemoteStore } from '../store/open.js';
import type { LeaseStore } from '../store/types.js';
import { discoverRepo, type RepoLocation } from '../git/discover.js';
import { issueIdRule } from '../sources/issue-id.js';
import { resolveAgentId } from '../core/identity.js';
import { normalizeRepoPattern } from '../core/paths.js';
import { checkGlob } from '../core/globs.js';
import { JitpError, usageError } from '../platform/errors.js';
import { isLiveAt } from '../core/lease-rules.js';
import type { Lease } from '../store/types.js';

export const AGENT_OPTION: Record<string, OptionSpec> = {
  agent: {
    type: 'string',
    arg: '<type:name>',
    description: 'Acting agent (else JIT_AGENT_ID, else ~/.config/jit/agent.toml [agent] id)',
  },
};

/** `--token`: the compare-and-set on the fencing token (renew, release, extend). */
export const TOKEN_OPTION: Record<string, OptionSpec> = {
  token: { type: 'string', arg: '<n>', description: 'Expected fencing token (compare-and-set)' },
};

/** `--reason`: why, recorded in the event log (acquire, release, extend). */
export const REASON_OPTION: Record<string, OptionSpec> = {
  reason: { type: 'string', arg: '<text>', description: 'Why (recorded in the event log)' },
};

export const REMOTE_OPTION: Record<string, OptionSpec> = {
  remote: {
    type: 'string',
    arg: '<name>',
    description: 'Keep leases on this git remote, shared across machines (default: config `remote`)',
  },
};

export const LEASE_JSON_DOC = `Lease JSON: {"id","issueId","agentId","worktree":string|null,"branch":string|null,"paths":[...],
  "ttlSecs","acquiredAt","renewedAt","expiresAt","token","live":bool,"secondsLeft","host"?,"meta"?}`;

export interface ClaimsEnv {
  repo: RepoLocation;
  store: LeaseStore;
  /** The git remote holding the leases (`--remote` or config `remote`), or null for the local store. */
  remote: string | null;
  defaultTtlSecs: number;
  /** Canonical issue id: a jit uuid (from a prefix), a GitHub number (`#12` → `12`), else free-form. */
  issueId: (input: string) => string;
}

export function claimsEnv(ctx: CommandContext): ClaimsEnv {
  const repo = requireRepo(ctx.cwd);
  const { config } = loadConfig(repo.worktreeRoot, ctx.env);
  const remote = str(ctx.args.values.remote) ?? config.remote;
  const store = remote
    ? openRemoteStore(repo, remote, {
        defaultTtlSecs: config.ttl,
        timeoutSecs: config.remoteTimeout,
        maxAgeSecs: config.remoteMirrorMaxAge,
        env: ctx.env,
        progress: ctx.progress,
      })
    : openLocalStore(repo, { defaultTtlSecs: config.ttl });
  const issueId = issueIdRule({ root: repo.worktreeRoot, config, env: ctx.env });
  return { repo, store, remote, defaultTtlSecs: config.ttl, issueId };
}

export const issueOf = (env: ClaimsEnv, input: string): string => env.issueId(input);

export function agentOf(ctx: CommandContext): string {
  return resolveAgentId({ flag: str(ctx.args.values.agent), env: ctx.env }).agentId;
}

/** `90`, `90s`, `30m`, `2h` -> seconds. */
export function parseDuration(s: string, what = '--ttl'): number {
  const m = /^\s*(\d+)\s*([smhd]?)\s*$/.exec(s);
  if (!m) throw usageError(`invalid ${what} ${JSON.stringify(s)}: expected a duration such as 90s, 30m or 2h`);
  const n = Number(m[1]);
  const secs = m[2] === 'd' ? n * 86400 : m[2] === 'h' ? n * 3600 : m[2] === 'm' ? n * 60 : n;
  if (secs <= 0) throw usageError(`invalid ${what} ${JSON.stringify(s)}: must be positive`);
  return secs;
}

export function parseToken(v: unknown): number | undefined {
  const s = str(v as string);
  if (s === undefined) return undefined;
  if (!/^\d+$/.test(s)) throw usageError(`invalid --token ${JSON.stringify(s)}: expected the lease's token number`);
  return Number(s);
}

/** Normalises lease paths against `root` (symlinks, `..`, escape, case) and checks glob syntax. */
export function normalizePaths(paths: string[], root: string, cwd: string): string[] {
  return paths.map((p) => {
    const n = normalizeRepoPattern(p, root, { cwd: resolve(cwd) });
    checkGlob(n);
    return n;
  });
}

/** The worktree a lease is for: `--worktree`, else the current one (null for the main checkout). */
export function worktreeOf(
  ctx: CommandContext,
  repo: RepoLocation,
): { root: string; worktree: string | null; branch: string | null } {
  const w = str(ctx.args.values.worktree);
  const loc = w ? discoverRepo(resolve(ctx.cwd, w)) : repo;
  if (!loc || loc.commonDir !== repo.commonDir) {
    throw new JitpError('E_USAGE', `--worktree ${w} is not a worktree of this repository (${repo.commonDir})`, {
      hint: 'list worktrees with `git worktree list`',
    });
  }
  return { root: loc.worktreeRoot, worktree: loc.linked ? loc.worktreeRoot : null, branch: currentBranch(loc) };
}

function currentBranch(loc: RepoLocation): string | null {
  try {
    const head = readFileSync(join(loc.gitDir, 'HEAD'), 'utf8').trim();
    const m = /^ref: refs\/heads\/(.+)$/.exec(head);
    return m ? m[1]! : null;
  } catch {
    return null;
  }
}

export function leaseJson(l: Lease, nowMs: number, opts: { secret?: boolean } = {}): Record<string, unknown> {
  const { bindSecret, ...rest } = l;
  return {
    ...rest,
    live: isLiveAt(l, nowMs),
    secondsLeft: Math.max(0, Math.floor((Date.parse(l.expiresAt) - nowMs) / 1000)),
    ...(opts.secret && bindSecret ? { bindSecret } : {}),
  };
}

export function human(secs: number): string {
  if (secs <= 0) return 'expired';
  if (secs >= 3600) return `${Math.floor(secs / 3600)}h${String(Math.floor((secs % 3600) / 60)).padStart(2, '0')}m`;
  if (secs >= 60) return `${Math.floor(secs / 60)}m${String(secs % 60).padStart(2, '0')}s`;
  return `${secs}s`;
}

export function leaseLine(l: Lease, nowMs: number): string {
  const left = Math.floor((Date.parse(l.expiresAt) - nowMs) / 1000);
  const paths = l.paths.length ? l.paths.join(' ') : '(no paths)';
  return `${l.id}  ${l.issueId}  ${l.agentId}  token ${l.token}  until ${l.expiresAt} (${human(left)} left)${l.branch ? `  branch ${l.branch}` : ''}\n    paths: ${paths}`;
}

/** The --remote exit-code lines every write command's --help ends with. */
export const REMOTE_EXIT_DOC = [
  'With --remote (or config `remote`): 7 also = the remote is unreachable, timed out or refuses',
  '            refs/jit-parallel/*; 5 also = it stayed busy past the retry budget or its index is unreadable.',
];

/** The compare-and-set key a renew, extend or release acts on: this agent's lease on the issue. */
export function leaseRefOf(ctx: CommandContext, env: ClaimsEnv): { issueId: string; agentId: string; token?: number } {
  const agentId = agentOf(ctx);
  const issueId = issueOf(env, ctx.args.positionals[0]!);
  const token = parseToken(ctx.args.values.token);
  return { issueId, agentId, ...(token !== undefined ? { token } : {}) };
}

/** --paths resolved as the user meant them: relative to where they stand, or to an explicit --worktree's top. */
export function scopedPaths(
  ctx: CommandContext,
  env: ClaimsEnv,
  raw: string[],
): { wt: ReturnType<typeof worktreeOf>; paths: string[] } {
  const wt = worktreeOf(ctx, env.repo);
  return { wt, paths: normalizePaths(raw, wt.root, str(ctx.args.values.worktree) ? wt.root : ctx.cwd) };
}
