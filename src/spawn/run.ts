// Headless agents, one per issue in its worktree: prompt file, agent process, log and JSON
// result under .jit-parallel/batches/<batch>/<short>/, state in the batch file at each step
// so an interrupted run resumes (running agents whose process is gone count as not run).
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { quote } from 'shell-quote';
import { JitpError } from '../platform/errors.js';
import { pidAlive } from '../platform/pid.js';
import { runProcess } from '../platform/process.js';
import { type Batch, type BatchIssue, batchRunDir, readBatch, updateBatch } from '../worktree/batch.js';
import { addWorktree, type WorktreeEnv } from '../worktree/create.js';
import { git, outcome } from '../platform/git.js';
import { dirtyState } from '../worktree/git.js';
import { runPool } from './pool.js';
import { renderSpawnPrompt } from './prompt.js';

export interface SpawnOptions {
  maxParallel: number;
  /** Shell command; `{prompt_file}` and `{prompt}` are replaced (shell-quoted). Null = claude. */
  agentCmd: string | null;
  /** Issue ids to run; undefined = every issue not done and not running. */
  only?: string[];
  timeoutMs?: number;
}

export interface AgentOutcome {
  issue: string;
  short: string;
  state: 'done' | 'failed';
  exitCode: number;
  log: string;
  result: string;
  committed: string | null;
  summary: string;
}

/** Issues a plain `jitp spawn` should run: not done, not running in a live process. */
export function spawnable(batch: Batch, alive: (pid: number | null) => boolean = pidAlive): BatchIssue[] {
  return batch.issues.filter(
    (i) =>
      i.merge.state !== 'merged' &&
      (i.agent.state === 'pending' ||
        i.agent.state === 'queued' ||
        (i.agent.state === 'running' && !alive(i.agent.pid))),
  );
}

async function setAgent(w: WorktreeEnv, id: string, patch: Partial<BatchIssue['agent']>): Promise<void> {
  await updateBatch(w.mainRoot, w.commonDir, (b) => {
    const i = b?.issues.find((x) => x.id === id);
    if (!b || !i) return { batch: undefined, value: undefined };
    Object.assign(i.agent, patch);
    return { batch: b, value: undefined };
  });
}

function agentArgv(
  opts: SpawnOptions,
  prompt: string,
  promptFile: string,
  env: NodeJS.ProcessEnv,
): { file: string; args: string[]; shell: boolean } {
  if (!opts.agentCmd) {
    const bin = env.JITP_CLAUDE_BIN || 'claude';
    return {
      file: bin,
      args: ['-p', prompt, '--permission-mode', 'acceptEdits', '--output-format', 'json'],
      shell: false,
    };
  }
  const cmd = opts.agentCmd.replace(/\{prompt_file\}/g, quote([promptFile])).replace(/\{prompt\}/g, quote([prompt]));
  return { file: cmd, args: [], shell: true };
}

async function commitLeftovers(w: WorktreeEnv, issue: BatchIssue): Promise<string | null> {
  const d = await dirtyState(issue.worktree!);
  if (!d.modified.length && !d.untracked.length) return null;
  // Headless agents under acceptEdits cannot run `git commit`; the work must not stay
  // uncommitted where cleanup or a removal could meet it, so it is committed on its branch.
  const co = w.config.commit.coAuthor;
  const msg =
    `${issue.short}: ${issue.title.replace(/[\r\n]+/g, ' ').slice(0, 72)}\n\nCommitted by jitp spawn ` +
    `after the agent finished.${co ? `\n\nCo-Authored-By: ${co}` : ''}\n`;
  await git(issue.worktree!, outcome(['add', '-A']));
  // The user's commit hooks run (jitp's commit guard counts the issue's own worktree as its own).
  const r = await git(
    { cwd: issue.worktree!, env: { ...w.env, ...(issue.leaseId ? { JITP_LEASE: issue.leaseId } : {}) } },
    outcome(['commit', '-q', '-m', msg]),
  );
  if (r.code !== 0) {
    w.progress(
      `[${issue.short}] could not commit the agent's changes (left uncommitted in ${issue.worktree}): ` +
        `${r.stderr.trim().split('\n').slice(-2).join(' ')}`,
    );
  }
  if (r.code !== 0) return null;
  return (await git(issue.worktree!, outcome(['rev-parse', 'HEAD']))).stdout.trim();
}

export async function runAgents(w: WorktreeEnv, opts: SpawnOptions): Promise<AgentOutcome[]> {
  const batch0 = readBatch(w.mainRoot);
  if (!batch0)
    throw new JitpError('E_NO_BATCH', 'no batch to spawn agents for', {
      hint: 'start one with `jitp worktree add <issue…>` or `jitp batch load <file>`',
    });
  const todo = opts.only ? batch0.issues.filter((i) => opts.only!.includes(i.id)) : spawnable(batch0);
  // Worktrees first (sequentially: git's worktree admin files do not like concurrency).
  for (const i of todo) {
    if (!i.worktree)
      await addWorktree(w, {
        id: i.id,
        title: i.title,
        dependencies: i.dependencies,
        instructions: i.instructions,
        files: i.files,
      });
  }
  for (const i of todo) await setAgent(w, i.id, { state: 'queued' });
  const runDir = batchRunDir(w.mainRoot, batch0.id);
  let lastTick = Date.now();
  const t0 = Date.now();
  const running = new Set<string>();
  const heartbeat = setInterval(() => {
    if (Date.now() - lastTick < 15_000 || !running.size) return;
    w.progress(`… ${Math.round((Date.now() - t0) / 1000)}s, still running: ${[...running].join(', ')}`);
    lastTick = Date.now();
  }, 5_000);
  heartbeat.unref();
  // Leases of running agents are renewed while they run, so a long agent never loses its
  // issue to expiry (one of jit's known lease bugs); a failed renewal is said, not fatal.
  const renewEveryMs = Math.max(1_000, (w.config.ttl * 1000) / 3);
  const renewals = setInterval(() => {
    if (!w.store) return;
    const b = readBatch(w.mainRoot);
    for (const i of b?.issues ?? []) {
      if (i.agent.state !== 'running' || !i.agentId || !i.leaseId) continue;
      w.store
        .renew({ issueId: i.id, agentId: i.agentId })
        .catch((e: Error) => w.progress(`[${i.short}] warning: lease renewal failed: ${e.message}`));
    }
  }, renewEveryMs);
  renewals.unref();
  const results = await runPool(
    todo.map((i) => i.id),
    opts.maxParallel,
    async (id): Promise<AgentOutcome> => {
      const batch = readBatch(w.mainRoot)!;
      const issue = batch.issues.find((i) => i.id === id)!;
      const attempt = issue.agent.attempts + 1;
      const dir = join(runDir, issue.short);
      mkdirSync(dir, { recursive: true });
      const lease = w.store ? (await w.store.read()).leases.find((l) => l.issueId === id) : undefined;
      const prompt = renderSpawnPrompt(issue, {
        lease: lease
          ? { id: lease.id, paths: lease.paths, ...(lease.bindSecret ? { bindSecret: lease.bindSecret } : {}) }
          : null,
        mainRoot: w.mainRoot,
        config: w.config,
        source: await w.source().catch(() => null),
        env: w.env,
      });
      const promptFile = join(dir, `prompt-${attempt}.md`);
      writeFileSync(promptFile, prompt);
      const log = join(dir, `agent-${attempt}.log`);
      const result = join(dir, `result-${attempt}.json`);
      const { file, args, shell } = agentArgv(opts, prompt, promptFile, w.env);
      const started = new Date().toISOString();
      // Output streams open before the process starts: a fast agent can exit while the batch is
      // being written below.
      const logStream = createWriteStream(log);
      const resStream = createWriteStream(result);
      let pid: number | null = null;
      const running = runProcess(file, args, {
        cwd: issue.worktree!,
        shell,
        env: {
          ...w.env,
          JITP_ISSUE_ID: id,
          JITP_WORKTREE: issue.worktree!,
          JITP_BRANCH: issue.branch ?? '',
          JITP_PROMPT_FILE: promptFile,
          JITP_BATCH: batch.id,
        },
        ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
        maxOutput: 0,
        onSpawn: (c) => (pid = c.pid ?? null),
        onStdout: (s) => resStream.write(s),
        onStderr: (s) => logStream.write(s),
      });
      await setAgent(w, id, {
        state: 'running',
        attempts: attempt,
        startedAt: started,
        endedAt: null,
        exitCode: null,
        log,
        result,
        pid,
      });
      const ran = await running;
      if (ran.spawnError) logStream.write(`jitp: cannot start agent: ${ran.spawnError.message}\n`);
      const exitCode = ran.code;
      await Promise.all([new Promise((r) => logStream.end(r)), new Promise((r) => resStream.end(r))]);
      let ok = exitCode === 0;
      let summary = '';
      const out = readFileSync(result, 'utf8');
      if (!opts.agentCmd) {
        try {
          const j = JSON.parse(out) as { is_error?: boolean; result?: string; subtype?: string };
          if (j.is_error) ok = false;
          summary = String(j.result ?? j.subtype ?? '')
            .replace(/\s+/g, ' ')
            .slice(0, 160);
        } catch {
          ok = false;
          summary =
            exitCode === 127
              ? `cannot run ${file}: not found (install Claude Code, or set JITP_CLAUDE_BIN / --agent-cmd)`
              : 'agent printed no JSON result';
        }
      } else summary = out.trim().split('\n').slice(-1)[0]?.slice(0, 160) ?? '';
      const committed = ok ? await commitLeftovers(w, issue) : null;
      await setAgent(w, id, { state: ok ? 'done' : 'failed', exitCode, endedAt: new Date().toISOString(), pid: null });
      return {
        issue: id,
        short: issue.short,
        state: ok ? 'done' : 'failed',
        exitCode,
        log,
        result,
        committed,
        summary,
      };
    },
    (e) => {
      const short = todo.find((i) => i.id === e.key)!.short;
      if (e.kind === 'start') running.add(short);
      else running.delete(short);
      const shorts = (ks: string[]) => ks.map((k) => todo.find((i) => i.id === k)!.short).join(',') || '-';
      w.progress(
        `[${short}] ${e.kind === 'start' ? 'started' : e.ok ? 'done' : 'FAILED'}   running: ${shorts(e.running)}   ` +
          `queued: ${shorts(e.queued)}`,
      );
      lastTick = Date.now();
    },
    (r) => r.state === 'done',
  );
  clearInterval(heartbeat);
  clearInterval(renewals);
  return todo.map((i) => results.get(i.id)!);
}
