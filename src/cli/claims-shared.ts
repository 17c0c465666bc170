// What every `jitp claim …` command needs: the repo, its config, its store, and canonical
// issue ids, agent ids and paths; plus the one JSON/human rendering of a lease.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CommandContext, OptionSpec } from './command.js';
import { str } from './command.js';
import type { LeaseStore } from '../core/model.js';
import { findRepo, type RepoLocation } from '../workspace/repo.js';
import { workspaceOf } from './workspace.js';
import { issueIdRule } from '../sources/issue-id.js';
import { resolveAgentId } from '../config/identity.js';
import { DEFAULT_AGENT_ID } from '../core/default-agent.js';
import { normalizeRepoPattern } from '../git/repo-paths.js';
import { checkGlob } from '../core/globs.js';
import { DURATION_EXAMPLES, formatTimeLeft, parseDuration, secondsUntil } from '../platform/duration.js';
import { JitpError, usageError } from '../platform/errors.js';
import { shellQuote } from '../core/shell-quote.js';
import { isLiveAt } from '../core/lease-rules.js';
import type { Lease } from '../core/model.js';

export const AGENT_OPTION: Record<string, OptionSpec> = {
  agent: {
    type: 'string',
    arg: '<type:name>',
    description: `Acting agent (else JIT_AGENT_ID, else ~/.config/jit/agent.toml [agent] id, else ${DEFAULT_AGENT_ID})`,
  },
};

/** `--agent` plus the override of the caller check, for the commands that act on an existing lease. */
export const ACTING_AGENT_OPTION: Record<string, OptionSpec> = {
  ...AGENT_OPTION,
  impersonate: {
    type: 'boolean',
    description: 'Let --agent name another agent than JIT_AGENT_ID or this Claude Code session (see E_AGENT_MISMATCH)',
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

export const LEASE_JSON_DOC =
  `Lease JSON: ` +
  `{"id","issueId","agentId","worktree":string|null,"branch":string|null,"paths":[...],
  "ttlSecs","acquiredAt","renewedAt","expiresAt","token","live":bool,"secondsLeft","host"?,"meta"?,
  "finishedAt"?,"waiting"?:{"path","since","until","pid","host"},"handedOff"?:[{"path","toLeaseId","toIssueId","at"}]}`;

export interface ClaimsEnv {
  repo: RepoLocation;
  store: LeaseStore;
  /** The git remote holding the leases (`--remote` or config `remote`), or null for the local store. */
  remote: string | null;
  defaultTtlSecs: number;
  /** Canonical issue id: a jit uuid (from a prefix), a GitHub number (`#12` → `12`), else free-form. */
  issueId: (input: string) => string;
}

export async function claimsEnv(ctx: CommandContext): Promise<ClaimsEnv> {
  const named = str(ctx.args.values.remote);
  const ws = workspaceOf(ctx, named !== undefined ? { remote: named } : {});
  const config = await ws.config();
  const store = await ws.store();
  return {
    repo: ws.repo,
    store,
    remote: await ws.remote(),
    defaultTtlSecs: config.ttl,
    issueId: issueIdRule({ root: ws.root, config, env: ctx.env }),
  };
}

export const issueOf = (env: ClaimsEnv, input: string): string => env.issueId(input);

export function agentOf(ctx: CommandContext): string {
  return resolveAgentId({ flag: str(ctx.args.values.agent), env: ctx.env }).agentId;
}

/**
 * The agent a release, renew, extend or evict acts as: like agentOf, but `--agent` naming someone
 * other than the caller is refused where the caller is known (checkNotImpersonating). Acquire is
 * not held to it: a lease taken under another name takes nothing from anyone.
 */
export function actingAgentOf(ctx: CommandContext): string {
  const agentId = agentOf(ctx);
  if (str(ctx.args.values.agent) !== undefined && ctx.args.values.impersonate !== true)
    checkNotImpersonating(agentId, ctx);
  return agentId;
}

/**
 * `--agent` may not name someone other than the caller where the caller's identity is known
 * (issue 13, item 3): its JIT_AGENT_ID, or, inside Claude Code (CLAUDE_CODE_SESSION_ID is set in
 * the Bash tool's env), another session's `claude:session-<id>`. A sub-agent shares the
 * orchestrator's env, so this cannot tell sub-agents apart: the hook refuses those (core/jitp-calls.ts).
 */
function checkNotImpersonating(agentId: string, ctx: CommandContext): void {
  const own = ctx.env.JIT_AGENT_ID;
  const session = ctx.env.CLAUDE_CODE_SESSION_ID;
  const otherSession = session && agentId.startsWith('claude:session-') && agentId !== `claude:session-${session}`;
  if (!(own && own !== agentId) && !otherSession) return;
  const who = own && own !== agentId ? `JIT_AGENT_ID=${own}` : `this Claude Code session (claude:session-${session})`;
  throw new JitpError('E_AGENT_MISMATCH', `--agent ${shellQuote(agentId)} is not you: the caller is ${who}`, {
    hint:
      `act as yourself (run it again without --agent); only if that lease really is yours to act on (a ` +
      `previous session's), run the same command with --impersonate added`,
    details: { agent: agentId, caller: own && own !== agentId ? own : `claude:session-${session}` },
  });
}

/** A duration option (`90`, `90s`, `30m`, `2h`, `1d`, `1h30m`) in seconds; positive unless `zero` is allowed. */
export function durationOption(s: string, what = '--ttl', opts: { zero?: boolean } = {}): number {
  const secs = parseDuration(s);
  if (secs === undefined)
    throw usageError(`invalid ${what} ${JSON.stringify(s)}: expected a duration such as ${DURATION_EXAMPLES}`);
  if (secs <= 0 && !opts.zero) throw usageError(`invalid ${what} ${JSON.stringify(s)}: must be positive`);
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
  const loc = w ? findRepo(resolve(ctx.cwd, w)) : repo;
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
    secondsLeft: secondsUntil(l.expiresAt, nowMs),
    ...(opts.secret && bindSecret ? { bindSecret } : {}),
  };
}

export function leaseLine(l: Lease, nowMs: number): string {
  const paths = l.paths.length ? l.paths.join(' ') : '(no paths)';
  return (
    `${l.id}  ${l.issueId}  ${l.agentId}  token ${l.token}  until ${l.expiresAt} ` +
    `(${formatTimeLeft(secondsUntil(l.expiresAt, nowMs))})${l.branch ? `  branch ${l.branch}` : ''}\n    paths: ` +
    `${paths}`
  );
}

/** The --remote exit-code lines every write command's --help ends with. */
export const REMOTE_EXIT_DOC = [
  'With --remote (or config `remote`): 7 also = the remote is unreachable, timed out or refuses',
  '            refs/jit-parallel/*; 5 also = it stayed busy past the retry budget or its index is unreadable.',
];

/** The compare-and-set key a renew, extend or release acts on: this agent's lease on the issue. */
export function leaseRefOf(ctx: CommandContext, env: ClaimsEnv): { issueId: string; agentId: string; token?: number } {
  const agentId = actingAgentOf(ctx);
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
