// The one configuration file, `.jit-parallel.yaml` at the repository root. Every key is
// optional; defaults live here and nowhere else.
import { z } from 'zod';
import { DURATION_EXAMPLES, parseDuration } from '../platform/duration.js';

export { CONFIG_FILE } from './locate.js';

/** Durations: seconds (a number), or the one grammar of src/platform/duration.ts (`90s`, `30m`, `2h`, `1d`). */
export const duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const secs = parseDuration(v);
  if (secs) return secs;
  ctx.addIssue({
    code: 'custom',
    message: `expected a positive duration such as ${DURATION_EXAMPLES}, got ${JSON.stringify(v)}`,
  });
  return z.NEVER;
});

export const configSchema = z
  .object({
    /**
     * Edit-time enforcement: strict denies unheld files, extend adds them to the lease, warn only warns, off disables.
     */
    policy: z.enum(['strict', 'extend', 'warn', 'off']).default('extend'),
    /** What hooks do when the store or their input cannot be read. */
    failure: z.enum(['open', 'closed']).default('open'),
    /** Default lease TTL in seconds. */
    ttl: duration.default(1800),
    /**
     * Issue source: auto picks .jit/ when present, else the task folder when present, else GitHub
     * issues when the origin remote is on GitHub and `gh` is installed, else task files.
     */
    source: z.enum(['auto', 'jit', 'tasks', 'github']).default('auto'),
    tasksDir: z.string().default('.jit-parallel/tasks'),
    /** GitHub issues through `gh` (source: github). */
    github: z
      .object({
        /** `owner/name` passed to gh as --repo; null: gh picks the repository from the git remotes. */
        repo: z
          .string()
          .regex(/^[\w.-]+(\/[\w.-]+){1,2}$/, 'owner/name (or host/owner/name)')
          .nullable()
          .default(null),
        /** Most open issues read per command. */
        limit: z.number().int().positive().max(10_000).default(500),
      })
      .strict()
      .default({}),
    /** Git remote for cross-machine leases; null keeps leases local. */
    remote: z.string().nullable().default(null),
    remoteMirrorMaxAge: duration.default(60),
    /** Deadline for each call to the lease remote (fetch, push); a hung remote fails after it. */
    remoteTimeout: duration.default(20),
    plan: z
      .object({
        hotFiles: z.array(z.string()).default([]),
        ignore: z.array(z.string()).default([]),
        historyDepth: z.number().int().min(0).max(100_000).default(500),
        maxFilesPerIssue: z.number().int().positive().default(40),
        maxParallel: z.number().int().positive().max(64).default(4),
      })
      .strict()
      .default({}),
    test: z
      .object({ command: z.string().nullable().default(null) })
      .strict()
      .default({}),
    commit: z
      .object({
        coAuthor: z.string().nullable().default('Claude <noreply@anthropic.com>'),
        conventional: z.boolean().default(false),
      })
      .strict()
      .default({}),
    worktree: z
      .object({
        /** Folder for worktrees; `{repo}` is the repository folder's name. Relative to the repo root. */
        dir: z.string().default('../{repo}.worktrees'),
        /** Branch template: {short}, {slug}, {id}, {base}. */
        branch: z.string().default('jit/{short}-{slug}'),
        include: z.array(z.string()).default([]),
        postCreate: z.string().nullable().default(null),
        base: z.string().default('HEAD'),
      })
      .strict()
      .default({}),
    merge: z
      .object({
        strategy: z.enum(['consolidated', 'individual']).default('consolidated'),
        test: z.string().nullable().default(null),
      })
      .strict()
      .default({}),
    spawn: z
      .object({
        maxParallel: z.number().int().positive().max(64).default(4),
        agentCmd: z.string().nullable().default(null),
      })
      .strict()
      .default({}),
  })
  .strict();

export type Config = z.output<typeof configSchema>;
