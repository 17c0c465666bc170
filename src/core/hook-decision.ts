// The edit-time decision: may this agent write this file now? Pure: the hook adapter
// resolves the path, reads the store and finds the agent's binding; this file only decides
// and words the answer the model will read.
import type { Lease } from './model.js';
import { BINDING_RE, parseBindingLine } from './binding.js';
import type { LeaseIndex } from './lease-index.js';
import { jitpCommand, shellQuote } from './shell-quote.js';

export type Policy = 'strict' | 'extend' | 'warn' | 'off';

export interface Actor {
  /** Claude Code `agent_id`; undefined for the main agent (the orchestrator). */
  subagentId?: string;
  /** The lease this agent works for: a bound sub-agent's lease. */
  lease?: Lease;
  /** The worktree a sub-agent must stay in: its lease's, or the linked worktree it runs in. */
  worktree?: string;
  /** Leases the main agent counts as its own (see docs/hooks.md, "Whose lease is mine"). */
  ownLeaseIds?: ReadonlySet<string>;
}

export interface Target {
  /** The path as the tool gave it (for messages). */
  shown: string;
  /** Absolute, resolved the way the file system will (symlinks, `..`). */
  abs: string;
  /** Repo-relative normalised form; undefined when the file is outside every worktree of the repo. */
  rel?: string;
  /** When rel names a folder (Bash `rm -r dir`, `prettier --write .`): every file under it. */
  isDir?: boolean;
  /** The path is (or contains) the lease store itself. */
  store?: boolean;
}

export interface EditQuery {
  nowMs: number;
  policy: Policy;
  actor: Actor;
  target: Target;
  index: LeaseIndex;
  /** Leases kept on a git remote (by lease id): the holder's host and how fresh this view is. */
  remoteOf?: ReadonlyMap<string, RemoteHolder>;
  /** When a lease's sub-agents have all stopped (SubagentStop): asked only to word a refusal. */
  finishedAt?: (lease: Lease) => string | undefined;
}

export interface RemoteHolder {
  host?: string;
  /** e.g. `remote 'origin' leases as of 42s ago (2026-…Z)` */
  view: string;
}

export type Decision =
  | { kind: 'allow' }
  | { kind: 'warn'; message: string }
  | { kind: 'extend'; lease: Lease; path: string; message: string }
  | { kind: 'deny'; reason: string };

const ALLOW: Decision = { kind: 'allow' };
const PROBE = '.jitp-any-file-below';

/** `14:05 UTC, in 12 min` */
export function formatExpiry(expiresAt: string, nowMs: number): string {
  const t = Date.parse(expiresAt);
  const d = new Date(t);
  const hhmm = `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
  const mins = Math.max(0, Math.round((t - nowMs) / 60_000));
  const rel = mins < 1 ? 'in under a minute' : mins < 120 ? `in ${mins} min` : `in ${Math.round(mins / 60)} h`;
  return `${hhmm}, ${rel}`;
}

export function describeHolder(l: Lease, nowMs: number, remote?: RemoteHolder): string {
  const subs = boundAgents(l);
  const who = subs.length ? `${l.agentId} (sub-agent ${subs.join(', ')})` : l.agentId;
  const where = remote ? `, on host ${remote.host ?? l.host ?? '(unknown)'} (${remote.view})` : '';
  return `lease ${l.id} of issue ${l.issueId}, held by ${who} until ${formatExpiry(l.expiresAt, nowMs)}${where}`;
}

export const boundAgents = (l: Lease): string[] => {
  const ids = l.meta?.claudeAgentIds;
  return Array.isArray(ids) ? ids.filter((x): x is string => typeof x === 'string') : [];
};

const isUnder = (abs: string, dir: string) => abs === dir || abs.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

function ownLease(actor: Actor, l: Lease): boolean {
  if (actor.lease) return actor.lease.id === l.id;
  return actor.subagentId === undefined && (actor.ownLeaseIds?.has(l.id) ?? false);
}

/** Some live lease names a path strictly below `rel` (a file or glob inside it). */
const hasLeasesBelow = (index: LeaseIndex, rel: string): boolean => {
  const below = `${rel}/`;
  return index.leases.some((l) => l.paths.some((p) => p.startsWith(below)));
};

/**
 * A bound sub-agent refused a file a sibling lease of the same session holds may wait for it
 * instead (`jitp claim wait`, docs/wait.md): the file passes to it when the holder's sub-agent
 * stops. Shared checkout only: a worktree lease's change is on its branch, not in these files.
 */
function waitAdvice(actor: Actor, target: Target, others: readonly Lease[], remoteOf: EditQuery['remoteOf']): string {
  const L = actor.lease;
  if (!L || target.isDir || target.rel === undefined) return '';
  if (!others.every((o) => o.agentId === L.agentId && !remoteOf?.has(o.id))) return '';
  if (L.worktree || others.some((o) => o.worktree))
    return (
      ` Waiting for it would not help: in worktree mode the holder's change is on its own branch, not in your ` +
      `tree.`
    );
  return (
    ` Or, if you cannot finish without it, wait for it (it passes to you when that sub-agent stops): run ` +
    `\`${jitpCommand('claim wait', target.rel)} --issue ${shellQuote(L.issueId)} --timeout 9m\` with the Bash ` +
    `tool's timeout set to 600000, then edit it; if that exits non-zero, do what its message says.`
  );
}

/** `14:05 UTC` of an RFC 3339 time. */
const clock = (iso: string): string => {
  const d = new Date(Date.parse(iso));
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')} UTC`;
};

/**
 * What the refused agent can do about a file `holder` holds; every refusal of a held file ends
 * with it, so advice added later (waiting for the file) goes here too.
 */
export function heldAdvice(
  q: Pick<EditQuery, 'actor' | 'finishedAt' | 'target' | 'remoteOf'>,
  holders: readonly Lease[],
): string {
  const holder = holders[0]!;
  if (q.actor.subagentId !== undefined)
    return (
      `Do not make this change. Finish your own files and report the change needed in ${q.target.shown} in your ` +
      `final answer instead, so the orchestrator can apply it after that lease ends.` +
      waitAdvice(q.actor, q.target, holders, q.remoteOf)
    );
  const done = q.finishedAt?.(holder);
  if (done !== undefined)
    // Waiting would never end: the sub-agent will not release it (issue 13, item 10).
    return (
      `Its sub-agent already finished (at ${clock(done)}); the lease stays until it is closed. To take the file, ` +
      `run \`${jitpCommand('issue done', holder.issueId)}\` if that work is complete, or ` +
      `\`${jitpCommand('claim release', holder.issueId)}\` if it is abandoned, then retry.`
    );
  return (
    `Leave it to that sub-agent: wait for it to finish (its lease ends when it releases or expires), or ` +
    `release the lease first with \`${jitpCommand('claim release', holder.issueId)}\` if that work is abandoned.`
  );
}

export function decideEdit(q: EditQuery): Decision {
  const { actor, target, index, nowMs, policy } = q;
  if (policy === 'off' || index.leases.length === 0) return ALLOW;
  if (target.store) {
    return {
      kind: 'deny',
      reason:
        `jit-parallel: ${target.shown} is the lease store; it is changed only through \`jitp claim …\` ` +
        `(acquire, extend, release), never by editing its files.`,
    };
  }

  // Worktree mode: workers writing into the main checkout through absolute paths is a known
  // failure; a sub-agent bound to worktree W writes only inside W.
  // Writes outside the repository (scratch files in /tmp) are not another agent's business.
  const wt = actor.worktree ?? actor.lease?.worktree;
  if (actor.subagentId !== undefined && wt && target.rel !== undefined && !isUnder(target.abs, wt)) {
    return {
      kind: 'deny',
      reason:
        `jit-parallel: ${target.shown} is outside your worktree ` +
        `${wt}${actor.lease ? ` (lease ${actor.lease.id}, issue ${actor.lease.issueId})` : ''}. ` +
        `Write only inside ${wt}; if a file elsewhere needs a change, describe it in your final answer instead.`,
    };
  }
  if (target.rel === undefined) return ALLOW; // not a file of this repository

  // A path with leases below it is a folder, whatever the tool said (`rm -rf src`, a restore of a
  // deleted folder): every lease under it counts, and it is never added to a lease as a file.
  if (!target.isDir && target.rel !== '.' && hasLeasesBelow(index, target.rel))
    return decideEdit({ ...q, target: { ...target, isDir: true } });
  const holders = target.isDir ? index.holdersUnder(target.rel) : index.holdersOf(target.rel);
  const others = holders.filter((l) => !ownLease(actor, l));
  // A folder is "mine" only when my lease covers all of it (a glob or folder above it), not
  // when it merely holds one file inside: `rm -r src` must not pass on the strength of src/a.ts.
  const probe = target.isDir ? (target.rel === '.' ? PROBE : `${target.rel}/${PROBE}`) : undefined;
  const mine = probe ? index.holdersOf(probe).some((l) => ownLease(actor, l)) : holders.some((l) => ownLease(actor, l));
  const what = target.isDir ? `${target.shown} (a folder: everything under it)` : target.shown;

  if (others.length > 0) {
    const held = others.map((l) => describeHolder(l, nowMs, q.remoteOf?.get(l.id))).join('; ');
    return { kind: 'deny', reason: `jit-parallel: ${what} is held by ${held}. ${heldAdvice(q, others)}` };
  }
  if (mine) return ALLOW;

  if (actor.subagentId === undefined) return ALLOW; // the orchestrator may touch free files
  if (!actor.lease) {
    return {
      kind: 'warn',
      message:
        `jit-parallel: sub-agent ${actor.subagentId} is not bound to any lease; ${target.shown} is free, so ` +
        `the edit goes ahead. Render sub-agent prompts with \`jitp prompt\` so each one is bound.`,
    };
  }
  const L = actor.lease;
  if (target.isDir) {
    // A whole folder cannot be added to a lease silently: it would claim other issues' future files.
    return policy === 'warn'
      ? {
          kind: 'warn',
          message:
            `jit-parallel: ${what} is not in lease ${L.id} (issue ${L.issueId}); going ahead because policy ` +
            `is warn.`,
        }
      : {
          kind: 'deny',
          reason:
            `jit-parallel: ${what} is not in your lease ${L.id} (issue ${L.issueId}). Name the files you hold ` +
            `instead of a whole folder; report other needed changes in your final answer.`,
        };
  }
  switch (policy) {
    case 'extend':
      return {
        kind: 'extend',
        lease: L,
        path: target.rel,
        message: `jit-parallel: added ${target.rel} to lease ${L.id} (issue ${L.issueId}).`,
      };
    case 'strict':
      return {
        kind: 'deny',
        reason:
          `jit-parallel: ${target.shown} is not in your lease ${L.id} (issue ${L.issueId}) and policy is ` +
          `strict. Do not make this change; report it in your final answer instead.`,
      };
    case 'warn':
      return {
        kind: 'warn',
        message:
          `jit-parallel: ${target.shown} is not in lease ${L.id} (issue ${L.issueId}); going ahead because ` +
          `policy is warn.`,
      };
  }
}

export interface BashTarget extends Target {
  /** The command that writes it, e.g. `sed -i`. */
  why: string;
}

export type BashDecision =
  { kind: 'deny'; reason: string } | { kind: 'ok'; extend: { lease: Lease; path: string }[]; warnings: string[] };

/**
 * A Bash command is judged file by file with the same rules as an edit; writes whose targets
 * cannot be known (`> "$OUT"`, `rm *.ts`, `… | xargs rm`) are refused to a bound sub-agent
 * (it can name the files) and only warned about for everyone else.
 */
export function decideBash(
  targets: readonly BashTarget[],
  unknown: readonly { shown: string; why: string }[],
  base: Omit<EditQuery, 'target'>,
): BashDecision {
  const ok: BashDecision = { kind: 'ok', extend: [], warnings: [] };
  if (base.policy === 'off' || base.index.leases.length === 0) return ok;
  const denials: string[] = [];
  for (const t of targets) {
    const d = decideEdit({ ...base, target: t });
    if (d.kind === 'deny') denials.push(`\`${t.why}\` would write ${asClause(d.reason, t)}`);
    else if (d.kind === 'warn') ok.warnings.push(d.message);
    else if (d.kind === 'extend' && !ok.extend.some((e) => e.path === d.path))
      ok.extend.push({ lease: d.lease, path: d.path });
  }
  if (unknown.length) {
    const list = unknown.map((u) => `\`${u.why}\` on ${u.shown}`).join(', ');
    if (base.actor.lease && base.policy !== 'warn') {
      denials.push(
        `cannot tell which files ${list} would write. Name the files literally (no variables, globs or xargs) so ` +
          `they can be checked against your lease ${base.actor.lease.id}.`,
      );
    } else
      ok.warnings.push(
        `jit-parallel: cannot tell which files ${list} writes; files held by other leases may be changed.`,
      );
  }
  if (denials.length) {
    const head = denials.slice(0, 3).join(' Also: ');
    const more = denials.length > 3 ? ` (and ${denials.length - 3} more)` : '';
    return { kind: 'deny', reason: `jit-parallel: command refused: ${head}${more}` };
  }
  return ok;
}

/** `src/a.ts is held by …` -> `src/a.ts, which is held by …`, for "`sed -i` would write …". */
function asClause(reason: string, t: BashTarget): string {
  const r = reason.replace(/^jit-parallel: /, '');
  const what = t.isDir ? `${t.shown} (a folder: everything under it)` : t.shown;
  return r.startsWith(`${what} is `) ? `${what}, which is ${r.slice(what.length + 4)}` : r;
}

export interface OpaqueQuery {
  /** e.g. `python3 -c` */
  why: string;
  /** The paths its code names, resolved. */
  mentions: Target[];
  /** The code calls something that writes files. */
  writes: boolean;
}

/**
 * Code the hook cannot follow (`python -c`, `node -e`, `perl -e`): never denied (it may only
 * read), but a visible warning names the held files it might touch: the held files it names,
 * else, when it calls something that writes, the files other leases hold.
 */
export function opaqueWarnings(items: readonly OpaqueQuery[], base: Omit<EditQuery, 'target'>): string[] {
  if (base.policy === 'off' || base.index.leases.length === 0) return [];
  const out: string[] = [];
  const others = (ls: Lease[]) => ls.filter((l) => !ownLease(base.actor, l));
  for (const o of items) {
    const named = o.mentions.filter((t) => t.rel !== undefined && others(base.index.holdersOf(t.rel)).length > 0);
    if (named.length) {
      const list = named.map((t) => {
        const l = others(base.index.holdersOf(t.rel!))[0]!;
        return `${t.rel} (${describeHolder(l, base.nowMs, base.remoteOf?.get(l.id))})`;
      });
      out.push(
        `jit-parallel: \`${o.why}\` runs code the hook cannot follow, and it names held files: ` +
          `${list.join('; ')}. Do not change them through it.`,
      );
    } else if (o.writes) {
      const held = [...new Set(base.index.leases.filter((l) => !ownLease(base.actor, l)).flatMap((l) => l.paths))];
      if (!held.length) continue;
      const more = held.length > 5 ? ` (and ${held.length - 5} more)` : '';
      out.push(
        `jit-parallel: \`${o.why}\` runs code the hook cannot follow and it may write files; files held by ` +
          `other leases it must not touch: ${held.slice(0, 5).join(', ')}${more}.`,
      );
    }
  }
  return out;
}

/**
 * A sub-agent spawn (PreToolUse on Agent): a prompt that binds to a lease must bind to a live
 * one with the right secret, or the sub-agent would silently work unbound. Returns the deny
 * reason, or undefined when the spawn may go ahead (including prompts with no binding line).
 */
export function checkSpawn(prompt: string, leases: readonly Lease[], nowMs: number): string | undefined {
  const b = parseBindingLine(prompt);
  if (!b) {
    // A binding line below line 1 binds nothing (only line 1 is read): the sub-agent would work
    // unbound, be refused its own files, and leave its lease to whoever writes first.
    const lines = prompt.split('\n');
    // Only a binding of one of our leases: a binding-like line quoted in issue text binds nothing anyway.
    const at = lines.findIndex((l, i) => {
      const m = i > 0 ? BINDING_RE.exec(l.trim()) : null;
      return m !== null && leases.some((x) => x.id === m[1]);
    });
    if (at < 0) return undefined;
    return (
      `jit-parallel: this sub-agent prompt has its binding line on line ${at + 1}, but only line 1 binds. Do not ` +
      `start it like this: pass the output of \`jitp prompt\` unchanged as the prompt, with nothing before the ` +
      `\`<!-- jitp-binding: … -->\` line (put any note of yours after the rendered prompt, or leave it out).`
    );
  }
  const l = leases.find((x) => x.id === b.leaseId);
  const fix =
    'acquire the issue again (`jitp claim acquire <issue>`) and re-render the prompt with `jitp prompt`; never copy ' +
    'binding lines by hand';
  if (!l)
    return (
      `jit-parallel: this sub-agent prompt binds to lease ${b.leaseId}, which does not exist. Do not start it: ` +
      `${fix}.`
    );
  if (Date.parse(l.expiresAt) <= nowMs)
    return (
      `jit-parallel: this sub-agent prompt binds to lease ${l.id} (issue ${l.issueId}), which expired at ` +
      `${l.expiresAt}. Do not start it: ${fix}.`
    );
  if (l.bindSecret !== undefined && l.bindSecret !== b.secret)
    return (
      `jit-parallel: this sub-agent prompt carries a wrong secret for lease ${l.id} (issue ${l.issueId}). Do ` +
      `not start it: ${fix}.`
    );
  return undefined;
}
