// Marks issues done in their own tracker: through the `jit` CLI when it is installed (it
// runs jit's gates and events), else by rewriting the issue file atomically.
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  accessSync,
  appendFileSync,
  constants,
  existsSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { ghClient } from '../sources/gh.js';
import type { Issue } from '../sources/types.js';
import { jitDoneEvents, setJitIssueState, setTaskFileState } from './state-edit.js';

const pexec = promisify(execFile);

export interface DoneOutcome {
  id: string;
  shortId: string;
  from: string;
  via: 'jit-cli' | 'file' | 'gh' | 'none';
  /** The file rewritten (repo-relative), when via = file. */
  file: string | null;
  changed: boolean;
  error?: string;
  note?: string;
}

/** The `jit` executable on PATH, or null. `JITP_JIT_BIN` overrides (empty string: never use it). */
export function findJitBinary(env: NodeJS.ProcessEnv): string | null {
  if (env.JITP_JIT_BIN !== undefined) return env.JITP_JIT_BIN || null;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, 'jit');
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return null;
}

/** Write to a unique temp file next to the target, then rename: readers see old or new, never half. */
export function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.jitp-${process.pid}-${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, text, { flag: 'wx' });
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export interface MarkDoneOptions {
  now?: Date;
  /** GitHub issues: `--repo` for gh (config `github.repo`), and a closing comment. */
  github?: { repo: string | null; comment?: string | undefined };
}

export async function markDone(
  root: string,
  issue: Issue,
  env: NodeJS.ProcessEnv,
  opts: MarkDoneOptions = {},
): Promise<DoneOutcome> {
  const now = opts.now ?? new Date();
  const base = { id: issue.id, shortId: issue.shortId, from: issue.state };
  if (issue.state === 'done') return { ...base, via: 'none', file: null, changed: false, note: 'already done' };
  if (issue.source === 'batch')
    return { ...base, via: 'none', file: null, changed: false, note: 'batch-list tasks have no stored state' };
  if (issue.source === 'github') {
    if (issue.state === 'rejected')
      return { ...base, via: 'none', file: null, changed: false, note: 'closed as not planned on GitHub; left so' };
    // gh owns the credentials; a refusal (auth, permissions) is a typed error the command reports.
    const gh = ghClient({ cwd: root, env, repo: opts.github?.repo ?? null });
    const comment = opts.github?.comment;
    gh.run(['issue', 'close', issue.id, '--reason', 'completed', ...(comment ? ['--comment', comment] : [])]);
    return { ...base, via: 'gh', file: issue.file, changed: true };
  }
  if (issue.source === 'jit') {
    const jit = findJitBinary(env);
    if (jit) {
      try {
        await pexec(jit, ['issue', 'update', issue.id, '--state', 'done'], { cwd: root, env, encoding: 'utf8' });
        return { ...base, via: 'jit-cli', file: issue.file, changed: true };
      } catch (e) {
        const err = e as { stdout?: string; stderr?: string; message: string };
        const detail = (jitError(err.stdout) ?? err.stderr ?? err.message).trim().split('\n')[0];
        // jit refused (gates, dependencies): its rules win; never rewrite the file behind its back.
        return {
          ...base,
          via: 'jit-cli',
          file: issue.file,
          changed: false,
          error: `jit issue update refused: ${detail}`,
        };
      }
    }
    const abs = join(root, issue.file);
    const iso = now.toISOString();
    const r = setJitIssueState(readFileSync(abs, 'utf8'), 'done', iso);
    writeAtomic(abs, r.text);
    const events = join(root, '.jit', 'events.jsonl');
    // One append of whole lines, like jit: a reader tolerates a torn last line, never a mixed one.
    if (existsSync(events)) appendFileSync(events, jitDoneEvents(issue.id, r.from, iso, randomUUID));
    return { ...base, via: 'file', file: issue.file, changed: true };
  }
  const abs = join(root, issue.file);
  const r = setTaskFileState(readFileSync(abs, 'utf8'), 'done');
  writeAtomic(abs, r.text);
  return { ...base, via: 'file', file: issue.file, changed: true };
}

function jitError(stdout: string | undefined): string | undefined {
  if (!stdout) return undefined;
  try {
    const j = JSON.parse(stdout) as { error?: { message?: string } };
    return j.error?.message;
  } catch {
    return undefined;
  }
}
