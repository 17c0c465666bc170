// Issue ids as typed by people and agents. With a jit store every issue is a uuid and any
// unique prefix of 4+ hex chars names it; only the full uuid is ever stored, so a short id and
// its uuid can never become two keys for one issue (a bug jit itself has).
import { JitpError } from '../platform/errors.js';

export const MAX_ISSUE_ID_LENGTH = 128;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PREFIX_RE = /^[0-9a-f-]+$/i;

export const isUuid = (s: string): boolean => UUID_RE.test(s);

/** What a free-form id may hold: letters and digits of any script, and `. _ - : # @ +`. */
export const ISSUE_ID_CHARS = 'letters, digits and . _ - : # @ + (not starting with -), at most 128 characters';
// Nothing a shell treats specially: ids end up in commands people and models run (quoted too,
// core/shell-quote.ts, but an id that needs no quoting cannot be mis-pasted either).
const FREE_ID_RE = /^[\p{L}\p{N}._:#@+][\p{L}\p{N}._:#@+-]*$/u;

/** Validates a free-form issue id (repos without a jit store). Returns it unchanged. */
export function validateIssueId(id: string): string {
  const bad = (why: string) =>
    new JitpError('E_BAD_ID', `invalid issue id ${JSON.stringify(id)}: ${why}`, {
      hint: `use only ${ISSUE_ID_CHARS}`,
    });
  if (typeof id !== 'string' || id.length === 0) throw bad('empty');
  if (id.length > MAX_ISSUE_ID_LENGTH) throw bad(`longer than ${MAX_ISSUE_ID_LENGTH} characters`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(id)) throw bad('contains a control character');
  if (/\s/u.test(id)) throw bad('contains whitespace');
  if (/[/\\]/.test(id)) throw bad('contains a path separator');
  if (id === '.' || id === '..') throw bad('is a path component');
  if (id.startsWith('-')) throw bad('starts with - (it would read as an option)');
  if (!FREE_ID_RE.test(id)) {
    const odd = [...new Set([...id].filter((c) => !/[\p{L}\p{N}._:#@+-]/u.test(c)))].join(' ');
    throw bad(`contains ${odd} (shell metacharacters and quotes are not allowed in ids)`);
  }
  return id;
}

/**
 * Resolves a jit issue id or prefix against the full uuids of the store. Case-insensitive on
 * input; the returned id is the stored (lower-case) uuid.
 */
export function resolveIssueId(input: string, uuids: readonly string[]): string {
  const q = input.trim().toLowerCase();
  validateIssueId(q); // whitespace, slashes, control characters: bad input (exit 2), not an unknown id
  if (q.length < 4 || !PREFIX_RE.test(q)) {
    // Well-formed but cannot name a jit issue (`NOPE`, `T-1`): unknown, like a prefix nothing has.
    throw new JitpError(
      'E_UNKNOWN_ISSUE',
      `no jit issue ${JSON.stringify(input)}: jit ids are uuids, typed as a prefix of 4+ hex characters`,
      {
        hint: 'list issues with `jitp issues` (or `jit query available`) and copy an id',
        details: { input },
      },
    );
  }
  const hits = uuids.filter((u) => u.toLowerCase().startsWith(q));
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) {
    throw new JitpError(
      'E_NOT_FOUND',
      `no jit issue matches ${JSON.stringify(input)} (${uuids.length} issues in .jit/issues/)`,
      {
        hint: 'check the id with `jit issue show <id>`; ids are the file names in .jit/issues/',
        details: { input },
      },
    );
  }
  const shown = hits.slice(0, 10);
  throw new JitpError(
    'E_AMBIGUOUS_ID',
    `ambiguous issue id ${JSON.stringify(input)}: matches ${hits.length} issues: ` +
      `${shown.map((h) => h.slice(0, 12)).join(', ')}${hits.length > 10 ? ', …' : ''}`,
    {
      hint: `type more characters, e.g. ${shown[0]!.slice(0, Math.max(q.length + 4, 8))}`,
      details: { input, candidates: hits },
    },
  );
}

/** Full id to store: resolved uuid when a jit store exists (`uuids` given), else validated free-form. */
export function canonicalIssueId(input: string, uuids: readonly string[] | undefined): string {
  return uuids ? resolveIssueId(input, uuids) : validateIssueId(input);
}
