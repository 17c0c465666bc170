// `jitp status`: one row per issue joining the batch, git, the lease store and merge
// readiness (so it lives with the merge queue, which owns readiness). Gathering touches git
// and the store; the row model and its rendering are pure.
import { existsSync } from 'node:fs';
import type { Lease } from '../core/model.js';
import type { Batch, BatchIssue } from '../worktree/batch.js';
import type { WorktreeEnv } from '../worktree/create.js';
import { formatTimeLeft, secondsUntil } from '../platform/duration.js';
import { git, outcome } from '../platform/git.js';
import { runProcess } from '../platform/process.js';
import { branchExists, dirtyState } from '../worktree/git.js';
import { liveLeases } from '../worktree/leases.js';
import { issueFacts } from './queue-run.js';
import { readiness } from './queue.js';

export interface StatusRow {
  issue: string;
  short: string;
  title: string;
  lease: null | { id: string; holder: string; secondsLeft: number };
  worktree: null | {
    path: string;
    exists: boolean;
    branch: string | null;
    ahead: number;
    behind: number;
    dirty: boolean;
    modified: number;
    untracked: number;
    diskKb: number | null;
  };
  agent: { state: string; attempts: number; exitCode: number | null };
  merge: { state: string; ready: boolean; detail: string };
}

export interface StatusReport {
  batch: null | {
    id: string;
    base: string;
    integration: string;
    strategy: string;
    startedAt: string;
    baseBehindIntegration: number;
    baseInIntegration: boolean;
    mergeRun: Batch['mergeRun'];
  };
  issues: StatusRow[];
  leaseStore: boolean;
}

async function duKb(path: string): Promise<number | null> {
  const r = await runProcess('du', ['-sk', path], { timeoutMs: 20_000 });
  const n = r.code === 0 && !r.timedOut ? Number(r.stdout.split(/\s/)[0]) : NaN;
  return Number.isFinite(n) ? n : null;
}

async function countRange(root: string, range: string): Promise<number> {
  const r = await git(root, outcome(['rev-list', '--count', range]));
  return r.code === 0 ? Number(r.stdout.trim()) : 0;
}

export async function gatherStatus(
  w: WorktreeEnv,
  batch: Batch | undefined,
  opts: { disk?: boolean } = {},
): Promise<StatusReport> {
  if (!batch) return { batch: null, issues: [], leaseStore: !!w.store };
  const leases: Lease[] = await liveLeases(w.store).catch(() => []);
  const baseBehind = await countRange(w.mainRoot, `${batch.base}..refs/heads/${batch.integration}`);
  // A rebased or reset integration branch no longer contains the base: merges will drag in
  // the old history, which a person must know before merging.
  const baseIn =
    (await git(w.mainRoot, outcome(['merge-base', '--is-ancestor', batch.base, `refs/heads/${batch.integration}`])))
      .code === 0;
  const rows = await Promise.all(
    batch.issues.map(async (i: BatchIssue): Promise<StatusRow> => {
      const lease = leases.find((l) => l.issueId === i.id);
      let worktree: StatusRow['worktree'] = null;
      if (i.worktree || i.branch) {
        const exists = !!i.worktree && existsSync(i.worktree);
        const d = exists
          ? await dirtyState(i.worktree!).catch(() => ({ modified: [], untracked: [] }))
          : { modified: [], untracked: [] };
        const hasBranch = !!i.branch && (await branchExists(w.mainRoot, i.branch));
        worktree = {
          path: i.worktree ?? '',
          exists,
          branch: i.branch,
          ahead: hasBranch ? await countRange(w.mainRoot, `${batch.base}..refs/heads/${i.branch}`) : 0,
          behind: hasBranch
            ? await countRange(w.mainRoot, `refs/heads/${i.branch}..refs/heads/${batch.integration}`)
            : 0,
          dirty: d.modified.length + d.untracked.length > 0,
          modified: d.modified.length,
          untracked: d.untracked.length,
          diskKb: exists && opts.disk !== false ? await duKb(i.worktree!) : null,
        };
      }
      const r = readiness(i, await issueFacts(w.mainRoot, batch, i), batch);
      return {
        issue: i.id,
        short: i.short,
        title: i.title,
        lease: lease
          ? { id: lease.id, holder: lease.agentId, secondsLeft: secondsUntil(lease.expiresAt, Date.now()) }
          : null,
        worktree,
        agent: { state: i.agent.state, attempts: i.agent.attempts, exitCode: i.agent.exitCode },
        merge: {
          state: i.merge.state,
          ready: r.ready,
          detail: r.ready
            ? 'ready to merge'
            : i.merge.reason && i.merge.state !== 'pending'
              ? i.merge.reason
              : r.detail,
        },
      };
    }),
  );
  return {
    batch: {
      id: batch.id,
      base: batch.base,
      integration: batch.integration,
      strategy: batch.strategy,
      startedAt: batch.started_at,
      baseBehindIntegration: baseBehind,
      baseInIntegration: baseIn,
      mergeRun: batch.mergeRun,
    },
    issues: rows,
    leaseStore: !!w.store,
  };
}

const fmtKb = (kb: number | null) =>
  kb === null
    ? '-'
    : kb > 1024 * 1024
      ? `${(kb / 1024 / 1024).toFixed(1)}G`
      : kb > 1024
        ? `${(kb / 1024).toFixed(1)}M`
        : `${kb}K`;

export function renderStatus(r: StatusReport): string {
  if (!r.batch) return 'no batch (start one with `jitp worktree add <issue…>` or `jitp batch load <file>`)';
  const b = r.batch;
  const head = [
    `batch ${b.id}  base ${b.base.slice(0, 12)}  into ${b.integration} (${b.strategy})  started ${b.startedAt}`,
    b.baseBehindIntegration
      ? `note: ${b.integration} moved ${b.baseBehindIntegration} commit(s) past the base; \`jitp merge --dry-run\` ` +
        `shows whether that conflicts`
      : '',
    b.baseInIntegration
      ? ''
      : `WARNING: the base ${b.base.slice(0, 12)} is no longer in ${b.integration} (rebased or reset?): merging ` +
        `brings the old history back; check \`jitp merge --dry-run\``,
    b.mergeRun.state === 'stopped'
      ? `MERGE STOPPED at ${b.mergeRun.current?.slice(0, 8)} (${b.mergeRun.stoppedBecause ?? 'git refused'}): ` +
        `resolve then \`jitp merge --continue\`, or \`jitp merge --skip\``
      : '',
    r.leaseStore ? '' : 'note: no lease store available; lease columns are empty',
  ].filter(Boolean);
  const rows = r.issues.map((i) => {
    const wt = i.worktree;
    const cols = [
      i.short.padEnd(10),
      (i.lease ? `${i.lease.holder} ${formatTimeLeft(i.lease.secondsLeft)}` : '-').padEnd(28),
      (wt
        ? wt.exists
          ? `+${wt.ahead}/-${wt.behind}${wt.dirty ? ` dirty(${wt.modified}M ${wt.untracked}U)` : ' clean'}`
          : 'no worktree'
        : '-'
      ).padEnd(24),
      fmtKb(wt?.diskKb ?? null).padStart(7),
      `${i.agent.state}${i.agent.attempts > 1 ? `#${i.agent.attempts}` : ''}`.padEnd(10),
      `${i.merge.state}: ${i.merge.detail}`,
    ];
    return cols.join(' ');
  });
  const header = [
    'issue'.padEnd(10),
    'lease (holder, left)'.padEnd(28),
    'worktree (+ahead/-behind)'.padEnd(24),
    'disk'.padStart(7),
    'agent'.padEnd(10),
    'merge',
  ].join(' ');
  return [...head, '', header, ...rows].join('\n');
}
