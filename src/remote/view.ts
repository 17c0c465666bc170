// The hooks' view of remote leases (view-read.ts) plus the background refresh.
import { startDetached } from '../platform/process.js';

export { combinedSnapshot, freshnessText, remoteMirrorsSync, type Freshness } from './view-read.js';

/**
 * Starts `jitp claim sync <remote> --max-age <secs>` detached and returns at once; the next
 * hook sees the refreshed mirror. Never throws.
 */
export function refreshInBackground(jitpScript: string, cwd: string, remote: string, maxAgeSecs: number): void {
  // A failed start only leaves the view as old as it was.
  startDetached(
    process.execPath,
    [jitpScript, 'claim', 'sync', remote, '--max-age', `${Math.max(0, Math.floor(maxAgeSecs))}s`],
    { cwd },
  );
}
