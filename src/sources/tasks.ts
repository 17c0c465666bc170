// Task files for teams without jit: `<tasksDir>/*.md`, gray-matter front matter
// (id, title, state, depends_on, files, risk) plus a Markdown body.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import matter from 'gray-matter';
import { mapTask } from './task-map.js';
import { resolveExact } from './resolve.js';
import { readIssueFile } from './safe-read.js';
import type { Issue, IssueSource, SourceProblem } from './types.js';
import { addUnique, byId } from './collect.js';

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
    names = readdirSync(join(root, tasksDir))
      .filter((n) => n.endsWith('.md') && !n.startsWith('.'))
      .sort();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code !== 'ENOENT') problems.push({ file: tasksDir, message: `cannot list: ${err.message}`, loaded: false });
    return { issues, problems };
  }
  const seen = new Map<string, string>();
  for (const name of names) {
    const rel = `${tasksDir.replace(/\/+$/, '')}/${name}`;
    const read = readIssueFile(join(root, tasksDir, name), root, MAX_TASK_BYTES);
    if ('problem' in read) {
      problems.push({ file: rel, message: read.problem, loaded: false });
      continue;
    }
    const text = read.text;
    let parsed: { data: Record<string, unknown>; content: string };
    try {
      // A fresh options object keeps gray-matter from serving a cached parse of equal text.
      parsed = matter(text, {}) as unknown as { data: Record<string, unknown>; content: string };
    } catch (e) {
      const line = yamlLine(e);
      problems.push({
        file: rel,
        ...(line ? { line } : {}),
        message: `malformed front matter: ${String((e as Error).message).split('\n')[0]}`,
        loaded: false,
      });
      continue;
    }
    const data = parsed.data && typeof parsed.data === 'object' && !Array.isArray(parsed.data) ? parsed.data : {};
    const { issue, problems: p } = mapTask({
      fallbackId: name.slice(0, -3),
      data,
      body: parsed.content.replace(/^\n+/, ''),
      file: rel,
      source: 'tasks',
    });
    problems.push(...p);
    if (issue) addUnique(issues, problems, seen, issue, rel);
  }
  issues.sort(byId);
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
