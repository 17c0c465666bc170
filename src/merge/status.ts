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
import { table, type Cell } from '../render/table.js';
import { PLAIN, type Style } from '../render/style.js';
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

export interface RenderOptions {
  /** Colour (cli decides when: a terminal, no NO_COLOR); plain by default. */
  style?: Style;
  /** A terminal's width: the table is cut to it. Unset (a pipe): rows are whole, however long. */
  width?: number;
}

const AGENT_PAINT: Record<string, keyof Style> = { running: 'cyan', done: 'green', failed: 'red', queued: 'dim' };
const MERGE_PAINT: Record<string, keyof Style> = {
  merged: 'green',
  ready: 'green',
  conflict: 'red',
  'test-failed': 'red',
  merging: 'cyan',
  skipped: 'dim',
};

export function renderStatus(r: StatusReport, opts: RenderOptions = {}): string {
  const s = opts.style ?? PLAIN;
  const paint = (name: keyof Style | undefined) => (name ? (s[name] as (t: string) => string) : undefined);
  if (!r.batch) return 'no batch (start one with `jitp worktree add <issue…>` or `jitp batch load <file>`)';
  const b = r.batch;
  const head = [
    s.bold(`batch ${b.id}`) +
      `  base ${b.base.slice(0, 12)}  into ${b.integration} (${b.strategy})  started ${b.startedAt}`,
    b.baseBehindIntegration
      ? `note: ${b.integration} moved ${b.baseBehindIntegration} commit(s) past the base; \`jitp merge --dry-run\` ` +
        `shows whether that conflicts`
      : '',
    b.baseInIntegration
      ? ''
      : s.red(`WARNING: the base ${b.base.slice(0, 12)} is no longer in ${b.integration} (rebased or reset?):`) +
        ` merging brings the old history back; check \`jitp merge --dry-run\``,
    b.mergeRun.state === 'stopped'
      ? s.red(`MERGE STOPPED at ${b.mergeRun.current?.slice(0, 8)} (${b.mergeRun.stoppedBecause ?? 'git refused'}):`) +
        ` resolve then \`jitp merge --continue\`, or \`jitp merge --skip\``
      : '',
    r.leaseStore ? '' : 'note: no lease store available; lease columns are empty',
  ].filter(Boolean);
  const rows: Cell[][] = r.issues.map((i) => {
    const wt = i.worktree;
    const tree = wt
      ? wt.exists
        ? { text: `+${wt.ahead}/-${wt.behind}${wt.dirty ? ` dirty(${wt.modified}M ${wt.untracked}U)` : ' clean'}` }
        : { text: 'no worktree', paint: s.yellow }
      : { text: '-' };
    if (wt?.dirty) tree.paint = s.yellow;
    return [
      i.short,
      i.title,
      i.lease ? `${i.lease.holder} ${formatTimeLeft(i.lease.secondsLeft).replace(/ left$/, '')}` : '-',
      tree,
      fmtKb(wt?.diskKb ?? null),
      {
        text: `${i.agent.state}${i.agent.attempts > 1 ? `#${i.agent.attempts}` : ''}`,
        paint: paint(AGENT_PAINT[i.agent.state]),
      },
      {
        text: i.merge.state === 'pending' ? i.merge.detail : `${i.merge.state}: ${i.merge.detail}`,
        paint: paint(i.merge.ready ? 'green' : MERGE_PAINT[i.merge.state]),
      },
    ];
  });
  const header = ['issue', 'title', 'lease (holder, left)', 'worktree (+ahead/-behind)', 'disk', 'agent', 'merge'];
  const lines = table([header, ...rows], {
    align: ['l', 'l', 'l', 'l', 'r'],
    header: s.bold,
    shrink: [1, 6, 2],
    ...(opts.width ? { width: opts.width } : {}),
  });
  return [...head, '', ...lines].join('\n');
}
