// Task files for teams without jit: `<tasksDir>/*.md`, gray-matter front matter
// (id, title, state, depends_on, files, risk) plus a Markdown body.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import matter from 'gray-matter';
import { mapTask } from './task-map.js';
import { resolveExact } from './resolve.js';
import type { Issue, IssueSource, SourceProblem } from './types.js';

const MAX_TASK_BYTES = 4 * 1024 * 1024;

function yamlLine(e: unknown): number | undefined {
  const m = /line (\d+)/.exec(String((e as Error)?.message ?? ''));
  // +1: the opening `---` precedes the YAML gray-matter hands to the parser.
  return m ? Number(m[1]) + 1 : undefined;
}

export function readTaskDir(root: string, tasksDir: string): { issues: Issue[]; problems: SourceProblem[] } {
  const issues: Issue[] = [];
  const problems: SourceProblem[] = [];
  let names: string[];
  try {
    names = readdirSync(join(root, tasksDir)).filter((n) => n.endsWith('.md') && !n.startsWith('.')).sort();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code !== 'ENOENT') problems.push({ file: tasksDir, message: `cannot list: ${err.message}`, loaded: false });
    return { issues, problems };
  }
  const seen = new Map<string, string>();
  for (const name of names) {
    const rel = `${tasksDir.replace(/\/+$/, '')}/${name}`;
    let text: string;
    try {
      const buf = readFileSync(join(root, tasksDir, name));
      if (buf.length > MAX_TASK_BYTES) {
        problems.push({ file: rel, message: `file is ${buf.length} bytes (limit ${MAX_TASK_BYTES}); skipped`, loaded: false });
        continue;
      }
      text = buf.toString('utf8');
    } catch (e) {
      problems.push({ file: rel, message: `cannot read: ${(e as Error).message}`, loaded: false });
      continue;
    }
    let parsed: { data: Record<string, unknown>; content: string };
    try {
      // A fresh options object keeps gray-matter from serving a cached parse of equal text.
      parsed = matter(text, {}) as unknown as { data: Record<string, unknown>; content: string };
    } catch (e) {
      const line = yamlLine(e);
      problems.push({ file: rel, ...(line ? { line } : {}), message: `malformed front matter: ${String((e as Error).message).split('\n')[0]}`, loaded: false });
      continue;
    }
    const data = parsed.data && typeof parsed.data === 'object' && !Array.isArray(parsed.data) ? parsed.data : {};
    const { issue, problems: p } = mapTask({ fallbackId: name.slice(0, -3), data, body: parsed.content.replace(/^\n+/, ''), file: rel, source: 'tasks' });
    problems.push(...p);
    if (!issue) continue;
    const dup = seen.get(issue.id);
    if (dup) {
      problems.push({ file: rel, message: `duplicate id ${issue.id} (also in ${dup}); skipped`, loaded: false });
      continue;
    }
    seen.set(issue.id, rel);
    issues.push(issue);
  }
  issues.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { issues, problems };
}

export class TaskFileSource implements IssueSource {
  readonly kind = 'tasks' as const;
  private loaded?: { issues: Issue[]; problems: SourceProblem[] };
  constructor(
    private readonly root: string,
    readonly location: string,
  ) {}
  private load() {
    return (this.loaded ??= readTaskDir(this.root, this.location));
  }
  list(): Issue[] {
    return this.load().issues;
  }
  problems(): SourceProblem[] {
    return this.load().problems;
  }
  get(idOrPrefix: string): Issue {
    return resolveExact(this.list(), idOrPrefix, this.location);
  }
}
