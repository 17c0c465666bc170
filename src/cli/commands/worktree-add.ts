import type { CommandSpec } from '../command.js';
import { str } from '../command.js';
import { EXIT, isJitpError, JitpError, type ErrorCode } from '../../platform/errors.js';
import { addWorktree, ensureBatch } from '../../worktree/create.js';
import { worktreeEnv } from '../../worktree/context.js';
import { workspaceOf } from '../workspace.js';
import { resolveIssue } from '../../worktree/issues.js';
import { resolveAgentId } from '../../config/identity.js';
import { DEFAULT_AGENT_ID } from '../../core/default-agent.js';

export const command: CommandSpec = {
  name: 'worktree add',
  summary: "Create one worktree + branch per issue from the batch's pinned base, with its lease",
  usage: 'jitp worktree add <issue…> [--base <rev>] [--agent <id>]',
  help: [
    "For each issue: acquires its lease (worktree, branch) as --agent, else JIT_AGENT_ID, else the worktree's",
    'own agent:jitp-<short>; a live claim the caller already holds on the issue (as --agent, JIT_AGENT_ID,',
    `agent.toml or ${DEFAULT_AGENT_ID}) is used as it is. Creates branch jit/<short>-<slug> (config`,
    "worktree.branch) at the batch's pinned base in ../<repo>.worktrees/<short>-<slug> (config",
    'worktree.dir), verifies HEAD, copies .worktreeinclude / worktree.include files, records the agent',
    'identity, runs worktree.postCreate. Any failure rolls that issue back completely. The first add',
    'starts the batch (.jit-parallel/batch.yaml) and pins its base (default HEAD).',
    '',
    'JSON: {"batch": id, "base": sha, "worktrees": [{"issue", "short", "branch", "worktree", "created",',
    '       "included": [file], "lease": {"id","expiresAt"}|null}], "errors": [{"issue", "code", "message", "hint"}]}',
    'Exit codes: 0 all created (or already there), 1 postCreate failed, 2 usage/bad id, 3 held by another',
    "lease, 4 unknown issue, 7 git failure, 9 malformed agent identity; with several issues, the first failure's code.",
  ].join('\n'),
  options: {
    base: { type: 'string', arg: '<rev>', description: 'Base for a new batch (default: config worktree.base, HEAD)' },
    agent: {
      type: 'string',
      arg: '<id>',
      description: 'Agent identity for the worktree (else JIT_AGENT_ID, else agent:jitp-<short>)',
    },
  },
  positionals: { min: 1, names: '<issue…>' },
  async run(ctx) {
    const flagAgent = str(ctx.args.values.agent);
    // Validated before anything is created; the caller's identity finds its own claims.
    const caller = resolveAgentId({ flag: flagAgent, env: ctx.env }).agentId;
    const explicit = flagAgent || ctx.env.JIT_AGENT_ID ? caller : undefined;
    const w = await worktreeEnv(workspaceOf(ctx), ctx.progress);
    const batch = await ensureBatch(w, { baseRef: str(ctx.args.values.base) });
    const out: unknown[] = [];
    const errors: Array<{ issue: string; code: ErrorCode; message: string; hint?: string }> = [];
    let exitCode: number = EXIT.OK;
    const lines: string[] = [];
    for (const q of ctx.args.positionals) {
      try {
        const info = await resolveIssue(w.source, q, batch);
        const r = await addWorktree(w, info, { agentId: explicit, callerAgentId: caller });
        out.push({
          issue: r.issue.id,
          short: r.issue.short,
          branch: r.issue.branch,
          worktree: r.issue.worktree,
          created: r.created,
          included: r.included,
          lease: r.lease,
        });
        lines.push(
          `${r.created ? 'created' : 'exists '} ${r.issue.short}  ${r.issue.branch}  ` +
            `${r.issue.worktree}${r.lease ? `  lease ${r.lease.id}` : w.store ? '' : '  (no lease store yet)'}`,
        );
      } catch (e) {
        if (!isJitpError(e)) throw e;
        errors.push({ issue: q, code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) });
        lines.push(`FAILED  ${q}: ${e.message}${e.hint ? `\n        hint: ${e.hint}` : ''}`);
        if (exitCode === EXIT.OK) exitCode = e.exitCode;
      }
    }
    if (errors.length && errors.length === ctx.args.positionals.length && ctx.args.positionals.length === 1) {
      const e = errors[0]!;
      throw new JitpError(e.code, e.message, { hint: e.hint });
    }
    lines.push(
      '',
      `batch ${batch.id}, base ${batch.base.slice(0, 12)} (${batch.baseRef}), integration branch ${batch.integration}`,
    );
    return { json: { batch: batch.id, base: batch.base, worktrees: out, errors }, text: lines.join('\n'), exitCode };
  },
};
