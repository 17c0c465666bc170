// The flow dev set, built from a jit project's history (../shared/datasets/jit-history-dev.bundle):
// issues named by their commits (8-hex short ids in the message), each with its text as it stood
// before the work, the files its commits changed (the tracker's own `.jit/` left out) and when it
// was worked; batches are the issues whose work started in the same ISO week.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '../history.js';
import type { WorkCommit } from './tail-measure.js';

export interface DevIssue {
  id: string;
  shortId: string;
  title: string;
  description: string;
  dependencies: string[];
  /** Files its commits changed (bookkeeping left out). */
  files: string[];
  /** Unix seconds of its first and last commit that changed a file. */
  start: number;
  end: number;
  /** Hours of work: from the commit before its first one (anyone's) to its last, clamped. */
  hours: number;
  /** Its first own commit: the batch is planned on the tree before the week's first one. */
  firstCommit: string;
  /** Its commits in order, with lines changed per file (bookkeeping left out): the tail's measure. */
  work: WorkCommit[];
}

export interface DevBatch {
  week: string;
  /** The commit the batch is planned on: the parent of the week's first issue commit. */
  base: string;
  issues: DevIssue[];
}

export const BOOKKEEPING = ['.jit/**', 'dev/plans/**'];
const isBookkeeping = (f: string) => f.startsWith('.jit/') || f.startsWith('dev/plans/');

/** Clones the bundle once into the OS temp folder (JITP_EVAL_CACHE moves it); returns the clone. */
export function cloneBundle(bundle: string): string {
  const cache = process.env.JITP_EVAL_CACHE ?? join(tmpdir(), 'jitp-eval-cache');
  const dir = join(cache, 'flow-jit-dev');
  if (!existsSync(join(dir, '.git'))) {
    mkdirSync(cache, { recursive: true });
    git(cache, 'clone', '-q', bundle, dir);
  }
  return dir;
}

/** ISO week of a unix time, `2026-W07`. */
export function isoWeek(t: number): string {
  const d = new Date(t * 1000);
  // The Thursday of the same Monday-based week decides the year and the week number.
  const th = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - ((d.getUTCDay() + 6) % 7) + 3));
  const y = th.getUTCFullYear();
  const w = 1 + Math.floor((th.getTime() - Date.UTC(y, 0, 1)) / (7 * 86_400_000));
  return `${y}-W${String(w).padStart(2, '0')}`;
}

/** `git show rev:path`, quietly: undefined when the path is not in that revision. */
function showQuiet(repo: string, spec: string): string | undefined {
  const r = spawnSync('git', ['show', spec], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 26 });
  return r.status === 0 ? r.stdout : undefined;
}

interface Commit {
  hash: string;
  parent: string;
  time: number;
  message: string;
  files: string[];
}

function readCommits(repo: string): Commit[] {
  const out = git(
    repo,
    'log',
    '--reverse',
    '--no-merges',
    '--no-renames',
    '--name-only',
    '--format=%x1e%H%x00%P%x00%ct%x00%B%x00',
  );
  const commits: Commit[] = [];
  for (const rec of out.split('\x1e')) {
    if (!rec.trim()) continue;
    const [hash, parents, ct, message, rest] = rec.split('\0');
    commits.push({
      hash: hash!,
      parent: (parents ?? '').split(' ')[0] ?? '',
      time: Number(ct),
      message: message ?? '',
      files: (rest ?? '').split('\n').filter(Boolean),
    });
  }
  return commits;
}

/**
 * Lines added + deleted per file of every commit (as readCommits: no merges, no rename pairing),
 * bookkeeping left out; a binary change (`-` in numstat) counts as 1 line.
 */
export function readLineCounts(repo: string): Map<string, Record<string, number>> {
  const out = git(repo, 'log', '--no-merges', '--no-renames', '--numstat', '--format=%x1e%H');
  const counts = new Map<string, Record<string, number>>();
  for (const rec of out.split('\x1e')) {
    const [hash, ...rows] = rec.split('\n');
    if (!hash?.trim()) continue;
    const lines: Record<string, number> = {};
    for (const row of rows) {
      const m = /^(\d+|-)\t(\d+|-)\t(.+)$/.exec(row);
      if (!m || isBookkeeping(m[3]!)) continue;
      const n = m[1] === '-' ? 1 : Number(m[1]) + Number(m[2]);
      lines[m[3]!] = (lines[m[3]!] ?? 0) + n;
    }
    counts.set(hash.trim(), lines);
  }
  return counts;
}

export function buildDevSet(repo: string, opts: { minHours?: number; maxHours?: number } = {}): DevBatch[] {
  const minH = opts.minHours ?? 0.25;
  const maxH = opts.maxHours ?? 8;
  // Every issue file that ever existed: its uuid's first 8 hex digits are the short id commits use.
  const uuids = new Map<string, string>();
  for (const p of git(repo, 'log', '--all', '--format=', '--name-only', '--', '.jit/issues').split('\n')) {
    const m = /^\.jit\/issues\/([0-9a-f-]{36})\.json$/.exec(p);
    if (m) uuids.set(m[1]!.slice(0, 8), m[1]!);
  }
  const commits = readCommits(repo);
  const work = new Map<string, Commit[]>();
  for (const c of commits) {
    const named = new Set([...c.message.matchAll(/\b([0-9a-f]{8})\b/g)].map((m) => m[1]!).filter((s) => uuids.has(s)));
    if (!c.files.some((f) => !isBookkeeping(f))) continue;
    for (const s of named) (work.get(s) ?? work.set(s, []).get(s)!).push(c);
  }
  const index = new Map(commits.map((c, i) => [c.hash, i]));
  const counts = readLineCounts(repo);
  const issues: DevIssue[] = [];
  for (const [short, cs] of work) {
    const uuid = uuids.get(short)!;
    const first = cs[0]!;
    // The text as written before the work: the issue file at the first commit's parent, else at it.
    const raw =
      showQuiet(repo, `${first.parent}:.jit/issues/${uuid}.json`) ??
      showQuiet(repo, `${first.hash}:.jit/issues/${uuid}.json`);
    if (raw === undefined) continue;
    let j: { title?: string; description?: string; dependencies?: string[] };
    try {
      j = JSON.parse(raw) as typeof j;
    } catch {
      continue;
    }
    const files = [...new Set(cs.flatMap((c) => c.files).filter((f) => !isBookkeeping(f)))].sort();
    const prev = commits[(index.get(first.hash) ?? 1) - 1];
    const startFrom = prev ? Math.max(prev.time, first.time - maxH * 3600) : first.time - 3600;
    const last = cs[cs.length - 1]!;
    const hours = Math.min(maxH, Math.max(minH, (last.time - startFrom) / 3600));
    issues.push({
      id: uuid,
      shortId: short,
      title: j.title ?? short,
      description: j.description ?? '',
      dependencies: j.dependencies ?? [],
      files,
      start: first.time,
      end: last.time,
      hours,
      firstCommit: first.hash,
      work: cs.map((c) => ({ time: c.time, lines: counts.get(c.hash) ?? {} })),
    });
  }
  const byWeek = new Map<string, DevIssue[]>();
  for (const i of issues.sort((a, b) => a.start - b.start)) {
    const w = isoWeek(i.start);
    (byWeek.get(w) ?? byWeek.set(w, []).get(w)!).push(i);
  }
  const batches: DevBatch[] = [];
  for (const [week, list] of [...byWeek].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    if (list.length < 2) continue;
    const base = commits.find((c) => c.hash === list[0]!.firstCommit)!.parent;
    batches.push({ week, base, issues: list });
  }
  return batches;
}
