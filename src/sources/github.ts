// GitHub issues as an issue source, read through `gh` (sources/gh.ts). `list()` reads the open
// issues once per command, then the few closed or older issues they depend on, so availability
// ("blocked by #12") is decided on real states, never guessed.
import { ghClient, type GhClient, type GhOptions } from './gh.js';
import { GH_ISSUE_FIELDS, githubIssueNumber, mapGithubIssue } from './github-map.js';
import type { Issue, IssueSource, SourceProblem } from './types.js';

/** Dependencies outside the open list looked up one by one, at most this many per command. */
const MAX_DEP_LOOKUPS = 25;
const FIELDS = GH_ISSUE_FIELDS.join(',');

export interface GithubSourceOptions extends GhOptions {
  /** How many open issues `gh issue list` returns at most. */
  limit: number;
  /** Injected in tests of the pure parts; default: the real gh on PATH. */
  client?: GhClient;
}

export class GithubSource implements IssueSource {
  readonly kind = 'github' as const;
  readonly location: string;
  private readonly gh: GhClient;
  private loaded?: { issues: Issue[]; problems: SourceProblem[] };
  private readonly viewed = new Map<string, Issue>();

  constructor(private readonly o: GithubSourceOptions) {
    this.gh = o.client ?? ghClient(o);
    this.location = o.repo ? `GitHub ${o.repo}` : 'GitHub (gh, from the git remote)';
  }

  private load() {
    if (this.loaded) return this.loaded;
    const issues: Issue[] = [];
    const problems: SourceProblem[] = [];
    const raw = this.gh.json<unknown>([
      'issue',
      'list',
      '--state',
      'open',
      '--limit',
      String(this.o.limit),
      '--json',
      FIELDS,
    ]);
    const list = Array.isArray(raw) ? raw : [];
    if (!Array.isArray(raw))
      problems.push({ file: this.location, message: 'gh issue list did not return a list', loaded: false });
    for (const obj of list) {
      const m = mapGithubIssue(obj, this.location);
      problems.push(...m.problems);
      if (m.issue && !issues.some((i) => i.id === m.issue!.id)) issues.push(m.issue);
    }
    if (list.length >= this.o.limit) {
      problems.push({
        file: this.location,
        message: `only the first ${this.o.limit} open issues were read; raise \`github.limit\` in .jit-parallel.yaml`,
        loaded: true,
      });
    }
    const have = new Set(issues.map((i) => i.id));
    const missing = [...new Set(issues.flatMap((i) => i.dependencies))].filter((d) => !have.has(d));
    for (const [k, n] of missing.entries()) {
      if (k >= MAX_DEP_LOOKUPS) {
        problems.push({
          file: this.location,
          message:
            `${missing.length - k} more referenced issues not looked up (#${missing.slice(k).join(', #')}); ` +
            'they count as blocking',
          loaded: true,
        });
        break;
      }
      try {
        issues.push(this.view(n));
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== 'E_NOT_FOUND') throw e;
        problems.push({
          file: this.location,
          message: `#${n} is referenced as a dependency but GitHub has no such issue`,
          loaded: true,
        });
      }
    }
    issues.sort((a, b) => Number(a.id) - Number(b.id));
    return (this.loaded = { issues, problems });
  }

  private view(n: string): Issue {
    const hit = this.viewed.get(n);
    if (hit) return hit;
    const m = mapGithubIssue(this.gh.json<unknown>(['issue', 'view', n, '--json', FIELDS]), this.location);
    if (!m.issue) throw new Error(`gh issue view ${n}: ${m.problems.map((p) => p.message).join('; ')}`);
    this.viewed.set(n, m.issue);
    return m.issue;
  }

  list(): Issue[] {
    return this.load().issues;
  }
  problems(): SourceProblem[] {
    return this.load().problems;
  }
  /** `#123` or `123`; an issue not among the open ones (closed, or past the limit) is fetched alone. */
  get(idOrNumber: string): Issue {
    const n = githubIssueNumber(idOrNumber);
    return this.loaded?.issues.find((i) => i.id === n) ?? this.view(n);
  }
}
