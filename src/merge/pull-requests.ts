// `jitp merge --strategy individual --create-prs`: push each ready branch and open its pull
// request through gh (which owns the credentials). The body links the issue and says what
// jitp checked; each branch is tried even when an earlier one fails, and each outcome reported.
import { ghClient } from '../sources/gh.js';
import { git, nulFields, outcome, output } from '../platform/git.js';
import type { PairResult } from './matrix.js';

export interface PrItem {
  id: string;
  short: string;
  branch: string;
  title: string;
  /** Label of this branch in the preview (short id, `~n` when two share one). */
  label: string;
  /** Shorts of unmerged dependencies: merge their PRs first. */
  waitsFor: string[];
}

export interface PrOutcome {
  issue: string;
  short: string;
  branch: string;
  url: string | null;
  error?: string;
}

/** The verify summary in a PR body, from what `jitp merge` itself measured. Pure. */
export function prBody(
  item: PrItem,
  facts: { integration: string; commits: number; files: string[]; preview: PairResult[] },
): string {
  const link = /^\d+$/.test(item.id) ? `Closes #${item.id}` : `Issue: \`${item.id}\``;
  const vsTip = facts.preview.find((r) => r.a === 'tip' && r.b === item.label);
  const others = facts.preview.filter(
    (r) => r.a !== 'tip' && (r.a === item.label || r.b === item.label) && !r.clean && !r.error,
  );
  const shown = facts.files.slice(0, 50);
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const into = `\`${facts.integration}\``;
  const checked = !vsTip
    ? `not previewed against ${into}`
    : vsTip.error
      ? `merge with ${into} not checked: ${vsTip.error}`
      : vsTip.clean
        ? `merges cleanly into ${into}`
        : `conflicts with ${into} in ${vsTip.files.join(', ')}`;
  return [
    link,
    '',
    `Branch \`${item.branch}\`: ${plural(facts.commits, 'commit')}, ${plural(facts.files.length, 'file')} changed.`,
    '',
    'Checked by `jitp merge` (git merge-tree, nothing merged):',
    `- ${checked}`,
    ...others.map((o) => `- overlaps with ${o.a === item.label ? o.b : o.a} in ${o.files.join(', ')}`),
    ...(item.waitsFor.length ? [`- merge after: ${item.waitsFor.join(', ')}`] : []),
    '',
    'Files:',
    ...shown.map((f) => `- \`${f}\``),
    ...(facts.files.length > shown.length ? [`- … and ${facts.files.length - shown.length} more`] : []),
  ].join('\n');
}

export async function createPullRequests(
  mainRoot: string,
  items: PrItem[],
  o: { integration: string; preview: PairResult[]; env: NodeJS.ProcessEnv; repo: string | null; remote?: string },
): Promise<PrOutcome[]> {
  const remote = o.remote ?? 'origin';
  const gh = ghClient({ cwd: mainRoot, env: o.env, repo: o.repo });
  // A missing or logged-out gh fails here, before anything is pushed.
  gh.run(['auth', 'status'], { repoFlag: false });
  const out: PrOutcome[] = [];
  for (const item of items) {
    const base = { issue: item.id, short: item.short, branch: item.branch };
    // Its own process group, killed whole (ssh or https helper included) if the push hangs.
    const push = await git(
      { cwd: mainRoot, env: o.env, timeoutMs: 300_000 },
      outcome(['push', '-u', remote, `refs/heads/${item.branch}:refs/heads/${item.branch}`]),
    );
    if (push.code !== 0) {
      out.push({ ...base, url: null, error: `git push to ${remote} failed: ${push.stderr.trim().split('\n')[0]}` });
      continue;
    }
    const range = `refs/heads/${o.integration}...refs/heads/${item.branch}`;
    const commits = Number(await git(mainRoot, output(['rev-list', '--count', range.replace('...', '..')])));
    const files = await git(mainRoot, nulFields(['diff', '--name-only', '-z', range]));
    const body = prBody(item, { integration: o.integration, commits, files, preview: o.preview });
    const title = `${/^\d+$/.test(item.id) ? `#${item.id}` : item.short}: ${item.title.replace(/[\r\n]+/g, ' ')}`;
    try {
      const url = gh
        .run(['pr', 'create', '--base', o.integration, '--head', item.branch, '--title', title, '--body', body])
        .trim()
        .split('\n')
        .at(-1)!;
      out.push({ ...base, url });
    } catch (e) {
      // gh's own refusals (an existing PR, permissions) are reported per branch; the next goes on.
      out.push({ ...base, url: null, error: (e as Error).message });
    }
  }
  return out;
}
