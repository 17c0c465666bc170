// The jit store reader: `.jit/issues/*.json` read directly (no `jit` binary). jit writes
// each file by temp + rename, so a reader that never locks sees whole files.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { jsonErrorLine, mapJitIssue } from './jit-map.js';
import { resolveJit } from './resolve.js';
import type { Issue, IssueSource, SourceProblem } from './types.js';

/** Files above this size are reported, not parsed: a description this big is not an issue. */
const MAX_ISSUE_BYTES = 8 * 1024 * 1024;

export function readJitStore(root: string, jitDir = '.jit'): { issues: Issue[]; problems: SourceProblem[] } {
  const dir = join(root, jitDir, 'issues');
  const issues: Issue[] = [];
  const problems: SourceProblem[] = [];
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return { issues, problems };
    problems.push({ file: `${jitDir}/issues`, message: `cannot list: ${err.message}`, loaded: false });
    return { issues, problems };
  }
  const seen = new Map<string, string>();
  for (const name of names) {
    const rel = `${jitDir}/issues/${name}`;
    let text: string;
    try {
      const buf = readFileSync(join(dir, name));
      if (buf.length > MAX_ISSUE_BYTES) {
        problems.push({ file: rel, message: `file is ${buf.length} bytes (limit ${MAX_ISSUE_BYTES}); skipped`, loaded: false });
        continue;
      }
      text = buf.toString('utf8');
    } catch (e) {
      problems.push({ file: rel, message: `cannot read: ${(e as Error).message}`, loaded: false });
      continue;
    }
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch (e) {
      const msg = (e as Error).message;
      const line = jsonErrorLine(text, msg);
      problems.push({ file: rel, ...(line ? { line } : {}), message: `malformed JSON: ${msg}`, loaded: false });
      continue;
    }
    const { issue, problems: p } = mapJitIssue(obj, rel, name.slice(0, -5));
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

export class JitSource implements IssueSource {
  readonly kind = 'jit' as const;
  readonly location: string;
  private loaded?: { issues: Issue[]; problems: SourceProblem[] };
  constructor(
    private readonly root: string,
    private readonly jitDir = '.jit',
  ) {
    this.location = `${jitDir}/issues`;
  }
  private load() {
    return (this.loaded ??= readJitStore(this.root, this.jitDir));
  }
  list(): Issue[] {
    return this.load().issues;
  }
  problems(): SourceProblem[] {
    return this.load().problems;
  }
  get(idOrPrefix: string): Issue {
    return resolveJit(this.list(), idOrPrefix);
  }
}
