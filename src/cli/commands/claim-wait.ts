import { hostname } from 'node:os';
import type { CommandSpec } from '../command.js';
import { str } from '../command.js';
import {
  AGENT_OPTION,
  LEASE_JSON_DOC,
  REMOTE_EXIT_DOC,
  REMOTE_OPTION,
  agentOf,
  claimsEnv,
  durationOption,
  issueOf,
  leaseJson,
  scopedPaths,
} from '../claims-shared.js';
import { isLive, type Lease, type LeaseRef, type LeaseWait } from '../../core/model.js';
import { describeCycle, waitStep } from '../../core/wait-graph.js';
import { jitpCommand } from '../../core/shell-quote.js';
import { formatTimeLeft } from '../../platform/duration.js';
import { JitpError, isJitpError, usageError } from '../../platform/errors.js';
import { pidAlive } from '../../platform/pid.js';

const DEFAULT_TIMEOUT_SECS = 300;
// Poll the committed state (a read never blocks writers) with backoff: quick to notice a hand-off
// right after it is possible, a few reads a minute on a long wait. A remote store's read may fetch.
const FIRST_POLL_MS = 100;
const MAX_POLL_MS = { local: 2_000, remote: 10_000 };
const PROGRESS_EVERY_MS = 15_000;

export const command: CommandSpec = {
  name: 'claim wait',
  summary: 'Wait until a path is free of other leases, then add it to your lease (hand-off from a finished holder)',
  usage: 'jitp claim wait <path> [--issue <id>] [--timeout <dur>] [--agent <id>] [--remote <name>]',
  help: [
    "Blocks until no other live lease holds <path>, then adds it to the acting agent's lease on --issue",
    '(default: its only live lease) in the same transaction. A lease whose sub-agent has stopped',
    '(marked finished by the SubagentStop hook) hands its files over at once: in the shared checkout the',
    "holder's changes are already on disk. Shared checkout only: a lease kept in a linked worktree (yours",
    "or the holder's) is refused, since your tree would not hold the holder's change.",
    'While waiting the wait is recorded on your lease, so every waiter sees the wait-for graph: a wait',
    'that closes a cycle makes the youngest waiter of the cycle give up (exit 1, E_DEADLOCK) with the',
    'cycle in the message. Polls the store with backoff (no busy loop); progress on stderr on a terminal.',
    '',
    'JSON: {"lease": Lease, "path", "waitedSecs", "handedOffFrom": [{"leaseId","issueId"}]}',
    LEASE_JSON_DOC,
    'Exit codes: 0 the path is now in your lease, 1 deadlock: you are the youngest waiter of a cycle',
    '            (E_DEADLOCK), 2 bad arguments or a worktree lease, 3 timed out, still held',
    '            (E_WAIT_TIMEOUT), 4 no live lease of yours on the issue, 5 store problem, 6 your lease',
    '            was lost while waiting, 9 malformed agent identity.',
    ...REMOTE_EXIT_DOC,
  ].join('\n'),
  options: {
    issue: {
      type: 'string',
      arg: '<id>',
      description: 'Your issue, whose lease takes the path (default: your only lease)',
    },
    timeout: {
      type: 'string',
      arg: '<dur>',
      description: `Give up after this long (default ${DEFAULT_TIMEOUT_SECS / 60}m; 0 = check once)`,
    },
    ...AGENT_OPTION,
    ...REMOTE_OPTION,
  },
  positionals: { min: 1, max: 1, names: '<path>' },
  async run(ctx) {
    const env = await claimsEnv(ctx);
    const agentId = agentOf(ctx);
    const t = str(ctx.args.values.timeout);
    const timeoutSecs = t === undefined ? DEFAULT_TIMEOUT_SECS : durationOption(t, '--timeout', { zero: true });
    const { paths } = scopedPaths(ctx, env, [ctx.args.positionals[0]!]);
    const path = paths[0]!;
    const start = Date.now();
    const deadline = start + timeoutSecs * 1000;
    const mine = callerLease((await env.store.read()).leases, agentId, str(ctx.args.values.issue), env, start);
    const ref: LeaseRef = { issueId: mine.issueId, agentId };
    if (mine.worktree) throw worktreeError(path, mine, 'your lease is kept in the linked worktree');
    const host = hostname();
    const isStale = (w: LeaseWait) => w.host === host && !pidAlive(w.pid);
    const maxPoll = env.remote ? MAX_POLL_MS.remote : MAX_POLL_MS.local;
    let recorded = false;
    let poll = FIRST_POLL_MS;
    let lastProgress = 0;
    const done = (lease: Lease, from: Lease[]) => {
      const now = Date.now();
      const waitedSecs = Math.round((now - start) / 1000);
      const fromText = from.length
        ? `, handed off from ${from.map((l) => `${l.id} (issue ${l.issueId})`).join(', ')}`
        : '';
      return {
        json: {
          lease: leaseJson(lease, now),
          path,
          waitedSecs,
          handedOffFrom: from.map((l) => ({ leaseId: l.id, issueId: l.issueId })),
        },
        text: `${path} is now in lease ${lease.id} (issue ${lease.issueId}) after ${waitedSecs}s${fromText}`,
      };
    };
    try {
      for (;;) {
        const now = Date.now();
        const snap = await env.store.read();
        const step = waitStep({ leases: snap.leases, nowMs: now, leaseId: mine.id, path, isStale });
        if (step.kind === 'lost')
          throw new JitpError('E_LEASE_LOST', `your lease ${mine.id} on issue ${mine.issueId} ended while waiting`, {
            hint: `check it with \`${jitpCommand('claim status --issue', mine.issueId)}\``,
          });
        if (step.kind === 'free') {
          try {
            const lease = await env.store.take(ref, [path], `waited for ${path}`);
            recorded = false; // take clears the wait record
            return done(lease, step.from);
          } catch (e) {
            // Taken by someone else between the read and the write: keep waiting.
            if (!isJitpError(e) || e.code !== 'E_HELD') throw e;
          }
        } else {
          const wt = step.holders.find((h) => h.worktree);
          if (wt) throw worktreeError(path, wt, `it is held by lease ${wt.id}, kept in the linked worktree`);
          if (step.kind === 'deadlock') throw deadlockError(path, step.holders, describeCycle(step.cycle), mine);
          if (now >= deadline) throw timeoutError(path, step.holders, timeoutSecs, mine, now);
          if (!recorded) {
            const wait: LeaseWait = {
              path,
              since: new Date(now).toISOString(),
              until: new Date(deadline).toISOString(),
              pid: process.pid,
              host,
            };
            await env.store.setWaiting(ref, wait);
            recorded = true;
            // Read again at once: the record may close a cycle another waiter is already in.
            continue;
          }
          if (ctx.interactive && now - lastProgress >= PROGRESS_EVERY_MS) {
            lastProgress = now;
            const h = step.holders[0]!;
            ctx.progress(
              `waiting for ${path}: held by lease ${h.id} (issue ${h.issueId}); ` +
                `${Math.round((now - start) / 1000)}s of ${formatTimeLeft(timeoutSecs)}`,
            );
          }
        }
        await new Promise((r) => setTimeout(r, Math.min(poll, Math.max(0, deadline - Date.now()) + 1)));
        poll = Math.min(maxPoll, Math.round(poll * 1.5));
      }
    } finally {
      if (recorded) await env.store.setWaiting(ref, null).catch(() => undefined);
    }
  },
};

function callerLease(
  leases: readonly Lease[],
  agentId: string,
  issue: string | undefined,
  env: Awaited<ReturnType<typeof claimsEnv>>,
  nowMs: number,
): Lease {
  const own = leases.filter((l) => isLive(l, nowMs) && l.agentId === agentId);
  if (issue !== undefined) {
    const issueId = issueOf(env, issue);
    const l = own.find((x) => x.issueId === issueId);
    if (l) return l;
    throw new JitpError('E_NOT_FOUND', `${agentId} holds no live lease on issue ${issueId} to add the path to`, {
      hint: `claim the issue first: \`${jitpCommand('claim acquire', issueId)}\`; see \`jitp claim list\``,
    });
  }
  if (own.length === 1) return own[0]!;
  if (!own.length)
    throw new JitpError('E_NOT_FOUND', `${agentId} holds no live lease to add the path to`, {
      hint: 'claim your issue first: `jitp claim acquire <issue>`',
    });
  throw usageError(
    `${agentId} holds ${own.length} live leases (issues ${own.map((l) => l.issueId).join(', ')}): say which one waits`,
    `add --issue <id>, e.g. ${jitpCommand('claim wait', '<path>')} --issue ${own[0]!.issueId}`,
  );
}

function worktreeError(path: string, lease: Lease, why: string): JitpError {
  return usageError(
    `cannot wait for ${path}: ${why} (${lease.worktree}). A hand-off works only in the shared checkout, where ` +
      `the holder's change is already in the files the waiter edits; in worktree mode it is on the holder's branch`,
    'finish without the file and report the change it needs; it is made after the holder is merged',
    { leaseId: lease.id, worktree: lease.worktree },
  );
}

const holderText = (hs: Lease[]) => hs.map((h) => `lease ${h.id} (issue ${h.issueId}, ${h.agentId})`).join(', ');

function timeoutError(path: string, holders: Lease[], secs: number, mine: Lease, now: number): JitpError {
  return new JitpError(
    'E_WAIT_TIMEOUT',
    `${path} is still held by ${holderText(holders)} after ${formatTimeLeft(secs)}`,
    {
      hint:
        `wait again (\`${jitpCommand('claim wait', path)} --issue ${mine.issueId} --timeout 10m\`) or finish ` +
        `without it and report the change ${path} needs`,
      details: { path, holders: holders.map((h) => ({ leaseId: h.id, issueId: h.issueId })), at: new Date(now) },
    },
  );
}

function deadlockError(path: string, holders: Lease[], cycle: string[], mine: Lease): JitpError {
  return new JitpError(
    'E_DEADLOCK',
    `waiting for ${path} (held by ${holderText(holders)}) would deadlock: ${cycle.join('; ')}. Lease ${mine.id} ` +
      `(issue ${mine.issueId}) is the youngest waiter, so it gives up`,
    {
      hint:
        `do not wait for ${path}: finish your issue without it and report the change it needs in your final ` +
        `answer (when you stop, the files you hold pass to the lease waiting for them), or give up your own ` +
        `held files (\`${jitpCommand('claim release', mine.issueId)}\`) if your work on them is not needed`,
      details: { path, cycle },
    },
  );
}
