// Where remote leases live and how they are encoded. Pure: no fs, no git.
//
// On the remote (format 2; docs/remote-leases.md "Layout"):
//   refs/jit-parallel/index            a commit whose MESSAGE holds the state (a subject line,
//                                      `previous:`/`host:` lines, then the state as JSON): the
//                                      store version and every lease as of the last GROWING write
//                                      (acquire, renew, extend, bind, takeover), with the commit
//                                      each lease ref had then. Its tree is a constant marker
//                                      (FORMAT_MARKER), so a write sends one new object, not three.
//                                      Every growing write
//                                      CASes this ref, so two writers that could conflict (same
//                                      issue, overlapping paths, renew vs takeover) never both win.
//   refs/jit-parallel/leases/<key>     one ref per live lease, pointing at the index commit that
//                                      last wrote the lease (no objects of its own). A release or
//                                      eviction is a compare-and-set DELETE of this ref alone: it
//                                      only shrinks the lease set, so it cannot create a conflict
//                                      and need not touch the index.
// A lease is live iff the index lists it AND its ref still exists: a listed lease whose ref is
// gone was released after the index was written (see resolve.ts for how a reader tells that
// from a read that raced a write).
// Format 1 (jitp before this) kept state.json in the index commit's tree and gave each lease ref
// a commit of its own; it reads as format 2 (decodeState, stateTextOf).
// In the clone: refs/jit-parallel-mirror/<remote key>/… mirrors every ref above.
import type { Lease, StoreSnapshot } from '../core/model.js';

export const REMOTE_SCHEMA_VERSION = 2;
/** Format 1 (every change rewrote the index; lease refs had commits of their own) reads as format 2. */
const READABLE_SCHEMAS = new Set([1, 2]);
export const REF_ROOT = 'refs/jit-parallel';
export const INDEX_REF = `${REF_ROOT}/index`;
export const LEASE_REF_PREFIX = `${REF_ROOT}/leases/`;

export interface RemoteState extends StoreSnapshot {
  /**
   * issueId -> commit id of refs/jit-parallel/leases/<key>, the expected old value for its CAS.
   * On the remote, leases written by the index commit itself are absent (a commit cannot name
   * itself): their ref points at the index commit (commitOf). In memory it is complete.
   */
  leaseCommits: Record<string, string>;
}

/** The commit a listed lease's ref should have: its entry, else the index commit that wrote it. */
export const commitOf = (state: RemoteState, indexCommit: string, issueId: string): string =>
  state.leaseCommits[issueId] ?? indexCommit;

export const emptyState = (): RemoteState => ({
  schemaVersion: REMOTE_SCHEMA_VERSION,
  version: 0,
  leases: [],
  leaseCommits: {},
});

/**
 * Ref-safe, case-safe key for an issue id. Lower-case letters, digits, `-` and `_` stay (a jit
 * uuid is unchanged); everything else, upper case included, becomes `%XX` of its UTF-8 bytes:
 * refnames forbid `:`, `..`, `~` and friends, and a remote on a case-insensitive file system
 * would fold `ABC` and `abc` into one loose ref.
 */
export function issueKey(issueId: string): string {
  let out = '';
  for (const byte of Buffer.from(issueId, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[a-z0-9_-]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export function issueIdFromKey(key: string): string {
  return Buffer.from(
    key.replace(/%([0-9A-F]{2})|./gs, (m, hex: string | undefined) =>
      hex ? String.fromCharCode(parseInt(hex, 16)) : m,
    ),
    'latin1',
  ).toString('utf8');
}

export const leaseRef = (issueId: string): string => `${LEASE_REF_PREFIX}${issueKey(issueId)}`;

/** Local namespace for one remote's fetched refs; the remote name may hold `/` or odd characters. */
export const mirrorRefRoot = (remote: string): string => `refs/jit-parallel-mirror/${issueKey(remote)}`;

export function encodeState(state: RemoteState): string {
  return `${JSON.stringify(state, null, 1)}\n`;
}

/**
 * The tree of every format-2 commit: one constant `state.json` that only names the format. A
 * jitp that reads format 1 (state.json in the tree) then stops with "unknown schemaVersion 2 …
 * upgrade jitp" instead of calling the index garbage. Constant, so it is written and sent once.
 */
export const FORMAT_MARKER = `${JSON.stringify({
  schemaVersion: REMOTE_SCHEMA_VERSION,
  note: 'jit-parallel remote lease format 2: the state is in the commit message',
})}\n`;

/**
 * The index commit's message: subject, `previous:`/`host:` lines, and the state as the last
 * paragraph (pretty-printed JSON has no blank line, and the lines above are kept to one line each).
 */
export function indexMessage(subject: string, previous: string, host: string, state: RemoteState): string {
  const line = (s: string) => s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return `${line(subject)}\n\nprevious: ${previous || '(none)'}\nhost: ${line(host)}\n\n${encodeState(state)}`;
}

/**
 * The state JSON in a raw commit object (`git cat-file commit`), or undefined when it has none (format 1, or not ours).
 */
export function stateTextOf(rawCommit: string): string | undefined {
  const body = rawCommit.indexOf('\n\n');
  if (body < 0) return undefined;
  const msg = rawCommit.slice(body + 2).replace(/\n+$/, '');
  const last = msg.lastIndexOf('\n\n');
  const para = last < 0 ? msg : msg.slice(last + 2);
  return para.startsWith('{') ? para : undefined;
}

export function encodeLease(lease: Lease): string {
  return `${JSON.stringify(lease, null, 1)}\n`;
}

/** Parses the state from the remote; throws a plain Error with the reason (the caller adds where). */
export function decodeState(text: string): RemoteState {
  const raw = JSON.parse(text) as Partial<RemoteState>;
  if (!raw || typeof raw !== 'object') throw new Error('the state is not an object');
  if (!READABLE_SCHEMAS.has(raw.schemaVersion as number))
    throw new Error(
      `unknown schemaVersion ${String(raw.schemaVersion)} (this jitp reads ${[...READABLE_SCHEMAS].join(' and ')})`,
    );
  if (typeof raw.version !== 'number' || !Number.isInteger(raw.version) || raw.version < 0)
    throw new Error('version is not a non-negative integer');
  if (!Array.isArray(raw.leases)) throw new Error('leases is not an array');
  for (const l of raw.leases) {
    if (
      !l ||
      typeof l !== 'object' ||
      typeof l.issueId !== 'string' ||
      typeof l.agentId !== 'string' ||
      typeof l.expiresAt !== 'string' ||
      !Array.isArray(l.paths) ||
      typeof l.token !== 'number'
    ) {
      throw new Error(`malformed lease ${JSON.stringify(l).slice(0, 120)}`);
    }
  }
  const leaseCommits = raw.leaseCommits && typeof raw.leaseCommits === 'object' ? raw.leaseCommits : {};
  for (const [k, v] of Object.entries(leaseCommits))
    if (typeof v !== 'string' || !/^[0-9a-f]{40,64}$/.test(v))
      throw new Error(`leaseCommits[${JSON.stringify(k)}] is not a commit id`);
  return { schemaVersion: REMOTE_SCHEMA_VERSION, version: raw.version, leases: raw.leases, leaseCommits };
}

/** One ref change of an atomic push: expected old id ('' = must not exist), new id ('' = delete). */
export interface RefUpdate {
  ref: string;
  old: string;
  next: string;
}

/**
 * Which lease refs a transition changes. Leases are keyed by issue: a lease whose record is
 * unchanged keeps its ref; a new or changed one is pointed at the new index commit; a vanished
 * one is deleted. No upsert = the change only shrinks the set (release, evict).
 */
export function leaseDiff(before: readonly Lease[], after: readonly Lease[]): { upsert: Lease[]; remove: string[] } {
  const prev = new Map(before.map((l) => [l.issueId, JSON.stringify(l)]));
  const nextIds = new Set(after.map((l) => l.issueId));
  const upsert = after.filter((l) => prev.get(l.issueId) !== JSON.stringify(l));
  const remove = [...prev.keys()].filter((id) => !nextIds.has(id));
  return { upsert, remove };
}
