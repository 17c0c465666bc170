// The batch file: the one record of a worktree batch (issues, branches, worktrees, agent
// and merge states), so an interrupted batch resumes where it stopped. It lives in the main
// checkout at `.jit-parallel/batch.yaml` (kept out of git through .git/info/exclude); agent
// logs and results sit next to it under `.jit-parallel/batches/<batch id>/`.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { JitpError } from '../platform/errors.js';
import { writeFileAtomic } from '../platform/atomic-write.js';
import { withLock } from '../platform/file-lock.js';

export const AGENT_STATES = ['pending', 'queued', 'running', 'done', 'failed'] as const;
export const MERGE_STATES = ['pending', 'merging', 'merged', 'conflict', 'test-failed', 'skipped', 'ready'] as const;

const agentSchema = z
  .object({
    state: z.enum(AGENT_STATES).default('pending'),
    attempts: z.number().int().min(0).default(0),
    exitCode: z.number().int().nullable().default(null),
    startedAt: z.string().nullable().default(null),
    endedAt: z.string().nullable().default(null),
    log: z.string().nullable().default(null),
    result: z.string().nullable().default(null),
    /** Claude Code's agent_id when a sub-agent runs in this worktree (WorktreeCreate). */
    claudeAgentId: z.string().nullable().default(null),
    pid: z.number().int().nullable().default(null),
  })
  .default({});

const mergeSchema = z
  .object({
    state: z.enum(MERGE_STATES).default('pending'),
    reason: z.string().nullable().default(null),
    files: z.array(z.string()).default([]),
    commit: z.string().nullable().default(null),
    at: z.string().nullable().default(null),
  })
  .default({});

export const batchIssueSchema = z.object({
  id: z.string().min(1),
  short: z.string(),
  title: z.string().default(''),
  dependencies: z.array(z.string()).default([]),
  /** Task text for people without a tracker (`jitp batch load`). */
  instructions: z.string().nullable().default(null),
  files: z.array(z.string()).default([]),
  branch: z.string().nullable().default(null),
  worktree: z.string().nullable().default(null),
  agentId: z.string().nullable().default(null),
  leaseId: z.string().nullable().default(null),
  createdAt: z.string().nullable().default(null),
  agent: agentSchema,
  merge: mergeSchema,
});

export const batchSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  /** Pinned base commit every worktree starts from. */
  base: z.string().regex(/^[0-9a-f]{40,64}$/),
  /** What the base was resolved from (e.g. `HEAD`, `main`). */
  baseRef: z.string(),
  /** Branch the consolidated queue merges into. */
  integration: z.string(),
  strategy: z.enum(['consolidated', 'individual']).default('consolidated'),
  started_at: z.string(),
  issues: z.array(batchIssueSchema),
  mergeRun: z
    .object({
      state: z.enum(['idle', 'running', 'stopped', 'done']).default('idle'),
      current: z.string().nullable().default(null),
      /** Integration tip before the current merge (what --skip returns to). */
      before: z.string().nullable().default(null),
      test: z.string().nullable().default(null),
      stoppedBecause: z.enum(['conflict', 'test-failed']).nullable().default(null),
    })
    .default({}),
});

export type Batch = z.output<typeof batchSchema>;
export type BatchIssue = z.output<typeof batchIssueSchema>;

export interface BatchPaths {
  file: string;
  lock: string;
  dir: string;
}

export function batchPaths(mainRoot: string): BatchPaths {
  const dir = join(mainRoot, '.jit-parallel');
  return { file: join(dir, 'batch.yaml'), lock: join(dir, 'batch.yaml.lock'), dir };
}

/** Folder of one batch's agent logs and results. */
export const batchRunDir = (mainRoot: string, batchId: string): string =>
  join(mainRoot, '.jit-parallel', 'batches', batchId);

export function newBatchId(now = new Date()): string {
  const t = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `b-${t}-${randomBytes(2).toString('hex')}`;
}

export function newIssue(fields: {
  id: string;
  short: string;
  title?: string;
  dependencies?: string[];
  instructions?: string | null;
  files?: string[];
}): BatchIssue {
  return batchIssueSchema.parse({ ...fields });
}

export function parseBatch(text: string, file: string): Batch {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    throw new JitpError('E_BATCH_CORRUPT', `cannot parse ${file}: ${(e as Error).message.split('\n')[0]}`, {
      hint:
        `fix the YAML in ${file} (it is written atomically, so this is a hand edit), or move it away and start ` +
        `again with \`jitp worktree add\``,
    });
  }
  const r = batchSchema.safeParse(raw);
  if (!r.success) {
    const first = r.error.issues[0]!;
    throw new JitpError('E_BATCH_CORRUPT', `invalid ${file}: ${first.path.join('.')}: ${first.message}`, {
      hint: `fix ${file} by hand or move it away; \`jitp status\` reads it`,
    });
  }
  return r.data;
}

export function readBatch(mainRoot: string): Batch | undefined {
  const { file } = batchPaths(mainRoot);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return parseBatch(text, file);
}

export function requireBatch(mainRoot: string): Batch {
  const b = readBatch(mainRoot);
  if (!b) {
    throw new JitpError('E_NO_BATCH', `no batch in ${batchPaths(mainRoot).file}`, {
      hint: 'start one with `jitp worktree add <issue…>` or `jitp batch load <file>`',
    });
  }
  return b;
}

function ensureExcluded(mainRoot: string, commonDir: string): void {
  // The batch file and logs are machine state: never offer them to `git add -A`.
  const exclude = join(commonDir, 'info', 'exclude');
  // The lock's recovery file and the writers' temp files are there only for moments, but a
  // `git status` at that moment must not see them.
  const want = [
    '/.jit-parallel/batch.yaml',
    '/.jit-parallel/batch.yaml.lock',
    '/.jit-parallel/batch.yaml.lock.recover',
    '/.jit-parallel/.*.tmp',
    '/.jit-parallel/batches/',
  ];
  let text = '';
  try {
    text = readFileSync(exclude, 'utf8');
  } catch {
    mkdirSync(join(commonDir, 'info'), { recursive: true });
  }
  const missing = want.filter((w) => !text.split('\n').includes(w));
  if (missing.length)
    appendFileSync(
      exclude,
      `${text && !text.endsWith('\n') ? '\n' : ''}# jit-parallel machine state\n${missing.join('\n')}\n`,
    );
  void mainRoot;
}

export function writeBatch(mainRoot: string, commonDir: string, batch: Batch): void {
  ensureExcluded(mainRoot, commonDir);
  const checked = batchSchema.parse(batch);
  writeFileAtomic(batchPaths(mainRoot).file, stringifyYaml(checked, { lineWidth: 0 }), { fsync: true, mkdir: true });
}

/** Read-modify-write under the batch lock (hooks for parallel sub-agents race here). */
export async function updateBatch<T>(
  mainRoot: string,
  commonDir: string,
  fn: (
    b: Batch | undefined,
  ) => Promise<{ batch: Batch | undefined; value: T }> | { batch: Batch | undefined; value: T },
): Promise<T> {
  const { lock, dir } = batchPaths(mainRoot);
  mkdirSync(dir, { recursive: true });
  return withLock(
    lock,
    async () => {
      const cur = readBatch(mainRoot);
      const { batch, value } = await fn(cur);
      if (batch) writeBatch(mainRoot, commonDir, batch);
      return value;
    },
    // Batch updates take milliseconds: a holder older than half a minute is dead.
    {
      timeoutMs: 15_000,
      maxHoldMs: 30_000,
      op: 'updating the batch',
      timeoutError: (file, _h, ms) =>
        new JitpError('E_LOCKED', `timed out after ${Math.round(ms / 1000)}s waiting for ${file}`, {
          hint: `another jitp is updating the batch; if none runs, remove ${file}`,
        }),
    },
  );
}

export function findIssue(batch: Batch, idOrPrefix: string): BatchIssue {
  const q = idOrPrefix.trim().toLowerCase();
  const exact = batch.issues.find((i) => i.id.toLowerCase() === q);
  if (exact) return exact;
  const hits = batch.issues.filter((i) => i.id.toLowerCase().startsWith(q) || i.short === q);
  if (hits.length === 1) return hits[0]!;
  throw new JitpError(
    hits.length ? 'E_AMBIGUOUS_ID' : 'E_UNKNOWN_ISSUE',
    hits.length
      ? `ambiguous issue id ${idOrPrefix}: ${hits.map((h) => h.short).join(', ')}`
      : `issue ${idOrPrefix} is not in the batch`,
    { hint: "run `jitp status` for the batch's issues" },
  );
}

export const batchExists = (mainRoot: string): boolean => existsSync(batchPaths(mainRoot).file);
