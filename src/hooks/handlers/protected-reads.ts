// Reads that would hand an agent a binding secret (issue 13, item 2): the lease store's files
// (every lease's secret) and, for sub-agents, the client's session transcripts (each sub-agent's
// transcript starts with its binding line). Checked for the read tools (Read, Grep, Glob,
// NotebookRead) and for the static words of a sub-agent's Bash command, with globs (`.gi?/jit-*`),
// `~`, `$HOME` and `$CLAUDE_CONFIG_DIR` expanded the way the shell would. What is built at run
// time (`$(printf …)`, a script file, an interpreter's code) is not seen here: bind-once
// (bind-record.ts) is what keeps a secret read that way from rebinding a sub-agent.
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { realpathSync } from 'node:fs';
import { resolveThroughSymlinks } from '../../platform/fs-paths.js';
import { splitShell, type Word } from '../../core/shell-words.js';
import type { HookInput } from '../runtime/contract.js';

// A sub-agent's `jitp claim` commands must act on its own lease (issue 13, item 3): checked for
// the same Bash calls as the reads here and with the same word splitter, so it lives in this
// lazy bundle (dist/lazy/protected-reads.cjs) rather than in every edit's dist/hook-pre.cjs.
export { checkSubagentJitp } from '../../core/jitp-calls.js';

export interface ProtectedArea {
  kind: 'store' | 'transcripts';
  /** Absolute folders (as spelled and resolved). */
  dirs: string[];
}

const real = (p: string) => {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
};
const isUnder = (p: string, dir: string) => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
const str = (x: unknown) => (typeof x === 'string' && x ? x : undefined);

/** The store (everyone) and, for a sub-agent, the folders where the client keeps transcripts. */
export function protectedAreas(
  input: HookInput,
  env: NodeJS.ProcessEnv,
  storeDir: string,
  subagent: boolean,
  cwd: string,
): ProtectedArea[] {
  const areas: ProtectedArea[] = [{ kind: 'store', dirs: [...new Set([storeDir, real(storeDir)])] }];
  if (!subagent) return areas;
  const dirs: string[] = [];
  const tp = str(input.transcript_path);
  if (tp && isAbsolute(tp)) dirs.push(dirname(tp));
  const atp = str(input.agent_transcript_path);
  if (atp && isAbsolute(atp)) dirs.push(dirname(atp));
  if (env.HOME) dirs.push(join(env.HOME, '.claude', 'projects'));
  if (env.CLAUDE_CONFIG_DIR) dirs.push(join(env.CLAUDE_CONFIG_DIR, 'projects'));
  // A transcript folder that holds the working folder (a payload naming /tmp/x.jsonl) would forbid everything.
  const fit = [...new Set([...dirs, ...dirs.map(real)])].filter((d) => d !== '/' && !isUnder(cwd, d));
  if (fit.length) areas.push({ kind: 'transcripts', dirs: fit });
  return areas;
}

export function refusal(kind: ProtectedArea['kind'], shown: string): string {
  return kind === 'store'
    ? `jit-parallel: ${shown} is the lease store; its files are read and changed only through \`jitp claim …\` ` +
        `(\`jitp claim list\`, \`jitp claim status\`), never directly.`
    : `jit-parallel: ${shown} holds Claude Code session transcripts; a sub-agent may not read them (they carry ` +
        `other sub-agents' binding secrets). Work from your own prompt and the repository.`;
}

type Relation = 'inside' | 'above' | undefined;

/** Does the literal absolute path name a protected folder, something in it, or a folder above it? */
function relationOf(abs: string, dirs: readonly string[]): Relation {
  const forms = [...new Set([abs, resolveThroughSymlinks(abs)])];
  let above = false;
  for (const f of forms)
    for (const d of dirs) {
      if (isUnder(f, d)) return 'inside';
      if (isUnder(d, f)) above = true;
    }
  return above ? 'above' : undefined;
}

const GLOB = /[*?[]/;

/** One glob component as a regular expression (`*`, `?`, `[…]`, `{a,b}`). */
function componentRe(c: string): RegExp {
  let re = '';
  for (let i = 0; i < c.length; i++) {
    const ch = c[i]!;
    if (ch === '*') re += '.*';
    else if (ch === '?') re += '.';
    else if (ch === '[') {
      const j = c.indexOf(']', i + 2);
      if (j < 0) re += '\\[';
      else {
        const body = c
          .slice(i + 1, j)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        re += `[${body}]`;
        i = j;
      }
    } else if (ch === '{' || ch === '}' || ch === ',') re += ch === '{' ? '(?:' : ch === '}' ? ')' : '|';
    else re += ch.replace(/[.+^$()|\\]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return /^.*$/; // a pattern we cannot read could match anything
  }
}

/** The same question for a glob: could it match a protected folder, something in it, or above it? */
function globRelationOf(abs: string, dirs: readonly string[]): Relation {
  const parts = abs.split('/').filter(Boolean);
  const first = parts.findIndex((p) => GLOB.test(p) || /\{.*,.*\}/.test(p));
  if (first < 0) return relationOf(abs, dirs);
  // The static part resolves through symlinks as the shell would before it expands the rest.
  const head = resolveThroughSymlinks(`/${parts.slice(0, first).join('/')}`)
    .split('/')
    .filter(Boolean);
  const pat = [...head, ...parts.slice(first)];
  let above = false;
  for (const d of dirs) {
    const dp = d.split('/').filter(Boolean);
    let ok = true;
    let i = 0;
    for (; i < Math.min(pat.length, dp.length); i++) {
      if (pat[i] === '**') return 'inside';
      if (!componentRe(pat[i]!).test(dp[i]!)) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    if (pat.length >= dp.length) return 'inside';
    above = true;
  }
  return above ? 'above' : undefined;
}

/** A path given to a read tool: Read, NotebookRead (its file), Grep and Glob (their folder, Grep's glob). */
export function checkReadTool(
  tool: string,
  ti: Record<string, unknown>,
  cwd: string,
  areas: readonly ProtectedArea[],
): string | undefined {
  const p = [ti.file_path, ti.notebook_path, ti.path].find((x): x is string => typeof x === 'string' && x !== '');
  const abs = resolve(cwd, p ?? '.');
  const candidates = [abs];
  // Grep's `glob` filter narrows the folder it searches: `path: <repo>, glob: ".git/jit-*/*"`.
  if (tool === 'Grep' && typeof ti.glob === 'string' && ti.glob.includes('/')) candidates.push(join(abs, ti.glob));
  for (const a of areas)
    for (const c of candidates) {
      const rel = GLOB.test(c) ? globRelationOf(c, a.dirs) : relationOf(c, a.dirs);
      if (rel === 'inside') return refusal(a.kind, p ?? cwd);
      // Grep searches below its folder; the store's folders are git's (`.git`), checked as before.
      if (rel === 'above' && (tool === 'Grep' || a.kind === 'store') && aboveMatters(c, a))
        return refusal(a.kind, p ?? cwd);
    }
  return undefined;
}

/** Above the store, only git's own folders count (`.git`): reading the repository root is not reading the store. */
function aboveMatters(abs: string, a: ProtectedArea): boolean {
  return a.kind === 'transcripts' || a.dirs.some((d) => isUnder(abs, dirname(d)));
}

// Programs that read every file below a folder they are given.
const RECURSIVE = new Set(['rg', 'ag', 'ack', 'ugrep', 'find', 'tar', 'bsdtar', 'zip', '7z', 'rsync', 'scp', 'cpio']);
const RECURSIVE_FLAG: Record<string, RegExp> = {
  grep: /^(-[A-Za-z]*[rR][A-Za-z]*|--recursive|--dereference-recursive|--directories=recurse)$/,
  egrep: /^(-[A-Za-z]*[rR][A-Za-z]*|--recursive)$/,
  fgrep: /^(-[A-Za-z]*[rR][A-Za-z]*|--recursive)$/,
  cp: /^(-[A-Za-z]*[rRa][A-Za-z]*|--recursive|--archive)$/,
  git: /^(grep|archive|add)$/,
  du: /^$/, // never: sizes are not contents
};

function readsRecursively(words: readonly Word[]): boolean {
  const prog = words.find((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w.text));
  if (!prog) return false;
  const name = basename(prog.text);
  if (RECURSIVE.has(name)) return true;
  const flag = RECURSIVE_FLAG[name];
  return flag !== undefined && words.some((w) => flag.test(w.text));
}

/** The word as the shell would expand the variables the hook knows; undefined when others remain. */
function expand(
  text: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  vars: Readonly<Record<string, string>>,
): string | undefined {
  let t = text.replace(/^[A-Za-z_][A-Za-z0-9_]*=/, '').replace(/^--?[A-Za-z][\w-]*=(?=[~/$.])/, '');
  if (env.HOME) t = t.replace(/^~(?=\/|$)/, env.HOME);
  t = t.replace(/\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g, (m, v: string) =>
    v === 'PWD' ? cwd : (vars[v] ?? (v === 'HOME' || v === 'CLAUDE_CONFIG_DIR' ? env[v] : undefined) ?? m),
  );
  return /[$`]/.test(t) ? undefined : t;
}

/**
 * A sub-agent's Bash command: the first protected area one of its words names (`cat
 * .git/jit-parallel/state.json`, `cat ~/.claude/projects/*\/*\/subagents/*.jsonl`, `grep -r
 * jitp-binding ~`), with the refusal to give; undefined when none does. A word the hook cannot
 * expand is refused when its static text names such a folder (`$D/jit-parallel/state.json`).
 */
export function checkBashReads(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  areas: readonly ProtectedArea[],
): string | undefined {
  // `$(git rev-parse --git-common-dir)/jit-parallel`: the store's name with git's folder built at run time.
  if (/(^|[/\s'"=])jit-parallel([/\s'"]|$)/.test(command) && /\.git(\/|\s|$)|git-common-dir|git-dir/.test(command))
    return refusal('store', 'jit-parallel');
  const split = splitShell(command).commands;
  // `D=~/.claude; cat $D/…`: plain assignments are expanded like the variables the hook knows.
  const vars: Record<string, string> = {};
  for (const words of split)
    for (const w of words) {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(w.text);
      if (m && !w.dynamic) vars[m[1]!] = expand(m[2]!, env, cwd, {}) ?? '';
    }
  for (const words of split) {
    const recursive = readsRecursively(words);
    for (const w of words) {
      if (!w.text) continue;
      const x = expand(w.text, env, cwd, vars);
      if (x === undefined || GLOB.test(x)) {
        // Built at run time, or a pattern (`find -path '*jit-parallel*'`): refused when it names such a folder.
        const hit = areas.find((a) => namesOf(a).some((n) => w.text.includes(n)));
        if (hit) return refusal(hit.kind, w.text);
        if (x === undefined) continue;
      }
      if (!x.startsWith('/') && !x.startsWith('.') && !x.includes('/') && !GLOB.test(x)) continue; // not a path
      const abs = resolve(cwd, x);
      for (const a of areas) {
        const rel = GLOB.test(abs) ? globRelationOf(abs, a.dirs) : relationOf(abs, a.dirs);
        if (rel === 'inside') return refusal(a.kind, w.text);
        if (rel === 'above' && a.kind === 'store' && aboveMatters(abs, a)) return refusal(a.kind, w.text);
        if (rel === 'above' && a.kind === 'transcripts' && recursive) return refusal(a.kind, w.text);
      }
    }
  }
  return undefined;
}

/** Names only these folders have: a word built at run time that holds one is refused. */
function namesOf(a: ProtectedArea): string[] {
  if (a.kind === 'store') return ['jit-parallel'];
  const out = new Set(['.claude', 'CLAUDE_CONFIG_DIR', 'subagents']);
  for (const d of a.dirs) if (basename(d) !== 'projects') out.add(basename(d));
  return [...out];
}
