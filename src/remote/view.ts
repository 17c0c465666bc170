// The hooks' view of remote leases (view-read.ts) plus the background refresh.
import { spawn } from 'node:child_process';

export { combinedSnapshot, freshnessText, remoteMirrorsSync, type Freshness } from './view-read.js';

/**
 * Starts `jitp claim sync <remote> --max-age <secs>` detached and returns at once; the next
 * hook sees the refreshed mirror. Never throws.
 */
export function refreshInBackground(jitpScript: string, cwd: string, remote: string, maxAgeSecs: number): void {
  try {
    const child = spawn(
      process.execPath,
      [jitpScript, 'claim', 'sync', remote, '--max-age', `${Math.max(0, Math.floor(maxAgeSecs))}s`],
      { cwd, detached: true, stdio: 'ignore' },
    );
    child.on('error', () => undefined);
    child.unref();
  } catch {
    /* a failed refresh only leaves the view as old as it was */
  }
}
