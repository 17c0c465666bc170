// Pure file prediction: from an issue's text and declared data plus RepoFacts, the files it
// will probably change, each with the reason it was predicted.
import { matches } from '../core/globs.js';
import { isGlob } from '../core/paths.js';
import { baseOf, classifyPath, dirOf, stemOf } from './classify.js';
import { DEFAULT_COCHANGE, indexCommits, mineCoChange, type CoChangeIndex } from './cochange.js';
import { extractMentions, normalizeMentionedPath, type Mentions } from './mentions.js';
import { DEFAULT_PAST_ISSUES, indexPastIssues, likelyFiles, pastIssues } from './past-issues.js';
import { DEFAULT_SIMILAR, indexMessages, similarChanges, type SimilarIndex } from './similar.js';
import type { PlanIssue, PlanOptions, PredictedFile, Prediction, ReasonKind, RepoFacts } from './types.js';

/** A file touched by at least this share of recent commits is hot. */
export const HOT_SHARE = 0.2;
/** ...and at least this share is predicted for every issue (it is edited by most changes). */
export const ALWAYS_SHARE = 0.5;
/** npm script names people group with a colon (`test:unit`, `bench:merge`). */
const COMMON_SCRIPT_GROUPS = [
  'test',
  'bench',
  'lint',
  'build',
  'eval',
  'demo',
  'dev',
  'start',
  'watch',
  'format',
  'typecheck',
  'release',
  'docs',
  'e2e',
  'coverage',
];
/** Likely files kept per issue (the nearest past issues' files, most likely first). */
const MAX_LIKELY = 20;
/** History needs this many commits before shares mean anything. */
export const MIN_HISTORY = 20;
/** Identifiers found in more files than this are too common to point anywhere. */
const MAX_USE_FILES = 20;
const MAX_DEF_FILES = 3;

export interface RepoIndex {
  files: Set<string>;
  dirs: Set<string>;
  byBase: Map<string, string[]>;
  byStem: Map<string, string[]>;
  /** Test files by the stem of the file they test. */
  tests: Map<string, string[]>;
  /** Hot file -> why it is hot. Only files that exist. */
  hot: Map<string, string>;
  /** History-hot files with their share of recent commits, highest first. */
  historyHot: Array<{ path: string; share: number }>;
  cochange: CoChangeIndex;
  /** Past commit messages and their files, for similar past changes. */
  similar: SimilarIndex;
  /** Past issues (commits grouped by the issue they name) with their text and files. */
  pastIssues: SimilarIndex;
  ignore: string[];
  /** Memo for commandsDir (computed once per plan, not per issue). */
  commands?: { dir: string; ext: string; stems: string[] } | null;
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V) {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

export function buildIndex(facts: RepoFacts, opts: Pick<PlanOptions, 'hotFiles' | 'ignore'>): RepoIndex {
  const files = new Set(facts.files);
  const dirs = new Set<string>(['']);
  const byBase = new Map<string, string[]>();
  const byStem = new Map<string, string[]>();
  const tests = new Map<string, string[]>();
  const hot = new Map<string, string>();
  for (const f of facts.files) {
    for (let d = dirOf(f); d && !dirs.has(d); d = dirOf(d)) dirs.add(d);
    push(byBase, baseOf(f).toLowerCase(), f);
    const cls = classifyPath(f);
    if (cls === 'test') push(tests, stemOf(f).toLowerCase(), f);
    else push(byStem, stemOf(f).toLowerCase(), f);
    if (opts.hotFiles.some((g) => matches(f, g))) hot.set(f, 'configured hot file');
    else if (cls === 'manifest') hot.set(f, 'package manifest');
    else if (cls === 'lock') hot.set(f, 'lock file');
    else if (cls === 'registry') hot.set(f, 'barrel/registry file');
  }
  const historyHot: Array<{ path: string; share: number }> = [];
  // Bulk commits (imports, mass renames) say nothing about which files are edited often.
  const counted = facts.commits.filter((c) => c.files.length <= 100);
  if (counted.length >= MIN_HISTORY) {
    const n = new Map<string, number>();
    for (const c of counted) for (const f of new Set(c.files)) n.set(f, (n.get(f) ?? 0) + 1);
    for (const [path, k] of n) {
      const share = k / counted.length;
      if (share >= HOT_SHARE && files.has(path)) {
        historyHot.push({ path, share });
        if (!hot.has(path))
          hot.set(path, `touched by ${Math.round(share * 100)}% of the last ${counted.length} commits`);
      }
    }
    historyHot.sort((a, b) => b.share - a.share || (a.path < b.path ? -1 : 1));
  }
  return {
    files,
    dirs,
    byBase,
    byStem,
    tests,
    hot,
    historyHot,
    cochange: indexCommits(facts.commits, DEFAULT_COCHANGE),
    similar: indexMessages(facts.commits, DEFAULT_SIMILAR),
    pastIssues: indexPastIssues(
      pastIssues(facts.commits, facts.issueTexts ?? new Map(), {
        maxCommitFiles: DEFAULT_PAST_ISSUES.maxCommitFiles,
        ignore: (f) => opts.ignore.some((g) => matches(f, g)),
      }),
      DEFAULT_PAST_ISSUES,
    ),
    ignore: opts.ignore,
  };
}

export function issueText(issue: Pick<PlanIssue, 'title' | 'description'>): string {
  return `${issue.title}\n\n${issue.description}`;
}

/** Files with a registry in `dir` (index.ts, mod.rs, __init__.py, main.*). */
function registriesIn(dir: string, idx: RepoIndex, forFile?: string): string[] {
  const out: string[] = [];
  // A new Rust module is declared with `mod x;` in the crate root too.
  const names = [
    'index.ts',
    'index.tsx',
    'index.js',
    'index.mjs',
    'mod.rs',
    'lib.rs',
    '__init__.py',
    ...(forFile?.endsWith('.rs') ? ['main.rs'] : []),
  ];
  for (const name of names) {
    const p = dir ? `${dir}/${name}` : name;
    if (idx.files.has(p)) out.push(p);
  }
  return out;
}

export function predictIssue(
  issue: PlanIssue,
  idx: RepoIndex,
  facts: RepoFacts,
  opts: Pick<PlanOptions, 'maxFilesPerIssue'>,
  mentions?: Mentions,
): Prediction {
  const m = mentions ?? extractMentions(issueText(issue), { bins: facts.binNames ?? [] });
  const out = new Map<string, PredictedFile>();
  const ignored = [...m.refused];
  const add = (path: string, kind: ReasonKind, reason: string) => {
    if (out.has(path)) return;
    if (idx.ignore.some((g) => matches(path, g))) return;
    const isNew = !idx.files.has(path);
    out.set(path, { path, isNew, hot: !isNew && idx.hot.has(path), kind, reason });
  };
  // New under an existing folder, or a new top-level folder's first file (`docs/plan.md`).
  // Words joined by a slash (`ahead/behind`) are not files: a new file needs a file-like name.
  const canBeNew = (p: string) =>
    !idx.files.has(p) &&
    !idx.dirs.has(p) &&
    /\.[A-Za-z][A-Za-z0-9]{0,9}$|(^|\/)(Makefile|Dockerfile|Jenkinsfile|Procfile|Gemfile|LICENSE)$/.test(p) &&
    !p.startsWith('@') &&
    (idx.dirs.has(dirOf(p)) || p.split('/').length === 2);

  // 1. Declared files (task front matter, batch list, jit context.files).
  for (const d of issue.declaredFiles) {
    const r = normalizeMentionedPath(d.endsWith('/') ? d.slice(0, -1) : d);
    // Declared names need no extension (`LICENSE`, `bin/tool`), but the same refusals apply.
    const p = r.refused ? undefined : (r.path ?? d.replace(/^\.\//, '').replace(/\/$/, ''));
    if (!p || /[\0-\x1f]/.test(p) || p.split('/').includes('..') || p.startsWith('/')) {
      ignored.push(`${JSON.stringify(d).slice(0, 80)}: declared path outside the repository or not a path`);
      continue;
    }
    if (isGlob(p)) {
      let n = 0;
      for (const f of idx.files) if (matches(f, p) && n++ < 200) add(f, 'declared', `declared (${p})`);
    } else if (idx.dirs.has(p) && p !== '') {
      for (const f of idx.files) if (f.startsWith(`${p}/`)) add(f, 'declared', `declared folder ${p}/`);
    } else add(p, 'declared', 'declared');
  }
  // 2. Paths named in the text.
  for (const p of m.paths) {
    const clean = p.replace(/\/$/, '');
    if (idx.files.has(clean)) add(clean, 'named', 'named in the issue');
    else if (idx.dirs.has(clean) && clean) {
      // A named folder gets new files; its registry is where they are wired in.
      for (const r of registriesIn(clean, idx)) add(r, 'registry', `registry of the named folder ${clean}/`);
    } else if (!clean.includes('/')) {
      let hits = idx.byBase.get(clean.toLowerCase()) ?? [];
      // `README` for README.md: the root file with that stem.
      if (!hits.length && !clean.includes('.'))
        hits = (idx.byStem.get(clean.toLowerCase()) ?? []).filter((f) => !f.includes('/'));
      if (hits.length >= 1 && hits.length <= 2) for (const h of hits) add(h, 'named', `named as ${clean}`);
    } else if (!p.endsWith('/') && canBeNew(clean))
      add(clean, 'new', `named in the issue; new file under ${dirOf(clean) || '.'}/`);
    else if (!p.endsWith('/')) {
      // `cli/main.ts` for `src/cli/main.ts`: a unique suffix match.
      const hits = (idx.byBase.get(baseOf(clean).toLowerCase()) ?? []).filter((f) => f.endsWith(`/${clean}`));
      if (hits.length === 1) add(hits[0]!, 'named', `named as ${clean}`);
    }
  }
  // A word of the title that is the name of exactly one document ("Benchmarks: …" and
  // docs/benchmarks.md): titles name the area they change.
  for (const w of new Set((issue.title.match(/[A-Za-z][A-Za-z-]{4,}/g) ?? []).map((x) => x.toLowerCase()))) {
    const docs = (idx.byStem.get(w) ?? []).filter((f) => classifyPath(f) === 'doc' && /\.(md|mdx|rst|adoc)$/i.test(f));
    if (docs.length === 1) add(docs[0]!, 'named', `the title names ${docs[0]}`);
  }
  // A manual page reference, `bash(1)`: the page's source (`bash.1`).
  for (const mm of issueText(issue).matchAll(/(?<![\w.-])([A-Za-z][\w.+-]*)\(([1-9])[a-z]*\)/g)) {
    const hits = idx.byBase.get(`${mm[1]}.${mm[2]}`.toLowerCase()) ?? [];
    if (hits.length >= 1 && hits.length <= 2) for (const h of hits) add(h, 'named', `manual page ${mm[1]}(${mm[2]})`);
  }
  // 3. Linked documents.
  for (const d of issue.documents) {
    const r = normalizeMentionedPath(d.path);
    if (!r.path) {
      if (r.refused) ignored.push(`document ${r.refused}`);
      continue;
    }
    if (idx.files.has(r.path)) add(r.path, 'document', 'linked document');
    else if (canBeNew(r.path)) add(r.path, 'document', 'linked document (new)');
  }
  // 4. Identifiers, resolved through the batched git grep.
  for (const { name, strong } of m.identifiers) {
    // Lock files and other generated files are never edited for a name in the text.
    const hits = (facts.grep.get(name) ?? []).filter((h) => classifyPath(h.file) !== 'lock');
    const defs = hits.filter((h) => h.defines > 0);
    if (defs.length >= 1 && defs.length <= (strong ? MAX_DEF_FILES : 2)) {
      for (const h of defs) add(h.file, 'defines', `defines \`${name}\``);
      continue;
    }
    if (!strong) continue;
    if (defs.length === 0 && hits.length > 0 && hits.length <= MAX_USE_FILES) {
      const total = hits.reduce((s, h) => s + h.uses, 0);
      const sorted = [...hits].sort((a, b) => b.uses - a.uses || (a.file < b.file ? -1 : 1));
      if (hits.length <= 2) for (const h of sorted) add(h.file, 'uses', `uses \`${name}\``);
      else if (sorted[0]!.uses / total >= 0.5)
        add(sorted[0]!.file, 'uses', `mainly uses \`${name}\` (${sorted[0]!.uses} of ${total})`);
    }
    const stems = (idx.byStem.get(name.toLowerCase()) ?? []).filter((f) => classifyPath(f) !== 'doc');
    if (stems.length === 1) add(stems[0]!, 'file-name', `file named after \`${name}\``);
  }
  // 5. Subcommands of the project's own CLI (`jitp plan`): the command's file when the
  // commands folder has one named after it, else a new file there (and its registry below).
  if (idx.commands === undefined) idx.commands = commandsDir(idx, facts) ?? null;
  const cmdDir = idx.commands;
  if (cmdDir) {
    const bins = new Set(facts.binNames ?? []);
    for (const { bin, sub, display: name, existingOnly } of m.commandWords) {
      if (!bins.has(bin)) continue;
      const existing = (idx.byStem.get(sub.toLowerCase()) ?? []).filter((f) => dirOf(f) === cmdDir.dir);
      // `tool claim` when `claim-acquire`, `claim-list`… exist: the group, not a new command.
      const group = existing.length ? [] : cmdDir.stems.filter((st) => st.startsWith(`${sub}-`));
      if (existing.length) for (const f of existing) add(f, 'command', `implements \`${name}\``);
      else if (group.length)
        for (const st of group.slice(0, 12))
          add(`${cmdDir.dir}/${st}${cmdDir.ext}`, 'command', `one of the \`${name} …\` commands`);
      else if (!existingOnly)
        add(`${cmdDir.dir}/${sub}${cmdDir.ext}`, 'command', `new command \`${name}\` in ${cmdDir.dir}/`);
    }
  }
  // 6. Registries next to new files; manifests for new scripts or dependencies.
  for (const f of [...out.values()])
    if (f.isNew)
      for (const r of registriesIn(dirOf(f.path), idx, f.path)) add(r, 'registry', `registry next to new ${f.path}`);
  // Script groups: the manifest's own (`bench:` next to `bench:hook`) and the usual npm ones.
  const groups = new Set([
    ...COMMON_SCRIPT_GROUPS,
    ...[...(facts.npmScripts ?? [])].filter((s) => s.includes(':')).map((s) => s.slice(0, s.indexOf(':'))),
  ]);
  const newScripts = facts.npmScripts
    ? [...new Set([...m.npmScripts, ...m.scriptLike.filter((s) => groups.has(s.slice(0, s.indexOf(':'))))])].filter(
        (s) => !facts.npmScripts!.has(s),
      )
    : [];
  if (newScripts.length && idx.files.has('package.json'))
    add('package.json', 'script', `adds npm script ${newScripts.join(', ')}`);
  if (m.addsDependency) {
    for (const man of ['package.json', 'Cargo.toml', 'pyproject.toml', 'go.mod', 'Gemfile', 'composer.json'])
      if (idx.files.has(man)) add(man, 'manifest', 'adds a dependency');
    for (const base of [
      'package-lock.json',
      'yarn.lock',
      'pnpm-lock.yaml',
      'bun.lockb',
      'Cargo.lock',
      'go.sum',
      'poetry.lock',
      'uv.lock',
      'Pipfile.lock',
      'Gemfile.lock',
      'composer.lock',
    ]) {
      if (idx.files.has(base)) add(base, 'manifest', 'adds a dependency (lock file)');
    }
  }
  // 7. Tests of predicted source files.
  for (const f of [...out.values()]) {
    if (f.isNew || !['named', 'declared', 'defines', 'file-name', 'command'].includes(f.kind)) continue;
    const cls = classifyPath(f.path);
    if (cls === 'test' || cls === 'doc') continue;
    const t = idx.tests.get(stemOf(f.path).toLowerCase()) ?? [];
    if (t.length >= 1 && t.length <= 2) for (const tf of t) add(tf, 'test', `tests ${f.path}`);
  }
  // 8. Files that historically change together with the predicted ones.
  const seeds = [...out.values()]
    .filter((f) => !f.isNew && !['registry', 'manifest', 'script'].includes(f.kind))
    .map((f) => f.path);
  for (const h of mineCoChange(seeds, idx.cochange)) {
    add(h.path, 'co-change', `changed with ${h.seed} in ${h.together} of its ${h.seedCommits} commits`);
  }
  // 9. Files the most similar past changes changed (the shared files texts leave unsaid).
  for (const h of similarChanges(issueText(issue), idx.similar)) {
    if (!idx.files.has(h.path)) continue; // deleted since
    add(h.path, 'similar', `changed by ${h.votes} of the ${h.of} most similar past commits (e.g. "${h.example}")`);
  }
  // 10. Files the most similar past issues changed (their text reads like this one's).
  for (const h of similarChanges(issueText(issue), idx.pastIssues, DEFAULT_PAST_ISSUES)) {
    if (!idx.files.has(h.path)) continue;
    add(h.path, 'past-issue', `changed by ${h.votes} of the ${h.of} most similar past issues (e.g. "${h.example}")`);
  }
  // 11. Files edited by most changes.
  for (const h of idx.historyHot)
    if (h.share >= ALWAYS_SHARE)
      add(h.path, 'hot-history', `touched by ${Math.round(h.share * 100)}% of recent commits`);

  let files = [...out.values()];
  if (files.length > opts.maxFilesPerIssue) {
    const keep = files.filter((f) => f.kind === 'declared');
    const rest = files.filter((f) => f.kind !== 'declared');
    files = [...keep, ...rest.slice(0, Math.max(0, opts.maxFilesPerIssue - keep.length))];
    ignored.push(
      `${out.size - files.length} more predicted files dropped (plan.maxFilesPerIssue = ${opts.maxFilesPerIssue})`,
    );
  }
  const likely = likelyFiles(issueText(issue), idx.pastIssues, DEFAULT_PAST_ISSUES)
    .filter((h) => idx.files.has(h.path) && !idx.ignore.some((g) => matches(h.path, g)))
    .slice(0, MAX_LIKELY)
    .map((h) => ({ path: h.path, p: Math.round(h.share * 100) / 100 }));
  return { id: issue.id, files, ignored, likely };
}

/** The folder holding one file per CLI subcommand (`commands/`, `cmd/`, `subcommands/`), if any. */
export function commandsDir(
  idx: RepoIndex,
  facts: RepoFacts,
): { dir: string; ext: string; stems: string[] } | undefined {
  if (!facts.binNames?.length) return undefined;
  const counts = new Map<string, Map<string, number>>();
  for (const f of idx.files) {
    const d = dirOf(f);
    if (!/(^|\/)(commands|cmds?|subcommands)$/.test(d) || classifyPath(f) !== 'code') continue;
    const ext = f.slice(f.lastIndexOf('.'));
    const m = counts.get(d) ?? new Map<string, number>();
    m.set(ext, (m.get(ext) ?? 0) + 1);
    counts.set(d, m);
  }
  let best: { dir: string; ext: string; n: number } | undefined;
  for (const [dir, m] of counts) for (const [ext, n] of m) if (n >= 2 && (!best || n > best.n)) best = { dir, ext, n };
  if (!best) return undefined;
  const { dir, ext } = best;
  const stems = [...idx.files]
    .filter((f) => dirOf(f) === dir && f.endsWith(ext))
    .map((f) => baseOf(f).slice(0, -ext.length))
    .sort();
  return { dir, ext, stems };
}
