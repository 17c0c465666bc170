// Where remote leases live and how they are encoded. Pure: no fs, no git.
//
// On the remote:
//   refs/jit-parallel/index            commit whose tree holds state.json: every lease, the
//                                      store version, and the commit id of each lease ref.
//                                      EVERY change CASes this ref, so two writers whose changes
//                                      could conflict (same issue, overlapping paths, renew vs
//                                      takeover) can never both win: the remote serialises them.
//   refs/jit-parallel/leases/<key>     one commit per live lease, tree = lease.json; written in
//                                      the same atomic push, also by CAS, so the per-issue ref
//                                      alone already yields one winner per issue and anyone can
//                                      inspect leases with `git ls-remote <remote> 'refs/jit-parallel/*'`.
// In the clone: refs/jit-parallel-mirror/<remote key>/index keeps the last fetched index.
import type { Lease, StoreSnapshot } from '../store/types.js';

export const REMOTE_SCHEMA_VERSION = 1;
export const REF_ROOT = 'refs/jit-parallel';
export const INDEX_REF = `${REF_ROOT}/index`;
export const LEASE_REF_PREFIX = `${REF_ROOT}/leases/`;

export interface RemoteState extends StoreSnapshot {
  /** issueId -> commit id of refs/jit-parallel/leases/<key>, the expected old value for its CAS. */
  leaseCommits: Record<string, string>;
}

export const emptyState = (): RemoteState => ({ schemaVersion: REMOTE_SCHEMA_VERSION, version: 0, leases: [], leaseCommits: {} });

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
    key.replace(/%([0-9A-F]{2})|./gs, (m, hex: string | undefined) => (hex ? String.fromCharCode(parseInt(hex, 16)) : m)),
    'latin1',
  ).toString('utf8');
}

export const leaseRef = (issueId: string): string => `${LEASE_REF_PREFIX}${issueKey(issueId)}`;

/** Local namespace for one remote's fetched refs; the remote name may hold `/` or odd characters. */
export const mirrorRefRoot = (remote: string): string => `refs/jit-parallel-mirror/${issueKey(remote)}`;
export const mirrorIndexRef = (remote: string): string => `${mirrorRefRoot(remote)}/index`;

export function encodeState(state: RemoteState): string {
  return `${JSON.stringify(state, null, 1)}\n`;
}

export function encodeLease(lease: Lease): string {
  return `${JSON.stringify(lease, null, 1)}\n`;
}

/** Parses state.json from the remote; throws a plain Error with the reason (the caller adds where). */
export function decodeState(text: string): RemoteState {
  const raw = JSON.parse(text) as Partial<RemoteState>;
  if (!raw || typeof raw !== 'object') throw new Error('state.json is not an object');
  if (raw.schemaVersion !== REMOTE_SCHEMA_VERSION) throw new Error(`unknown schemaVersion ${String(raw.schemaVersion)} (this jitp reads ${REMOTE_SCHEMA_VERSION})`);
  if (typeof raw.version !== 'number' || !Number.isInteger(raw.version) || raw.version < 0) throw new Error('version is not a non-negative integer');
  if (!Array.isArray(raw.leases)) throw new Error('leases is not an array');
  for (const l of raw.leases) {
    if (!l || typeof l !== 'object' || typeof l.issueId !== 'string' || typeof l.agentId !== 'string' || typeof l.expiresAt !== 'string' || !Array.isArray(l.paths) || typeof l.token !== 'number') {
      throw new Error(`malformed lease ${JSON.stringify(l).slice(0, 120)}`);
    }
  }
  const leaseCommits = raw.leaseCommits && typeof raw.leaseCommits === 'object' ? raw.leaseCommits : {};
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
 * unchanged keeps its commit; a new or changed one gets a new commit; a vanished one is deleted.
 */
export function leaseDiff(before: readonly Lease[], after: readonly Lease[]): { upsert: Lease[]; remove: string[] } {
  const prev = new Map(before.map((l) => [l.issueId, JSON.stringify(l)]));
  const nextIds = new Set(after.map((l) => l.issueId));
  const upsert = after.filter((l) => prev.get(l.issueId) !== JSON.stringify(l));
  const remove = [...prev.keys()].filter((id) => !nextIds.has(id));
  return { upsert, remove };
}
