// WorktreeCreate: the client calls it for EVERY worktree once the plugin is installed (`claude -w`,
// EnterWorktree, isolated sub-agents), in every repository. jitp acts only for a sub-agent whose
// pending isolated Agent call's prompt starts with a binding line (exact, secret-checked): that
// worktree comes from jitp (the batch's pinned base, the issue's branch and lease). Any other
// name gets exactly what the client makes without a hook (worktree/client-default.ts). Prints
// the path on stdout; a refusal exits 2 with the reason, which fails that Agent call instead of
// binding it to the wrong issue.
import { existsSync } from 'node:fs';
import type { HookHandler, HookOutcome } from '../runtime/contract.js';
import { isJitpError } from '../../platform/errors.js';
import { isLive } from '../../core/model.js';
import { readBatch, updateBatch } from '../../worktree/batch.js';
import { addWorktree, ensureBatch } from '../../worktree/create.js';
import { worktreeEnv } from '../../worktree/context.js';
import { findWorkspace } from '../../workspace/open.js';
import { agentIdOfName, anyBinding, assignWorktree } from '../../worktree/hook-assign.js';
import { clientDefaultWorktree } from '../../worktree/client-default.js';
import { resolveIssue } from '../../worktree/issues.js';
import { pendingIsolatedCalls } from '../../worktree/transcript.js';

const refuse = (reason: string): HookOutcome => ({ stderr: `${reason}\n`, exitCode: 2 });

export const handler: HookHandler = async (input, env) => {
  // Malformed input must not create anything anywhere (least of all in the hook's own cwd).
  if (typeof input.name !== 'string' || !input.name.trim())
    return refuse('jit-parallel: WorktreeCreate input without a name (malformed hook input); no worktree created');
  const name =
    input.name
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/^[.-]+/, '')
      .slice(0, 80) || `agent-${Date.now()}`;
  const cwd = typeof input.cwd === 'string' ? input.cwd : env.CLAUDE_PROJECT_DIR;
  if (!cwd)
    return refuse('jit-parallel: WorktreeCreate input without a cwd and no CLAUDE_PROJECT_DIR; no worktree created');
  const ws = findWorkspace(cwd, { env });
  if (!ws) return refuse(`jit-parallel: ${cwd} is not inside a git repository; cannot create a worktree`);
  const { repo: loc, mainRoot } = ws;
  try {
    const claudeAgentId = agentIdOfName(name);
    // Only a sub-agent's worktree can be named by a binding, and only a binding makes jitp read its
    // own state: a broken batch or configuration never stands in the way of a plain `claude -w`.
    const calls =
      claudeAgentId && typeof input.transcript_path === 'string' ? pendingIsolatedCalls(input.transcript_path) : [];
    const a = assignWorktree(calls, anyBinding(calls) ? readBatch(mainRoot) : undefined, name);
    if (a.kind === 'plain' || !claudeAgentId)
      return { stdout: `${(await clientDefaultWorktree(mainRoot, loc.commonDir, name, env)).path}\n` };
    switch (a.kind) {
      case 'refuse':
        return refuse(a.reason);
      case 'existing':
        // Never hand the client a path that is not there: it would become the sub-agent's cwd.
        if (!existsSync(a.issue.worktree!))
          return refuse(
            `jit-parallel: the worktree ${a.issue.worktree} recorded for this sub-agent is gone; run \`jitp ` +
              `cleanup\` and start the sub-agent again`,
          );
        return { stdout: `${a.issue.worktree}\n` };
      case 'binding': {
        const w = await worktreeEnv(ws, () => undefined);
        const { store } = w;
        if (!store) return refuse('jit-parallel: the prompt carries a lease binding but no lease store is available');
        const l = (await store.read()).leases.find((x) => x.id === a.leaseId && isLive(x));
        if (!l)
          return refuse(
            `jit-parallel: lease ${a.leaseId} named by the sub-agent's prompt is not live; re-claim the issue and ` +
              `re-render the prompt`,
          );
        await store.bind(l.id, a.secret, claudeAgentId); // checks the secret
        const issueId = l.issueId;
        const lease = { id: l.id, agentId: l.agentId };
        // Reserve the issue for this agent under the batch lock (parallel hooks race here).
        const batch = await ensureBatch(w);
        const info = await resolveIssue(w.source, issueId, batch);
        const reserved = await updateBatch(mainRoot, loc.commonDir, (cur) => {
          const b = cur!;
          const i = b.issues.find((x) => x.id === info.id);
          if (i?.agent.claudeAgentId && i.agent.claudeAgentId !== claudeAgentId)
            return { batch: undefined, value: `issue ${i.short} already has sub-agent ${i.agent.claudeAgentId}` };
          if (i) Object.assign(i.agent, { claudeAgentId, state: 'running', startedAt: new Date().toISOString() });
          return { batch: i ? b : undefined, value: null as string | null };
        });
        if (reserved) return refuse(`jit-parallel: ${reserved}; one sub-agent per issue`);
        const cur = readBatch(mainRoot)!.issues.find((x) => x.id === info.id);
        let path = cur?.worktree && existsSync(cur.worktree) ? cur.worktree : undefined;
        if (!path) {
          try {
            const r = await addWorktree(w, info, { claudeAgentId, existingLease: lease });
            path = r.issue.worktree!;
          } catch (e) {
            await updateBatch(mainRoot, loc.commonDir, (b) => {
              const i = b?.issues.find((x) => x.id === info.id);
              if (i && i.agent.claudeAgentId === claudeAgentId)
                Object.assign(i.agent, { claudeAgentId: null, state: 'pending' });
              return { batch: b && i ? b : undefined, value: undefined };
            });
            throw e;
          }
          await updateBatch(mainRoot, loc.commonDir, (b) => {
            const i = b?.issues.find((x) => x.id === info.id);
            if (i) Object.assign(i.agent, { claudeAgentId, state: 'running' });
            return { batch: b && i ? b : undefined, value: undefined };
          });
        }
        await store.note({
          type: 'worktree-create',
          by: lease.agentId,
          issueId: info.id,
          leaseId: lease.id,
          claudeAgentId,
          worktree: path,
        });
        return { stdout: `${path}\n` };
      }
    }
  } catch (e) {
    const msg = isJitpError(e) ? `${e.message}${e.hint ? ` (${e.hint})` : ''}` : String((e as Error)?.message ?? e);
    return refuse(`jit-parallel: cannot create the worktree: ${msg}`);
  }
};
