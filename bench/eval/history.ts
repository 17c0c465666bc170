// Shared by the evaluations: manifests, issue texts, and each issue's real change in history.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { matches } from '../../src/core/globs.js';

export interface ManifestIssue {
  id: string;
  text: string;
  branch?: string;
  merge?: string;
}
export interface Manifest {
  name: string;
  repo: string;
  base: string;
  integration?: string;
  ignore?: string[];
  issues: ManifestIssue[];
}

export const git = (cwd: string, ...a: string[]): string =>
  execFileSync('git', ['-c', 'core.quotePath=false', ...a], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 }).trimEnd();
export const gitOk = (cwd: string, ...a: string[]): { out: string; code: number } => {
  try {
    return { out: git(cwd, ...a), code: 0 };
  } catch (e) {
    const err = e as { status?: number; stdout?: string };
    return { out: String(err.stdout ?? '').trimEnd(), code: err.status ?? 1 };
  }
};

/** Issue text as filed: a quoted block (`> `) under a `# issue N` line, or plain Markdown. */
export function readIssue(path: string): { title: string; body: string } {
  let t = readFileSync(path, 'utf8');
  const lines = t.split('\n');
  if (/^# issue \d+/.test(lines[0] ?? ''))
    t = lines
      .slice(1)
      .map((l) => l.replace(/^> ?/, ''))
      .join('\n');
  const title = /^#\s+(.+)$/m.exec(t)?.[1]?.trim() ?? path;
  return { title, body: t.replace(/^#\s+.+\n/, '') };
}

export interface Truth {
  tip: string;
  how: string;
  files: Set<string>;
  /** The issue's own non-merge commits, newest first. */
  own: string[];
}

/**
 * `before` (any date git understands) replays the history as it stood then: merges and branch
 * tips committed later are ignored, so figures can be reproduced while branches move on.
 */
export function findTruth(repo: string, m: Manifest, tips: Map<string, string>, before?: string): Map<string, Truth> {
  const out = new Map<string, Truth>();
  const merges = m.integration
    ? gitOk(
        repo,
        'log',
        '--merges',
        '--format=%H%x09%P%x09%s',
        ...(before ? [`--before=${before}`] : []),
        m.integration,
      )
        .out.split('\n')
        .filter(Boolean)
    : [];
  for (const is of m.issues) {
    let tip: string | undefined;
    let how = '';
    if (is.merge) {
      const re = new RegExp(is.merge);
      const hit = merges.map((l) => l.split('\t')).find((p) => re.test(p[2] ?? ''));
      if (hit) {
        tip = hit[1]!.split(' ')[1];
        how = `merge ${hit[0]!.slice(0, 10)} (${hit[2]})`;
      }
    }
    if (!tip && is.branch) {
      const r = before
        ? gitOk(repo, 'rev-list', '-1', '--first-parent', `--before=${before}`, is.branch)
        : gitOk(repo, 'rev-parse', '--verify', '-q', `${is.branch}^{commit}`);
      if (r.code === 0 && r.out) {
        tip = r.out;
        how = `tip of ${is.branch} (not merged yet)`;
      }
    }
    if (tip) tips.set(is.id, tip);
    out.set(is.id, { tip: tip ?? '', how: how || 'not found', files: new Set(), own: [] });
  }
  // Own work only: the commits on this tip's first-parent chain since the base that are on
  // no other issue's first-parent chain. Helpers merge each other's branches; commits that
  // arrive through such a merge sit on a second parent and stay with the issue that made them.
  const chains = new Map<string, string[]>();
  for (const [id, tip] of tips)
    chains.set(
      id,
      git(repo, 'rev-list', '--first-parent', '--no-merges', tip, `^${m.base}`).split('\n').filter(Boolean),
    );
  for (const is of m.issues) {
    const t = out.get(is.id)!;
    if (!t.tip) continue;
    const elsewhere = new Set([...chains].filter(([id]) => id !== is.id).flatMap(([, c]) => c));
    const own = chains.get(is.id)!.filter((c) => !elsewhere.has(c));
    t.own = own;
    if (!own.length) continue;
    const names = git(repo, 'log', '--no-walk=unsorted', '--no-renames', '--name-only', '--format=', ...own)
      .split('\n')
      .filter(Boolean);
    for (const f of names) if (!(m.ignore ?? []).some((g) => matches(f, g))) t.files.add(f);
  }
  return out;
}
