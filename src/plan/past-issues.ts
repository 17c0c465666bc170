// Pure "past issues": the repository's own finished work as examples of which files an issue's
// text leads to. A commit names the issue it works on (a jit store's 8-hex short id, this
// plugin's `jit: <ids>` trailer, GitHub's `Fixes #12`); all commits naming one issue are its
// work, and their files together are what that issue changed. An issue's text (written before
// the work) reads like a new issue's text far more than a commit subject does, so the nearest
// past issues by text predict a new issue's files better than the nearest commits alone.
import { indexMessages, likelyFiles, similarChanges, type SimilarIndex, type SimilarOptions } from './similar.js';
import type { CommitFiles } from './types.js';

export const DEFAULT_PAST_ISSUES: SimilarOptions = {
  k: 3,
  minSimilarity: 0.15,
  minShare: 0.5,
  minVotes: 1,
  // An issue's work spans several commits: more files than one commit, still not a bulk import.
  maxCommitFiles: 40,
  maxFiles: 6,
};

const TRAILER = /^jit:[ \t]*(.+)$/gim;
const CLOSES = /\b(?:fix(?:es|ed)?|close[sd]?|resolve[sd]?)[ \t]*:?[ \t]+(?:[\w.-]+\/[\w.-]+)?#(\d{1,9})\b/gi;
const HEX8 = /\b([0-9a-f]{8})\b/g;
const ID_TOKEN = /^[A-Za-z0-9][\w.-]{0,63}$/;

/**
 * The issues a commit message names: ids in a `jit:` trailer line, `Fixes #n` (as `n`, GitHub's
 * short id), and bare 8-hex words that are short ids of `known` issues (a jit store's; without
 * the check, any hash-like word would be taken for an issue).
 */
export function issueRefs(message: string, known: ReadonlySet<string>): string[] {
  const out = new Set<string>();
  for (const m of message.matchAll(TRAILER)) {
    const words = m[1]!.split(/[\s,]+/).filter(Boolean);
    // A subject `jit: add the parser` is a summary, not a list of ids: take only id-like words.
    const ids = words.filter((w) => ID_TOKEN.test(w) && (known.has(w) || /^(?=.*\d)[0-9a-z-]{4,}$/i.test(w)));
    if (ids.length === words.length) for (const w of ids) out.add(w);
  }
  for (const m of message.matchAll(CLOSES)) out.add(m[1]!);
  for (const m of message.matchAll(HEX8)) if (known.has(m[1]!)) out.add(m[1]!);
  return [...out];
}

export interface PastIssue {
  /** The short id the commits name. */
  ref: string;
  /** The issue's title and description when the store has it, else its commits' messages. */
  text: string;
  /** Files its commits changed, first seen first. */
  files: string[];
  commits: number;
}

/**
 * Groups commits by the issues they name. `texts` maps short ids to the issue's text (title and
 * description); an issue without one (a closed GitHub issue the source does not list) is described
 * by its commits' messages. Bulk commits (over `maxCommitFiles`) are left out: an import says
 * nothing about the issue. `ignore` drops bookkeeping paths (the tracker's own files).
 */
export function pastIssues(
  commits: readonly CommitFiles[],
  texts: ReadonlyMap<string, string>,
  opts: { maxCommitFiles: number; ignore?: (path: string) => boolean },
): PastIssue[] {
  const known = new Set(texts.keys());
  const acc = new Map<string, { files: Set<string>; messages: string[]; commits: number }>();
  for (const c of commits) {
    if (!c.message) continue;
    const files = opts.ignore ? c.files.filter((f) => !opts.ignore!(f)) : c.files;
    if (!files.length || files.length > opts.maxCommitFiles) continue;
    for (const ref of issueRefs(c.message, known)) {
      let a = acc.get(ref);
      if (!a) acc.set(ref, (a = { files: new Set(), messages: [], commits: 0 }));
      for (const f of files) a.files.add(f);
      a.messages.push(c.message);
      a.commits++;
    }
  }
  const out: PastIssue[] = [];
  for (const [ref, a] of acc) {
    if (a.files.size > opts.maxCommitFiles) continue;
    out.push({ ref, text: texts.get(ref) ?? a.messages.join('\n'), files: [...a.files], commits: a.commits });
  }
  return out.sort((x, y) => (x.ref < y.ref ? -1 : x.ref > y.ref ? 1 : 0));
}

/** The similarity index over past issues (their text, their files). */
export function indexPastIssues(
  issues: readonly PastIssue[],
  opts: SimilarOptions = DEFAULT_PAST_ISSUES,
): SimilarIndex {
  return indexMessages(
    issues.map((i) => ({ hash: i.ref, message: i.text, files: i.files })),
    opts,
  );
}

export { likelyFiles, similarChanges };
