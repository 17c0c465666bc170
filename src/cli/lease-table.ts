// `jitp claim list` for people: one aligned row per lease (a lease's paths in its last column,
// so a row stays one line for grep), coloured by how much time it has left.
import type { Lease } from '../core/model.js';
import { formatTimeLeft, secondsUntil } from '../platform/duration.js';
import { table, type Cell } from '../render/table.js';
import { PLAIN, type Style } from '../render/style.js';

export interface LeaseTableOptions {
  style?: Style;
  width?: number;
  /** Show each lease's host (remote stores: leases of other machines). */
  host?: boolean;
}

export function leaseTable(leases: readonly Lease[], nowMs: number, opts: LeaseTableOptions = {}): string[] {
  const s = opts.style ?? PLAIN;
  const head = ['lease', 'issue', 'agent', 'token', 'left', 'branch', ...(opts.host ? ['host'] : []), 'paths'];
  const rows: Cell[][] = leases.map((l) => {
    const secs = secondsUntil(l.expiresAt, nowMs);
    return [
      l.id,
      l.issueId,
      l.agentId,
      String(l.token),
      { text: formatTimeLeft(secs).replace(/ left$/, ''), paint: secs < 1 ? s.red : secs < 120 ? s.yellow : undefined },
      l.branch ?? '-',
      ...(opts.host ? [l.host ?? '-'] : []),
      l.paths.length ? l.paths.join(' ') : { text: '(no paths)', paint: s.dim },
    ];
  });
  return table([head, ...rows], {
    header: s.bold,
    align: ['l', 'l', 'l', 'r'],
    shrink: [head.length - 1, 5, 1],
    ...(opts.width ? { width: opts.width } : {}),
  });
}
