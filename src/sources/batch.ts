// One-off batch lists: a YAML or JSON file holding a list of tasks (or `{tasks: [...]}`),
// each with instructions and files. Nothing is tracked: every task is `ready` unless it
// says otherwise, and ids default to t1, t2, … by position.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { JitpError } from '../platform/errors.js';
import { mapTask } from './task-map.js';
import { resolveExact } from './resolve.js';
import type { Issue, IssueSource, SourceProblem } from './types.js';

export function parseBatchList(text: string, file: string): { issues: Issue[]; problems: SourceProblem[] } {
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (e) {
    throw new JitpError(
      'E_BATCH_FILE',
      `cannot parse batch list ${file}: ${String((e as Error).message).split('\n')[0]}`,
      {
        hint: `fix ${file}: a list of {id?, title, instructions, files, depends_on?}`,
      },
    );
  }
  const list = Array.isArray(doc)
    ? doc
    : doc && typeof doc === 'object' && Array.isArray((doc as { tasks?: unknown }).tasks)
      ? (doc as { tasks: unknown[] }).tasks
      : undefined;
  if (!list) {
    throw new JitpError('E_BATCH_FILE', `batch list ${file} holds no list of tasks`, {
      hint: `write ${file} as a list (or {tasks: [...]}) of {id?, title, instructions, files, depends_on?}`,
    });
  }
  const issues: Issue[] = [];
  const problems: SourceProblem[] = [];
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const where = `${file}#${i + 1}`;
    if (typeof entry === 'string') entry = { title: entry.split('\n')[0], instructions: entry };
    if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push({ file: where, message: 'task is not an object; skipped', loaded: false });
      return;
    }
    const data = entry as Record<string, unknown>;
    const body = String(data.instructions ?? data.description ?? data.body ?? data.prompt ?? '');
    const { issue, problems: p } = mapTask({ fallbackId: `t${i + 1}`, data, body, file: where, source: 'batch' });
    problems.push(...p);
    if (!issue) return;
    if (seen.has(issue.id)) {
      problems.push({ file: where, message: `duplicate id ${issue.id}; skipped`, loaded: false });
      return;
    }
    seen.add(issue.id);
    issues.push(issue);
  });
  return { issues, problems };
}

export class BatchListSource implements IssueSource {
  readonly kind = 'batch' as const;
  private loaded?: { issues: Issue[]; problems: SourceProblem[] };
  constructor(
    private readonly path: string,
    readonly location: string,
  ) {}
  private load() {
    if (this.loaded) return this.loaded;
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (e) {
      throw new JitpError('E_BATCH_FILE', `cannot read batch list ${this.location}: ${(e as Error).message}`, {
        hint: 'check the path given to --batch',
      });
    }
    return (this.loaded = parseBatchList(text, this.location));
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
