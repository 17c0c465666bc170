// PreToolUse on Edit|Write|MultiEdit|NotebookEdit and Bash. Never answers "allow" (that would
// skip the user's own permission prompts): silence lets the call go ahead, a JSON deny stops
// it, a systemMessage warns. Every failure goes through failure.ts.
import { dirname, isAbsolute, resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import {
  checkSpawn,
  decideBash,
  decideEdit,
  type BashTarget,
  type Decision,
  type Target,
} from '../core/hook-decision.js';
import { buildLeaseIndexWith, needsGlobEngine } from '../core/lease-index-core.js';
import { isGlob } from '../core/paths.js';
import { normalizeRepoPath } from '../git/repo-paths.js';
import { resolveThroughSymlinks } from '../platform/fs-paths.js';
import { escapeGlob } from '../core/glob-escape.js';
import { findRepo, storeDirOf, type RepoLocation } from '../workspace/repo.js';
import type { Lease, LeaseStore } from '../core/model.js';
import type { HookHandler, HookInput, HookOutcome } from './contract.js';
import { hookCwd, hookSettings, liveContext, type LiveContext } from './context.js';
import { failureModeOf, failureOutcome } from './failure.js';
import { resolveActor } from './binding-resolve.js';
import { StoreUnreadable, openStoreFor } from './store-access.js';
import { maybeRenew, renewDue } from './heartbeat.js';

const EDIT_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

const deny = (reason: string): HookOutcome => ({
  json: {
    hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason },
  },
});
const warn = (messages: string[]): HookOutcome =>
  messages.length ? { json: { systemMessage: messages.join('\n') } } : {};

const isUnder = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/** Resolves a path the way the file system will and finds it in one of the repo's worktrees. */
export function resolveTarget(shown: string, cwd: string, loc: RepoLocation, isDir = false): Target {
  const abs = resolveThroughSymlinks(isAbsolute(shown) ? resolve(shown) : resolve(cwd, shown));
  const common = real(loc.commonDir);
  const store = real(storeDirOf(loc));
  // Inside the store, or a folder of git's that contains it (`rm -rf .git`); not the repo root.
  if (isUnder(abs, store) || (isUnder(store, abs) && isUnder(abs, common))) return { shown, abs, store: true };
  // Git's own files are not lease paths (and not policed here).
  if (isUnder(abs, common) || /(^|\/)\.git(\/|$)/.test(abs)) return { shown, abs };
  const at = findRepo(isDir ? abs : dirname(abs));
  if (!at || real(at.commonDir) !== common) return { shown, abs };
  try {
    const rel = normalizeRepoPath(abs, at.worktreeRoot);
    return { shown, abs, rel, ...(isDir ? { isDir: true } : {}) };
  } catch {
    return { shown, abs };
  }
}

/**
 * The leases this call can need: those holding its targets (or under its folders), and the
 * sub-agent's own (found by its id once bound). A sub-agent not yet bound may carry a binding
 * to any lease, so its first call reads them all.
 */
function leasesFor(ctx: LiveContext, input: HookInput, targets: readonly Target[]) {
  const agentId = typeof input.agent_id === 'string' && input.agent_id ? input.agent_id : undefined;
  const rels = targets.filter((t) => t.rel !== undefined);
  const snap = ctx.select({
    files: rels.filter((t) => !t.isDir).map((t) => t.rel!),
    dirs: rels.filter((t) => t.isDir).map((t) => t.rel!),
    strings: agentId ? [agentId] : [],
  });
  if (!agentId) return snap;
  const bound = (l: Lease) => Array.isArray(l.meta?.claudeAgentIds) && l.meta.claudeAgentIds.includes(agentId);
  return snap.leases.some(bound) ? snap : ctx.snap;
}

function isHookInput(x: HookInput): boolean {
  return typeof x.tool_name === 'string' && typeof x.tool_input === 'object' && x.tool_input !== null;
}

export const handler: HookHandler = async (input, env) => {
  if (!isHookInput(input)) {
    const cwd = hookCwd(undefined, env);
    return failureOutcome(
      'PreToolUse',
      'the hook input is not valid PreToolUse JSON (truncated or malformed)',
      failureModeOf(findRepo(cwd)?.worktreeRoot, env),
    );
  }
  const cwd = hookCwd(input, env);
  let ctx: LiveContext | undefined;
  try {
    ctx = liveContext(cwd);
  } catch (e) {
    if (!(e instanceof StoreUnreadable)) throw e;
    return failureOutcome(
      'PreToolUse',
      `the lease store cannot be read: ${e.message}`,
      failureModeOf(findRepo(cwd)?.worktreeRoot, env),
    );
  }
  if (!ctx) return {}; // no parallel work active: the path every ordinary edit takes
  return decide(input, env, cwd, ctx);
};

async function decide(input: HookInput, env: NodeJS.ProcessEnv, cwd: string, ctx: LiveContext): Promise<HookOutcome> {
  const settings = await hookSettings(ctx.loc, env);
  if (settings.policy === 'off') return {};
  const tool = String(input.tool_name);
  const ti = input.tool_input as Record<string, unknown>;
  const spawn = tool === 'Agent' || tool === 'Task';
  let target: Target | undefined;
  let bash: { targets: BashTarget[]; unknown: { shown: string; why: string }[]; parseError?: string } | undefined;
  if (EDIT_TOOLS.has(tool)) {
    const p =
      typeof ti.file_path === 'string'
        ? ti.file_path
        : typeof ti.notebook_path === 'string'
          ? ti.notebook_path
          : undefined;
    if (!p) return failureOutcome('PreToolUse', `${tool} call without a file path`, settings.failure);
    target = resolveTarget(p, cwd, ctx.loc);
  } else if (tool === 'Bash') {
    const command = typeof ti.command === 'string' ? ti.command : '';
    const { bashWrites } = await import('./bash-writes.js');
    const w = bashWrites(command, cwd, env.HOME);
    const targets: BashTarget[] = w.parseError
      ? []
      : w.targets.map((t) => ({ ...resolveTarget(t.abs, cwd, ctx.loc, t.dir), shown: t.shown, why: t.why }));
    bash = { targets, unknown: w.unknown, ...(w.parseError ? { parseError: w.parseError } : {}) };
  } else if (!spawn) return {};
  const snap = spawn ? ctx.snap : leasesFor(ctx, input, target ? [target] : (bash?.targets ?? []));
  // picomatch (40 KB) loads only when some live lease names a glob: leases usually list files.
  const index = buildLeaseIndexWith(
    snap.leases,
    ctx.nowMs,
    needsGlobEngine(snap.leases, ctx.nowMs) ? await import('../core/globs.js') : undefined,
  );
  // Writes go to the store that holds the lease: local, or the remote its mirror came from.
  const stores = new Map<string, Promise<LeaseStore>>();
  const getStore = (leaseId: string) => {
    const r = ctx.remoteOf.get(leaseId)?.remote;
    const key = r ?? '';
    if (!stores.has(key))
      stores.set(
        key,
        openStoreFor(
          ctx.storeDir,
          r ? { loc: ctx.loc, name: r, timeoutSecs: settings.remoteTimeout, ttl: settings.ttl } : undefined,
          env,
        ),
      );
    return stores.get(key)!;
  };
  const resolved = await resolveActor({
    input,
    env,
    loc: ctx.loc,
    live: index.leases,
    store: getStore,
    isRemote: (id) => ctx.remoteOf.has(id),
  });
  const warnings = resolved.warning ? [resolved.warning] : [];
  const { actor } = resolved;
  const base = { nowMs: ctx.nowMs, policy: settings.policy, actor, index, remoteOf: ctx.remoteOf };

  let extend: { lease: Lease; path: string }[] = [];
  if (spawn) {
    const d = checkSpawn(typeof ti.prompt === 'string' ? ti.prompt : '', ctx.snap.leases, ctx.nowMs);
    return d ? deny(d) : warn(warnings);
  }
  if (target) {
    const d: Decision = decideEdit({ ...base, target });
    if (d.kind === 'deny') return deny(d.reason);
    if (d.kind === 'warn') warnings.push(d.message);
    if (d.kind === 'extend') extend = [{ lease: d.lease, path: d.path }];
  } else if (bash) {
    if (bash.parseError) {
      // Not a command the shell itself would run; nothing it writes can be known.
      if (!actor.lease) return warn(warnings);
      return failureOutcome('PreToolUse', `cannot parse the Bash command (${bash.parseError})`, settings.failure);
    }
    const d = decideBash(bash.targets, bash.unknown, base);
    if (d.kind === 'deny') return deny(d.reason);
    warnings.push(...d.warnings);
    extend = d.extend;
  }

  const lease = actor.lease;
  const remote = lease ? ctx.remoteOf.get(lease.id)?.remote : undefined;
  if (lease && remote && !extend.length && renewDue(lease, ctx.nowMs, settings.ttl)) {
    // A renewal of a remote lease is a push; it need not hold up the edit, so it runs detached
    // (`jitp claim renew … --remote`), at most one start per lease per 30 s.
    const { renewInBackground } = await import('./remote-refresh.js');
    renewInBackground({
      storeDir: ctx.storeDir,
      cwd,
      jitpScript: env.JITP_HOOK_JITP ?? '',
      remote,
      lease,
      nowMs: ctx.nowMs,
    });
    return warn(warnings);
  }
  // The store's writer code loads only when there is something to write.
  if (lease && (extend.length || renewDue(lease, ctx.nowMs, settings.ttl))) {
    try {
      const s = await getStore(lease.id);
      if (extend.length) {
        await s.extend(
          { issueId: lease.issueId, agentId: lease.agentId },
          extend.map((e) => (isGlob(e.path) ? escapeGlob(e.path) : e.path)),
          `edited by sub-agent ${actor.subagentId}`,
        );
      } else await maybeRenew(s, lease, ctx.nowMs, settings.ttl);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'E_HELD')
        return deny(
          `jit-parallel: could not add ${extend.map((x) => x.path).join(', ')} to your lease ${lease.id}: ` +
            `${(e as Error).message}. Do not make this change; report it in your final answer instead.`,
        );
      if (extend.length)
        return failureOutcome(
          'PreToolUse',
          `could not extend lease ${lease.id}${remote ? ` on remote '${remote}'` : ''}: ${(e as Error).message}`,
          settings.failure,
        );
      warnings.push(`jit-parallel: could not renew lease ${lease.id}: ${(e as Error).message}`);
    }
  }
  return warn(warnings);
}
