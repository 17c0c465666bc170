// Bind once (issue 13, item 2): a sub-agent's binding is decided at its first hook call while a
// lease is live, and written to `<store>/agents/<agent_id>.json` with an exclusive create. Every
// later call reads that record and nothing else: a transcript whose first line was rewritten
// afterwards, or a move into another lease's worktree, cannot rebind it, and a sub-agent that was
// unbound at its first call stays unbound. The record also says when the sub-agent stopped
// (SubagentStop), for the orchestrator's refusals (item 10). Small files, node:fs only.
import { mkdirSync, openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../platform/atomic-write.js';

export interface BindRecord {
  /** The lease bound at the first call; null: the sub-agent works unbound for good. */
  lease: string | null;
  /** When the record was made (RFC 3339). */
  at: string;
  /** How it was bound (store, worktree, prompt), for `jitp doctor` and tests. */
  via?: string;
  /** Set by SubagentStop: when the sub-agent finished. */
  stoppedAt?: string;
  /**
   * A start record's linked worktree (realpath), when the sub-agent started in one (the client's
   * `isolation: "worktree"`): a lease taken on that worktree later still binds it, by place.
   */
  worktree?: string;
}

/** The client's agent ids are `a` + 16 hex; anything that could not be a file name binds nothing. */
export const AGENT_ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

export const bindRecordPath = (storeDir: string, agentId: string): string =>
  join(storeDir, 'agents', `${agentId}.json`);

const parse = (text: string): BindRecord | undefined => {
  try {
    const r = JSON.parse(text) as Partial<BindRecord>;
    if (r && (r.lease === null || typeof r.lease === 'string') && typeof r.at === 'string') return r as BindRecord;
  } catch {
    /* damaged: see below */
  }
  return undefined;
};

/**
 * The record, undefined when there is none. A record that exists but cannot be read or parsed
 * counts as "unbound for good": a damaged record must not reopen binding.
 */
export function readBindRecord(storeDir: string, agentId: string): BindRecord | undefined {
  let text: string;
  try {
    text = readFileSync(bindRecordPath(storeDir, agentId), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return { lease: null, at: new Date(0).toISOString(), via: 'unreadable' };
  }
  return parse(text) ?? { lease: null, at: new Date(0).toISOString(), via: 'damaged' };
}

/**
 * Writes the first record; when another call of the same sub-agent got there first (parallel tool
 * calls), returns theirs. Returns `rec` also when the store folder cannot be written (a read-only
 * store): nothing can be recorded there, and the store's own bind would have failed too.
 */
export function recordFirstBinding(storeDir: string, agentId: string, rec: BindRecord): BindRecord {
  const file = bindRecordPath(storeDir, agentId);
  const text = `${JSON.stringify(rec)}\n`;
  for (let attempt = 0; attempt < 2; attempt++) {
    let fd: number;
    try {
      // Exclusive create: the first writer wins, without the store's lock. The text is one small
      // write; a reader racing it sees an empty file, retried below.
      fd = openSync(file, 'wx', 0o600);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' && attempt === 0) {
        try {
          mkdirSync(join(storeDir, 'agents'), { recursive: true, mode: 0o700 });
        } catch {
          return rec;
        }
        continue;
      }
      if (code !== 'EEXIST') return rec;
      return theirs(file) ?? rec;
    }
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    return rec;
  }
  return rec;
}

/** The winner's record; it may be mid-write for a moment. */
function theirs(file: string): BindRecord | undefined {
  for (let i = 0; i < 50; i++) {
    try {
      const t = readFileSync(file, 'utf8');
      if (t.endsWith('\n')) return parse(t) ?? { lease: null, at: new Date(0).toISOString(), via: 'damaged' };
    } catch {
      return undefined;
    }
    const until = Date.now() + 2;
    while (Date.now() < until); // a 2 ms spin: no timers on the hot path
  }
  return { lease: null, at: new Date(0).toISOString(), via: 'damaged' };
}

/** SubagentStop: adds when it finished, keeping the binding as it was (or recording "unbound"). */
export function recordStop(storeDir: string, agentId: string, at: string): void {
  const cur = readBindRecord(storeDir, agentId) ?? recordFirstBinding(storeDir, agentId, { lease: null, at });
  writeFileAtomic(bindRecordPath(storeDir, agentId), `${JSON.stringify({ ...cur, stoppedAt: at })}\n`, {
    mode: 0o600,
    mkdir: { mode: 0o700 },
  });
}

/** A stopped sub-agent called again (it was resumed): it is no longer finished. */
export function clearStop(storeDir: string, agentId: string, rec: BindRecord): void {
  const { stoppedAt: _gone, ...rest } = rec;
  try {
    writeFileAtomic(bindRecordPath(storeDir, agentId), `${JSON.stringify(rest)}\n`, { mode: 0o600 });
  } catch {
    /* a read-only store: the refusal wording may stay stale, nothing else depends on it */
  }
}

/**
 * When the lease's work stopped: the lease's own mark when the store keeps one, else the latest
 * SubagentStop of the sub-agents bound to it, when every one of them has stopped.
 */
export function finishedAtOf(storeDir: string, lease: { finishedAt?: unknown; meta?: Record<string, unknown> }) {
  const ids = Array.isArray(lease.meta?.claudeAgentIds) ? (lease.meta.claudeAgentIds as unknown[]) : [];
  if (typeof lease.finishedAt === 'string') {
    // The store's mark stays when the sub-agent is resumed (only a new sub-agent's binding
    // clears it); its record, cleared on the resumed call, says it is working again.
    const resumed = ids.some((id) => {
      if (typeof id !== 'string' || !AGENT_ID_RE.test(id)) return false;
      const rec = readBindRecord(storeDir, id);
      return rec !== undefined && rec.stoppedAt === undefined;
    });
    return resumed ? undefined : lease.finishedAt;
  }
  let last: string | undefined;
  for (const id of ids) {
    if (typeof id !== 'string' || !AGENT_ID_RE.test(id)) return undefined;
    const at = readBindRecord(storeDir, id)?.stoppedAt;
    if (at === undefined) return undefined;
    if (last === undefined || Date.parse(at) > Date.parse(last)) last = at;
  }
  return last;
}

/** A start record bound later by its own worktree: the lease is recorded and fixed from then on. */
export function settleStartRecord(storeDir: string, agentId: string, rec: BindRecord, lease: string): void {
  try {
    writeFileAtomic(bindRecordPath(storeDir, agentId), `${JSON.stringify({ ...rec, lease, via: 'worktree' })}\n`, {
      mode: 0o600,
    });
  } catch {
    /* a read-only store: the next call settles it again */
  }
}
