// The commit convention (references/commit-convention.md). Pure: issue data in, message out.
// Titles come from issue trackers, so they are flattened to one line and stripped of
// controls: a title can never start a new line, paragraph or trailer.
import { usageError } from '../platform/errors.js';
import { oneLine, truncate } from './text.js';

export interface CommitIssue {
  id: string;
  shortId: string;
  title: string;
  labels?: string[];
}

export interface CommitOptions {
  conventional?: boolean;
  /** `Name <email>`; null or empty: no trailer. */
  coAuthor?: string | null;
  /** Overrides the generated summary (still sanitised and cut to fit). */
  summary?: string | null;
}

export interface CommitMessage {
  subject: string;
  body: string;
  trailers: string[];
  message: string;
}

export const SUBJECT_MAX = 72;
const CO_AUTHOR_RE = /^[^<>\n]+ <[^<>\s@]+@[^<>\s]+>$/;

export function validCoAuthor(s: string): boolean {
  return CO_AUTHOR_RE.test(s) && oneLine(s) === s;
}

/** Conventional Commits type from labels: all bugs -> fix, all docs -> docs, else feat. */
export function conventionalType(issues: CommitIssue[]): string {
  const kind = (i: CommitIssue) => {
    const labels = (i.labels ?? []).map((l) => l.toLowerCase());
    if (labels.some((l) => /^(type:)?(bug|fix|bugfix|defect)$/.test(l))) return 'fix';
    if (labels.some((l) => /^(type:)?(docs?|documentation)$/.test(l))) return 'docs';
    if (labels.some((l) => /^(type:)?(test|tests)$/.test(l))) return 'test';
    if (labels.some((l) => /^(type:)?(chore|refactor)$/.test(l)))
      return labels.includes('type:refactor') || labels.includes('refactor') ? 'refactor' : 'chore';
    return 'feat';
  };
  const kinds = new Set(issues.map(kind));
  return kinds.size === 1 ? [...kinds][0]! : 'feat';
}

function summaryFor(issues: CommitIssue[], room: number): string {
  const titles = issues.map((i) => oneLine(i.title) || i.shortId);
  if (titles.length === 1) return truncate(titles[0]!, room);
  const joined = titles.join('; ');
  if ([...joined].length <= room) return joined;
  const tail = ` (+${titles.length - 1} more)`;
  return truncate(titles[0]!, room - tail.length) + tail;
}

export function renderCommitMessage(issues: CommitIssue[], opts: CommitOptions = {}): CommitMessage {
  if (issues.length === 0) throw new Error('commit message needs at least one issue');
  const prefix = opts.conventional ? `${conventionalType(issues)}: ` : 'jit: ';
  const room = SUBJECT_MAX - prefix.length;
  const custom = opts.summary ? oneLine(opts.summary) : '';
  // The subject never ends up empty or starting with a '#' (git would drop it as a comment).
  let summary = custom ? truncate(custom, room) : summaryFor(issues, room);
  summary =
    summary.replace(/^#+\s*/, '') ||
    issues
      .map((i) => oneLine(i.shortId))
      .join(' ')
      .slice(0, room);
  const subject = `${prefix}${summary}`;
  const bullets = issues.map((i) => `- ${oneLine(i.title) || '(untitled)'} (${oneLine(i.shortId)})`);
  const idLine = `jit: ${issues.map((i) => oneLine(i.shortId)).join(' ')}`;
  const trailers: string[] = [];
  const co = opts.coAuthor ? oneLine(opts.coAuthor) : '';
  if (co) {
    if (!validCoAuthor(co))
      throw usageError(
        `invalid co-author trailer value: ${JSON.stringify(opts.coAuthor)} (expected "Name <email>")`,
        'set commit.coAuthor in .jit-parallel.yaml to "Name <email>" or null',
      );
    trailers.push(`Co-Authored-By: ${co}`);
  }
  const body = [bullets.join('\n'), idLine].join('\n\n');
  const message = [subject, body, ...(trailers.length ? [trailers.join('\n')] : [])].join('\n\n') + '\n';
  return { subject, body, trailers, message };
}
