// `jitp cleanup`: what a finished batch leaves behind, removed only where nothing is lost.
// Each issue's worktree and branch go when every commit is in the integration branch and
// nothing is uncommitted (worktree/safety.ts decides, remove.ts does it); sub-agent worktrees
// under .claude/worktrees/ are judged by the same rule when jitp made them (their identity file;
// a user's own `claude -w` worktree is kept, whatever its state); stale worktree records are
// pruned, and so are the hooks' records of sub-agents that are done; a batch with nothing left is
// archived.
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { boundAgents } from '../core/hook-decision.js';
import { pruneAgentRecords, type AgentRecordsReport } from '../store/local/agent-records.js';
import { batchPaths, batchRunDir, readBatch, updateBatch } from './batch.js';
import type { WorktreeEnv } from './create.js';
import { git, outcome } from '../platform/git.js';
import { currentBranch, listWorktrees, worktreeAdmin } from './git.js';
import { removalFacts, removeIssue, removeLooseWorktree } from './remove.js';
import { decideRemoval } from './safety.js';
import { readIdentity } from './create.js';
import { liveLeases } from './leases.js';

export interface CleanedEntry {
  issue: string | null;
  short: string | null;
  /** Set for worktrees outside the batch (`.claude/worktrees/…`). */
  worktree?: string;
  removedWorktree: boolean;
  deletedBranch: boolean;
  releasedLease: boolean;
  lost: string[];
}

export interface RefusedEntry {
  issue: string | null;
  short: string;
  reasons: string[];
}

export interface CleanupReport {
  cleaned: CleanedEntry[];
  refused: RefusedEntry[];
  pruned: string[];
  /** Worktrees under .claude/worktrees/ jitp did not make (no identity file): never touched. */
  kept: string[];
  /** The hooks' per-sub-agent records (`<store>/agents/`), by agent id. */
  bindRecords: AgentRecordsReport;
  batchArchived: boolean;
  /** One line per thing done, refused or (dry run) planned, for people. */
  lines: string[];
}

export interface CleanupOptions {
  force: boolean;
  dryRun: boolean;
  /** What --force is about to discard, said before it is gone. */
  warn: (line: string) => void;
}

export async function cleanupBatch(w: WorktreeEnv, o: CleanupOptions): Promise<CleanupReport> {
  const { force, dryRun: dry } = o;
  const prune = await worktreeAdmin(w.commonDir, () =>
    git(w.mainRoot, outcome(['worktree', 'prune', '--verbose', ...(dry ? ['--dry-run'] : [])])),
  );
  const pruned = (prune.stdout + prune.stderr).split('\n').filter(Boolean);
  const batch = readBatch(w.mainRoot);
  const cleaned: CleanedEntry[] = [];
  const refused: RefusedEntry[] = [];
  const lines: string[] = pruned.map((p) => `pruned: ${p}`);
  for (const issue of batch?.issues ?? []) {
    if (!issue.worktree && !issue.branch) continue;
    if (dry) {
      const v = decideRemoval(await removalFacts(w, batch!, issue), { mode: 'cleanup', force });
      if (v.allowed)
        lines.push(
          `would remove ${issue.short}: ${issue.worktree ?? '(no worktree)'} ${issue.branch ?? ''}` +
            `${v.losses.length ? ` LOSING ${v.losses.join('; ')}` : ''}`,
        );
      else {
        refused.push({ issue: issue.id, short: issue.short, reasons: v.refusals });
        lines.push(`would refuse ${issue.short}: ${v.refusals.join('; ')}`);
      }
      continue;
    }
    const r = await removeIssue(w, batch!, issue, { mode: 'cleanup', force });
    for (const l of r.verdict.losses) o.warn(`--force discards ${issue.short} ${l}`);
    if (!r.verdict.allowed) {
      refused.push({ issue: issue.id, short: issue.short, reasons: r.verdict.refusals });
      lines.push(`refused ${issue.short} (${issue.worktree ?? issue.branch}): ${r.verdict.refusals.join('; ')}`);
    } else {
      cleaned.push({
        issue: r.issue,
        short: r.short,
        removedWorktree: r.removedWorktree,
        deletedBranch: r.deletedBranch,
        releasedLease: r.releasedLease,
        lost: r.verdict.losses,
      });
      lines.push(
        `cleaned ${issue.short}: ${
          [
            r.removedWorktree && 'worktree removed',
            r.deletedBranch && `branch ${issue.branch} deleted`,
            r.releasedLease && 'lease released',
          ]
            .filter(Boolean)
            .join(', ') || 'nothing left to remove'
        }`,
      );
    }
  }
  // Sub-agent worktrees outside the batch (`.claude/worktrees/`, the client's folder and the
  // ones WorktreeCreate makes as the client would): orphans there are where disk quietly goes.
  const claudeDir = join(w.mainRoot, '.claude', 'worktrees');
  const inBatch = new Set((batch?.issues ?? []).map((i) => i.worktree).filter(Boolean));
  const integration = batch?.integration ?? (await currentBranch(w.mainRoot)) ?? 'HEAD';
  const kept: string[] = [];
  for (const rec of (await listWorktrees(w.mainRoot)).slice(1)) {
    const rel = relative(claudeDir, rec.path);
    if (inBatch.has(rec.path) || rel.startsWith('..') || isAbsolute(rel)) continue;
    // The client's own worktrees (`claude -w`, EnterWorktree, isolated sub-agents without a
    // binding) live here too: only one jitp made, with its identity, is jitp's to remove.
    if (!jitpMade(rec.path)) {
      kept.push(rec.path);
      lines.push(`kept ${rec.path}: not made by jitp (no identity file)`);
      continue;
    }
    const r = await removeLooseWorktree(w, rec.path, rec.branch ?? null, integration, { force, dryRun: dry });
    for (const l of r.verdict.losses) o.warn(`--force discards ${rec.path}: ${l}`);
    if (!r.verdict.allowed) {
      refused.push({ issue: null, short: rec.path, reasons: r.verdict.refusals });
      lines.push(`${dry ? 'would refuse' : 'refused'} ${rec.path}: ${r.verdict.refusals.join('; ')}`);
    } else if (dry) lines.push(`would remove ${rec.path} ${rec.branch ?? ''}`);
    else {
      cleaned.push({
        issue: null,
        short: null,
        worktree: rec.path,
        removedWorktree: r.removedWorktree,
        deletedBranch: r.deletedBranch,
        releasedLease: false,
        lost: r.verdict.losses,
      });
      lines.push(
        `cleaned ${rec.path}: ${[
          r.removedWorktree && 'worktree removed',
          r.deletedBranch && `branch ${rec.branch} deleted`,
        ]
          .filter(Boolean)
          .join(', ')}`,
      );
    }
  }
  const bindRecords = await pruneBindRecords(w, dry);
  if (bindRecords.pruned.length)
    lines.push(
      `${dry ? 'would prune' : 'pruned'} the records of ${bindRecords.pruned.length} finished sub-agent(s) ` +
        `(${bindRecords.kept.length} kept)`,
    );
  let batchArchived = false;
  if (batch && !dry && !refused.some((r) => r.issue !== null)) {
    await updateBatch(w.mainRoot, w.commonDir, (b) => {
      if (b && b.issues.every((i) => !i.worktree && !i.branch)) {
        const dir = batchRunDir(w.mainRoot, b.id);
        mkdirSync(dir, { recursive: true });
        renameSync(batchPaths(w.mainRoot).file, `${dir}/batch.yaml`);
        batchArchived = true;
      }
      return { batch: undefined, value: undefined };
    });
    if (batchArchived)
      lines.push(`batch ${batch.id} finished; archived to .jit-parallel/batches/${batch.id}/batch.yaml`);
  }
  if (refused.length)
    lines.push(
      '',
      `refused ${refused.length}: merge them first (\`jitp merge\`), commit or remove the files, or ` +
        '`jitp cleanup --force` to discard',
    );
  if (!lines.length) lines.push('nothing to clean');
  return { cleaned, refused, pruned, kept, bindRecords, batchArchived, lines };
}

/** A worktree `jitp worktree add` made: its git dir holds jitp's identity file. */
function jitpMade(path: string): boolean {
  let gitdir: string;
  try {
    const m = /^gitdir: (.+)$/m.exec(readFileSync(join(path, '.git'), 'utf8'));
    if (!m) return false;
    gitdir = resolve(path, m[1]!.trim());
  } catch {
    return false; // no .git file (a folder gone, a main checkout): nothing says jitp made it
  }
  return readIdentity(gitdir) !== undefined;
}

/** The hooks' sub-agent records: those of sub-agents no live lease holds and that are done. */
async function pruneBindRecords(w: WorktreeEnv, dryRun: boolean): Promise<AgentRecordsReport> {
  const leases = await liveLeases(w.store);
  return pruneAgentRecords(
    join(w.commonDir, 'jit-parallel'),
    { leaseIds: new Set(leases.map((l) => l.id)), boundAgentIds: new Set(leases.flatMap(boundAgents)) },
    { dryRun },
  );
}
