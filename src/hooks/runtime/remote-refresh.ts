// Keeps the remote mirrors fresh without ever making a hook wait for the network: a stale
// mirror (older than remoteMirrorMaxAge), or any mirror at session start, gets a detached
// `jitp claim sync <remote> --max-age …` and the hook answers from the view it has.
// Loaded only when there is something to refresh.
import { existsSync, mkdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lease } from '../../core/model.js';
import { startDetached } from '../../platform/process.js';
import { remoteFileKey } from '../../remote/mirror-read.js';
import { refreshInBackground } from '../../remote/view.js';

/**
 * A refresh that cannot reach the remote leaves the mirror as old as it was, so every edit
 * would start another one: at most one start per remote per this many seconds (the marker's
 * mtime is the last start).
 */
export const refreshGapSecs = (maxAgeSecs: number): number => Math.min(Math.max(maxAgeSecs, 5), 30);

const markerOf = (storeDir: string, remote: string) => join(storeDir, `remote-${remoteFileKey(remote)}.refresh`);

/**
 * True when a start was stamped on the marker less than gapSecs ago and after `doneMs` (the
 * last time the work was known done, e.g. the mirror's fetchedAt); otherwise stamps the marker
 * (now) and says false.
 */
function recentlyStarted(storeDir: string, marker: string, gapSecs: number, now: number, doneMs = -Infinity): boolean {
  try {
    const t = statSync(marker).mtimeMs;
    if (now - t < gapSecs * 1000 && t > doneMs) return true;
  } catch {
    /* never started from a hook */
  }
  try {
    try {
      const t = new Date(now);
      utimesSync(marker, t, t);
    } catch {
      mkdirSync(storeDir, { recursive: true });
      writeFileSync(marker, '');
    }
    return false;
  } catch {
    return true; // a store folder we cannot write: jitp could not write its mirror either
  }
}

export const RENEW_GAP_SECS = 30;

/**
 * Heartbeat of a remote lease: `jitp claim renew <issue> --agent <holder> --token <n> --remote <r>`
 * detached (a push; the edit does not wait for it). Never throws.
 */
export function renewInBackground(opts: {
  storeDir: string;
  cwd: string;
  jitpScript: string;
  remote: string;
  lease: Lease;
  nowMs?: number;
}): boolean {
  const { lease } = opts;
  if (!opts.jitpScript || !existsSync(opts.jitpScript) || !/^[A-Za-z0-9_-]{1,64}$/.test(lease.id)) return false;
  if (
    recentlyStarted(
      opts.storeDir,
      join(opts.storeDir, `remote-${remoteFileKey(opts.remote)}.renew-${lease.id}`),
      RENEW_GAP_SECS,
      opts.nowMs ?? Date.now(),
    )
  )
    return false;
  return startDetached(
    process.execPath,
    [
      opts.jitpScript,
      'claim',
      'renew',
      lease.issueId,
      '--agent',
      lease.agentId,
      // The hook renews on the lease holder's behalf, whatever JIT_AGENT_ID its env says.
      '--impersonate',
      '--token',
      String(lease.token),
      '--remote',
      opts.remote,
    ],
    { cwd: opts.cwd },
  );
}

/** Starts the refreshes due; returns the remotes it started one for. Never throws. */
export function refreshMirrors(opts: {
  storeDir: string;
  cwd: string;
  jitpScript: string;
  remotes: readonly string[];
  /** When each remote's mirror was fetched (ms): a start before that has finished. */
  fetchedAtMs?: ReadonlyMap<string, number>;
  maxAgeSecs: number;
  /** Session start: refresh whatever the mirror's age (--max-age 0), still throttled by gapSecs. */
  force?: boolean;
  nowMs?: number;
}): string[] {
  const started: string[] = [];
  if (!existsSync(opts.jitpScript)) return started; // running from sources: no bundle to start
  const now = opts.nowMs ?? Date.now();
  const gap = opts.force ? 2 : refreshGapSecs(opts.maxAgeSecs);
  for (const remote of new Set(opts.remotes)) {
    if (recentlyStarted(opts.storeDir, markerOf(opts.storeDir, remote), gap, now, opts.fetchedAtMs?.get(remote)))
      continue;
    refreshInBackground(opts.jitpScript, opts.cwd, remote, opts.force ? 0 : opts.maxAgeSecs);
    started.push(remote);
  }
  return started;
}
