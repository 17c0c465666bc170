// The jit store reader: `.jit/issues/*.json` read directly (no `jit` binary). jit writes
// each file by temp + rename, so a reader that never locks sees whole files.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { jsonErrorLine, mapJitIssue } from './jit-map.js';
import { resolveJit } from './resolve.js';
import { readIssueFile } from './safe-read.js';
import type { Issue, IssueSource, SourceProblem } from './types.js';
import { addUnique, byId } from './collect.js';

/** Files above this size are reported, not parsed: a description this big is not an issue. */
const MAX_ISSUE_BYTES = 8 * 1024 * 1024;

export function readJitStore(root: string, jitDir = '.jit'): { issues: Issue[]; problems: SourceProblem[] } {
  const dir = join(root, jitDir, 'issues');
  const issues: Issue[] = [];
  const problems: SourceProblem[] = [];
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return { issues, problems };
    problems.push({ file: `${jitDir}/issues`, message: `cannot list: ${err.message}`, loaded: false });
    return { issues, problems };
  }
  const seen = new Map<string, string>();
  for (const name of names) {
    const rel = `${jitDir}/issues/${name}`;
    const read = readIssueFile(join(dir, name), root, MAX_ISSUE_BYTES);
    if ('problem' in read) {
      problems.push({ file: rel, message: read.problem, loaded: false });
      continue;
    }
    const text = read.text;
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
    if (issue) addUnique(issues, problems, seen, issue, rel);
  }
  issues.sort(byId);
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
