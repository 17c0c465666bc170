// PreToolUse on Edit|Write|MultiEdit|NotebookEdit and Bash. Never answers "allow" (that would
// skip the user's own permission prompts): silence lets the call go ahead, a JSON deny stops
// it, a systemMessage warns. Every failure goes through failure.ts.
import { dirname, isAbsolute, resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { checkSpawn, decideBash, decideEdit, type Decision, type Target } from '../../core/hook-decision.js';
import { buildLeaseIndexWith, needsGlobEngine } from '../../core/lease-index-core.js';
import { isGlob } from '../../core/paths.js';
import { normalizeRepoPath } from '../../git/repo-paths.js';
import { resolveThroughSymlinks } from '../../platform/fs-paths.js';
import { escapeGlob } from '../../core/glob-escape.js';
import { findRepo, storeDirOf, type RepoLocation } from '../../workspace/repo.js';
import type { Lease, LeaseStore } from '../../core/model.js';
import type { HookHandler, HookInput, HookOutcome } from '../runtime/contract.js';
import { hookCwd, hookSettings, liveContext, type LiveContext } from '../runtime/context.js';
import { failureModeOf, failureOutcome } from '../runtime/failure.js';
import { anchorDir } from '../runtime/anchor.js';
import { hookGlobEngine } from '../runtime/glob-engine.js';
import { resolveActor } from '../runtime/binding-resolve.js';
import { finishedAtOf } from '../runtime/bind-record.js';
import { StoreUnreadable, openStoreFor } from '../runtime/store-access.js';
import type { LargeIndex } from '../runtime/large-store.js';
import { maybeRenew, renewDue } from '../runtime/heartbeat.js';
import { decideBashCall, heldTwin, isDirectory } from './bash-call.js';

const EDIT_TOOLS = new Set(['Edit', 'Write', 'MultiEdit', 'NotebookEdit']);

const deny = (reason: string): HookOutcome => ({
  json: {
    hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason },
  },
});
const warn = (messages: string[]): HookOutcome =>
  messages.length ? { json: { systemMessage: messages.join('\n') } } : {};

/**
 * A free file added to the sub-agent's lease (policy extend): the model is told in the tool call's
 * context (PreToolUse additionalContext; no permission decision, so the user's prompts still apply).
 */
function extended(extend: readonly { path: string }[], lease: Lease, warnings: string[]): HookOutcome {
  const files = extend.map((e) => e.path).join(', ');
  const note =
    `jit-parallel: ${files} ${extend.length > 1 ? 'were' : 'was'} free and ${extend.length > 1 ? 'are' : 'is'} ` +
    `now part of your lease ${lease.id} (issue ${lease.issueId}); no other agent may change ` +
    `${extend.length > 1 ? 'them' : 'it'} until your lease ends.`;
  return {
    json: {
      hookSpecificOutput: { hookEventName: 'PreToolUse', additionalContext: note },
      ...(warnings.length ? { systemMessage: warnings.join('\n') } : {}),
    },
  };
}

const isUnder = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};

/** Resolves a path the way the file system will and finds it in one of the repo's worktrees. */
export function resolveTarget(shown: string, cwd: string, loc: RepoLocation, dir = false): Target {
  const abs = resolveThroughSymlinks(isAbsolute(shown) ? resolve(shown) : resolve(cwd, shown));
  // `src` names the folder when it is one: every file under it is checked (issue 13, item 1).
  const isDir = dir || shown.endsWith('/') || isDirectory(abs);
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

const READ_TOOLS = new Set(['Read', 'Grep', 'Glob', 'NotebookRead']);

/**
 * The live leases as an index; a large local store's through its view (runtime/large-store.ts).
 * picomatch (40 KB) loads only for a glob the tiny matcher cannot decide (runtime/glob-engine.ts).
 */
async function leaseIndexOf(ctx: LiveContext): Promise<LargeIndex> {
  if (ctx.large) {
    const { largeStoreIndex } = await import('../runtime/large-store.js');
    return largeStoreIndex(ctx.large, ctx.nowMs, () => ctx.snap.leases, hookGlobEngine);
  }
  const { leases } = ctx.snap;
  const globs = await hookGlobEngine(needsGlobEngine(leases, ctx.nowMs));
  const index = buildLeaseIndexWith(leases, ctx.nowMs, globs);
  return { index, actorLeases: () => index.leases };
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
  // Relative paths resolve against cwd; the repository is cwd's, or the target's when cwd is outside.
  const at = anchorDir(input, cwd, (d) => findRepo(d) !== undefined);
  let ctx: LiveContext | undefined;
  try {
    ctx = liveContext(at);
  } catch (e) {
    if (!(e instanceof StoreUnreadable)) throw e;
    return failureOutcome(
      'PreToolUse',
      `the lease store cannot be read: ${e.message}`,
      failureModeOf(findRepo(at)?.worktreeRoot, env),
    );
  }
  if (!ctx) return {}; // no parallel work active: the path every ordinary edit takes
  return decide(input, env, cwd, ctx);
};

async function decide(input: HookInput, env: NodeJS.ProcessEnv, cwd: string, ctx: LiveContext): Promise<HookOutcome> {
  const settings = await hookSettings(ctx.loc, env);
  const out = await decideUnder(input, env, cwd, ctx, settings);
  return settings.configProblem ? withConfigProblem(out, settings.configProblem) : out;
}

/** An invalid config is said in every answer (deny reason or warning) until it is fixed (issue 14, 7). */
function withConfigProblem(out: HookOutcome, problem: string): HookOutcome {
  if (out.stderr !== undefined || out.stdout !== undefined)
    return { ...out, stderr: `${out.stderr ?? ''}\n${problem}` };
  const json = (out.json ?? {}) as Record<string, unknown>;
  const hso = json.hookSpecificOutput as Record<string, unknown> | undefined;
  if (hso?.permissionDecision === 'deny')
    return {
      ...out,
      json: {
        ...json,
        hookSpecificOutput: { ...hso, permissionDecisionReason: `${String(hso.permissionDecisionReason)}\n${problem}` },
      },
    };
  const msg = typeof json.systemMessage === 'string' ? `${json.systemMessage}\n${problem}` : problem;
  return { ...out, json: { ...json, systemMessage: msg } };
}

async function decideUnder(
  input: HookInput,
  env: NodeJS.ProcessEnv,
  cwd: string,
  ctx: LiveContext,
  settings: Awaited<ReturnType<typeof hookSettings>>,
): Promise<HookOutcome> {
  if (settings.policy === 'off') return {};
  const { index, actorLeases } = await leaseIndexOf(ctx);
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
    live: actorLeases(input, env),
    store: getStore,
    isRemote: (id) => ctx.remoteOf.has(id),
    bindRecords: { storeDir: ctx.storeDir, record: true },
  });
  const warnings = resolved.warning ? [resolved.warning] : [];
  // A first binding refused as late: the model is told why it is unbound with the refusal it gets.
  const refuse = (r: string) => deny(resolved.late ? `${r}\n${resolved.warning}` : r);
  const { actor } = resolved;
  const base = {
    nowMs: ctx.nowMs,
    policy: settings.policy,
    actor,
    index,
    remoteOf: ctx.remoteOf,
    finishedAt: (l: Lease) => finishedAtOf(ctx.storeDir, l),
  };
  const tool = String(input.tool_name);
  const ti = input.tool_input as Record<string, unknown>;

  let extend: { lease: Lease; path: string }[] = [];
  // The store's files hold every lease's binding secret, a sub-agent's transcript its own: read
  // neither (issue 13, item 2; protected-reads.ts).
  if (READ_TOOLS.has(tool) || (tool === 'Bash' && actor.subagentId !== undefined)) {
    // Lazy (a small CommonJS file): the glob matching and path expansion stay out of the edit path.
    const { checkBashReads, checkReadTool, protectedAreas } = await import('./protected-reads.js');
    const areas = protectedAreas(input, env, ctx.storeDir, actor.subagentId !== undefined, cwd);
    const refused = READ_TOOLS.has(tool)
      ? checkReadTool(tool, ti, cwd, areas)
      : checkBashReads(typeof ti.command === 'string' ? ti.command : '', cwd, env, areas);
    if (refused) return deny(refused);
    if (READ_TOOLS.has(tool)) return warn(warnings);
  }
  if (tool === 'Agent' || tool === 'Task') {
    const d = checkSpawn(typeof ti.prompt === 'string' ? ti.prompt : '', ctx.snap.leases, ctx.nowMs);
    return d ? deny(d) : warn(warnings);
  }
  if (EDIT_TOOLS.has(tool)) {
    const p =
      typeof ti.file_path === 'string'
        ? ti.file_path
        : typeof ti.notebook_path === 'string'
          ? ti.notebook_path
          : undefined;
    if (!p) return failureOutcome('PreToolUse', `${tool} call without a file path`, settings.failure);
    const target = resolveTarget(p, cwd, ctx.loc);
    // A hard link of a held file is that file (issue 13, item 6).
    const twin = heldTwin(target, () => index.leases, ctx.loc);
    const t = twin ? decideEdit({ ...base, target: twin }) : undefined;
    if (t?.kind === 'deny') return refuse(t.reason);
    const d: Decision = decideEdit({ ...base, target });
    if (d.kind === 'deny') return refuse(d.reason);
    if (d.kind === 'warn') warnings.push(d.message);
    if (d.kind === 'extend') extend = [{ lease: d.lease, path: d.path }];
  } else if (tool === 'Bash') {
    const command = typeof ti.command === 'string' ? ti.command : '';
    if (actor.subagentId !== undefined) {
      // A sub-agent shares the orchestrator's identity in jitp: its lease commands must act on its own lease.
      const L = actor.lease;
      const own = L ? { leaseId: L.id, issueId: L.issueId, agentId: L.agentId } : undefined;
      // Lazy, in the bundle the sub-agent's Bash call has just loaded for its reads (above).
      const { checkSubagentJitp } = await import('./protected-reads.js');
      const refused = checkSubagentJitp(command, own, actor.subagentId);
      if (refused) return refuse(refused);
    }
    const d = await decideBashCall(command, cwd, env, ctx.loc, base, resolveTarget);
    if (d.kind === 'failure') return failureOutcome('PreToolUse', d.problem, settings.failure);
    if (d.kind === 'deny') return refuse(d.reason);
    warnings.push(...d.warnings);
    extend = d.extend;
  } else return {};

  const lease = actor.lease;
  const remote = lease ? ctx.remoteOf.get(lease.id)?.remote : undefined;
  if (lease && remote && !extend.length && renewDue(lease, ctx.nowMs, settings.ttl)) {
    // A renewal of a remote lease is a push; it need not hold up the edit, so it runs detached
    // (`jitp claim renew … --remote`), at most one start per lease per 30 s.
    const { renewInBackground } = await import('../runtime/remote-refresh.js');
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
        return extended(extend, lease, warnings);
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
