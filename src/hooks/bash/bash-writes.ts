// Which files a Bash command would write, from our own shell parse (shell-parse.ts). Simple
// writers are a table (command-table.ts); code handles the rest (git, sed/perl -i, dd, xargs,
// find, tar, unzip, cp/mv/ln, awk, eval, sh -c). Anything we cannot see through (scripts,
// `make`, `python x.py`) counts as not writing: read-only commands must never be denied, and a
// held file written by a script is still caught at commit time by the pre-commit backstop.
// Inline interpreter code (`python -c`, `node -e`) is reported as opaque, with the paths it
// names, so the hook can warn about held ones.
import { basename, isAbsolute, resolve } from 'node:path';
import { DEFAULT_LIMITS, ShellParseError, parseShell, type ParseLimits, type Word } from './shell-parse.js';
import { INLINE_CODE, WRAPPERS, WRITERS, type WriterRule } from './command-table.js';

export interface WriteTarget {
  /** Absolute path (textually resolved against the cwd in effect at that point). */
  abs: string;
  /** The word as written, for messages. */
  shown: string;
  /** A folder, or a whole-tree operation rooted here: everything under it may change. */
  dir: boolean;
  /** The command that writes it, e.g. `sed -i`, `> (redirection)`, `git reset --hard`. */
  why: string;
}

export interface OpaqueCode {
  /** e.g. `python3 -c`, `eval` */
  why: string;
  /** Absolute paths the code names literally. */
  mentions: string[];
  /** The code calls something that writes files (an open for writing, unlink, a shell…). */
  writes: boolean;
}

export interface BashWrites {
  targets: WriteTarget[];
  /** Writes whose targets cannot be known statically (`> $OUT`, `rm *.ts`). */
  unknown: { shown: string; why: string }[];
  /** Code we cannot follow (interpreters' inline code). */
  opaque: OpaqueCode[];
  /** Set when the command does not parse, or passes a limit; callers apply the failure policy. */
  parseError?: string;
}

export interface BashOptions {
  home?: string;
  /** Whether an absolute path is an existing folder (`cp a.md src` writes src/a.md). */
  isDir?: (abs: string) => boolean;
  /** Date.now() after which the classifier gives up (a parse error, so the failure policy). */
  deadline?: number;
}

export function bashWrites(command: string, cwd: string, home?: string, opts: BashOptions = {}): BashWrites {
  const out: BashWrites = { targets: [], unknown: [], opaque: [] };
  const limits: ParseLimits = {
    maxLength: DEFAULT_LIMITS.maxLength,
    maxDepth: DEFAULT_LIMITS.maxDepth,
    deadline: opts.deadline ?? Date.now() + DEFAULT_LIMITS.budgetMs,
  };
  const ctx: Ctx = { cwd, dirs: [], home: opts.home ?? home, out, isDir: opts.isDir ?? (() => false), limits };
  try {
    scan(command, ctx, 0);
  } catch (e) {
    if (!(e instanceof ShellParseError)) throw e;
    out.parseError = e.message;
  }
  return out;
}

interface Ctx {
  cwd: string;
  /** pushd's stack. */
  dirs: string[];
  home: string | undefined;
  out: BashWrites;
  isDir: (abs: string) => boolean;
  limits: ParseLimits;
}

type Arg = { v: string | undefined; glob: boolean; shown: string };

const HOME = '\0HOME\0';
const NOT_FILES = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+|zero)$/;
const WRITE_OPS: Record<string, string> = {
  '>': '> (redirection)',
  '>|': '>| (redirection)',
  '>>': '>> (append)',
  '&>': '&> (redirection)',
  '&>>': '&>> (append)',
  '<>': '<> (read-write)',
  '>&': '>& (redirection)',
};

function scan(src: string, ctx: Ctx, depth: number): void {
  const events = parseShell(src, ctx.limits, depth);
  const saved: { cwd: string; dirs: string[] }[] = [];
  for (const ev of events) {
    if (ev.kind === 'enter') saved.push({ cwd: ctx.cwd, dirs: [...ctx.dirs] });
    else if (ev.kind === 'leave') Object.assign(ctx, saved.pop());
    else {
      const args = ev.words.map((w) => arg(w, ctx.home));
      if (args.length) command(args, ctx, depth);
      for (const r of ev.redirects) {
        const why = WRITE_OPS[r.op];
        if (!why) continue;
        const a = arg(r.target, ctx.home);
        if (r.op === '>&' && (a.v === undefined || /^(\d+|-)$/.test(a.v))) continue;
        addPath(ctx, a, why);
      }
    }
  }
}

function arg(w: Word, home: string | undefined): Arg {
  let v = w.value;
  if (v?.startsWith(HOME)) v = home ? home + v.slice(HOME.length) : undefined;
  return { v, glob: w.glob, shown: w.shown };
}

const lit = (value: string): Arg => ({ v: value, glob: false, shown: value });
const absOf = (ctx: Ctx, p: string) => (isAbsolute(p) ? resolve(p) : resolve(ctx.cwd, p));

function addPath(ctx: Ctx, a: Arg | undefined, why: string, dir = false, ownGlobs = false): void {
  if (!a || a.v === undefined || a.glob || (ownGlobs && /[*?[{]/.test(a.v))) {
    ctx.out.unknown.push({ shown: a?.shown ?? '?', why });
    return;
  }
  if (NOT_FILES.test(a.v)) return;
  ctx.out.targets.push({ abs: absOf(ctx, a.v), shown: a.v, dir: dir || a.v === '.' || a.v.endsWith('/'), why });
}

const addWhole = (ctx: Ctx, why: string): void => {
  ctx.out.targets.push({ abs: ctx.cwd, shown: '.', dir: true, why });
};

const flagSet = (s: string | undefined) => new Set((s ?? '').split(' ').filter(Boolean));

/** Operands: the words that are not options or option values (after `--`, everything). */
function operands(args: Arg[], valueFlags: ReadonlySet<string> = new Set()): Arg[] {
  const out: Arg[] = [];
  let endOpts = false;
  for (let i = 0; i < args.length; i++) {
    const s = args[i]!.v;
    if (!endOpts && s === '--') {
      endOpts = true;
      continue;
    }
    if (!endOpts && s !== undefined && s.startsWith('-') && s !== '-') {
      if (valueFlags.has(s)) i++;
      continue;
    }
    out.push(args[i]!);
  }
  return out;
}

/** The value of `-o X`, `--output X` or `--output=X`. */
function optionValue(args: Arg[], names: string[]): Arg | undefined {
  for (let i = 0; i < args.length; i++) {
    const s = args[i]!.v;
    if (s === undefined) continue;
    if (names.includes(s)) return args[i + 1] ?? { v: undefined, glob: false, shown: '?' };
    const long = names.find((n) => n.startsWith('--') && s.startsWith(`${n}=`));
    if (long) return { v: s.slice(long.length + 1), glob: args[i]!.glob, shown: args[i]!.shown };
  }
  return undefined;
}

/** Any of `flags` given: `--long`, `--long=…`, `-x`, or the letter inside a short cluster (`-pi`). */
function hasFlag(args: Arg[], flags: string | string[]): boolean {
  const list = typeof flags === 'string' ? flags.split(' ').filter(Boolean) : flags;
  for (const a of args) {
    const s = a.v;
    if (s === undefined || !s.startsWith('-') || s === '--') continue;
    for (const f of list) {
      if (s === f || (f.startsWith('--') && s.startsWith(`${f}=`))) return true;
      if (f.length === 2 && f[0] === '-' && !s.startsWith('--') && /^-[a-zA-Z]/.test(s)) {
        const letters = s.slice(1).split(/[^a-zA-Z]/)[0]!;
        if (letters.includes(f[1]!)) return true;
      }
    }
  }
  return false;
}

function fromTable(cmd: string, rule: WriterRule, rest: Arg[], ctx: Ctx): void {
  if (rule.when && !hasFlag(rest, rule.when)) return;
  if (rule.unless && hasFlag(rest, rule.unless)) return;
  const ops = operands(rest, flagSet(rule.valueFlags));
  const written = rule.writes === 'all' ? ops : rule.writes === 'first' ? ops.slice(0, 1) : ops.slice(1);
  const tree = rule.tree === true || (typeof rule.tree === 'string' && hasFlag(rest, rule.tree));
  const why = rule.when ? `${cmd} ${rule.when.split(' ')[0]}` : cmd;
  if (!written.length && rule.noneMeansWhole) return addWhole(ctx, why);
  for (const a of written) addPath(ctx, a, why, tree || (rule.noneMeansWhole === true && a.v === '.'), rule.ownGlobs);
}

/** Strips `sudo`, `env X=1`, `timeout 5`, `busybox`, leading assignments… down to the real command. */
function unwrap(all: Arg[], ctx: Ctx): { args: Arg[]; ctx: Ctx } {
  let args = all;
  let c = ctx;
  for (;;) {
    while (args.length && args[0]!.v !== undefined && /^[A-Za-z_][A-Za-z0-9_]*\+?=/.test(args[0]!.v))
      args = args.slice(1);
    const head = args[0]?.v;
    if (head === undefined) return { args, ctx: c };
    const name = head.replace(/^.*\//, '');
    if (name in WRAPPERS) {
      const vf = flagSet(WRAPPERS[name]);
      let i = 1;
      while (i < args.length && args[i]!.v?.startsWith('-')) i += vf.has(args[i]!.v!) ? 2 : 1;
      args = args.slice(i);
    } else if (name === 'env') {
      let i = 1;
      for (; i < args.length; i++) {
        const s = args[i]!.v;
        if (s === undefined || !(s.includes('=') || s.startsWith('-'))) break;
        if (s === '-C' || s === '--chdir') {
          const d = args[++i]?.v;
          if (d !== undefined) c = { ...c, cwd: absOf(c, d) };
        } else if (s === '-u' || s === '--unset' || s === '-S') i++;
      }
      args = args.slice(i);
    } else if (name === 'timeout') {
      let i = 1;
      while (i < args.length && args[i]!.v?.startsWith('-'))
        i += ['-s', '-k', '--signal'].includes(args[i]!.v!) ? 2 : 1;
      args = args.slice(i + 1);
    } else if (
      ['npx', 'pnpx', 'bunx'].includes(name) ||
      (['pnpm', 'yarn'].includes(name) && ['exec', 'dlx'].includes(args[1]?.v ?? ''))
    ) {
      const rest = args.slice(name === 'pnpm' || name === 'yarn' ? 2 : 1);
      const i = rest.findIndex((a) => a.v !== undefined && !a.v.startsWith('-'));
      if (i < 0) return { args: [], ctx: c };
      args = rest.slice(i);
    } else return { args, ctx: c };
  }
}

function command(all: Arg[], outer: Ctx, depth: number): void {
  const { args, ctx } = unwrap(all, outer);
  if (!args.length) return;
  if (args[0]!.v === undefined) {
    // `$CMD file`: a command chosen at run time.
    if (args.length > 1) ctx.out.unknown.push({ shown: args[0]!.shown, why: 'a command chosen at run time' });
    return;
  }
  const cmd = args[0]!.v.replace(/^.*\//, '');
  const rest = args.slice(1);
  const files = (why: string, list: Arg[], dir = false) => list.forEach((a) => addPath(ctx, a, why, dir));
  const rule = WRITERS[cmd];
  if (rule) return fromTable(cmd, rule, rest, ctx);
  switch (cmd) {
    case 'cd':
    case 'pushd': {
      const d = cmd === 'cd' ? operands(rest)[0] : rest.find((a) => a.v !== '-n');
      if (cmd === 'pushd') outer.dirs.push(outer.cwd);
      if (!d) {
        if (cmd === 'cd' && ctx.home) outer.cwd = ctx.home;
      } else if (d.v !== undefined && !d.glob && d.v !== '-' && !/^[+-]\d+$/.test(d.v)) outer.cwd = absOf(ctx, d.v);
      return;
    }
    case 'popd': {
      const d = outer.dirs.pop();
      if (d) outer.cwd = d;
      return;
    }
    case 'sh':
    case 'bash':
    case 'zsh':
    case 'dash':
    case 'ksh': {
      const i = rest.findIndex((a) => a.v !== undefined && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a.v));
      if (i < 0) return;
      const script = rest[i + 1];
      if (script?.v !== undefined) scan(script.v, { ...ctx }, depth + 1);
      else ctx.out.unknown.push({ shown: script?.shown ?? '?', why: `${cmd} -c` });
      return;
    }
    case 'eval': {
      if (rest.some((a) => a.v === undefined))
        return void ctx.out.unknown.push({
          shown: rest.map((a) => a.shown).join(' '),
          why: 'eval of a run-time value',
        });
      return scan(rest.map((a) => a.v).join(' '), ctx, depth + 1);
    }
    case 'mv':
    case 'cp':
    case 'ln':
    case 'install':
    case 'rsync':
      return copyLike(cmd, rest, ctx);
    case 'sed': {
      if (!hasFlag(rest, '-i --in-place')) return;
      const scripted = optionValue(rest, ['-e', '-f', '--expression', '--file']) !== undefined;
      const pos = operands(rest, flagSet('-e -f --expression --file -l --line-length'));
      return files('sed -i', scripted ? pos : pos.slice(1));
    }
    case 'perl':
    case 'ruby': {
      const inline = hasFlag(rest, '-e -E');
      if (!hasFlag(rest, '-i')) return inline ? opaque(ctx, cmd, rest) : undefined;
      const pos = operands(rest, flagSet('-e -E -M -I'));
      return files(`${cmd} -i`, inline ? pos : pos.slice(1));
    }
    case 'awk':
    case 'gawk':
    case 'mawk':
    case 'nawk':
      return awk(cmd, rest, ctx, depth);
    case 'dd':
      for (const a of rest)
        if (a.v?.startsWith('of=')) addPath(ctx, { ...a, v: a.v.slice(3) }, 'dd of=');
        else if (a.v === undefined && /^of=/.test(a.shown)) addPath(ctx, a, 'dd of=');
      return;
    case 'split':
    case 'csplit': {
      // The pieces are named by a prefix plus generated suffixes (`xaa`, `xx00`): not knowable files.
      const pos = operands(rest, flagSet('-a -b -C -l -n -t -f -k --additional-suffix --filter --prefix'));
      const prefix = cmd === 'split' ? (pos[1]?.shown ?? 'x') : (optionValue(rest, ['-f', '--prefix'])?.shown ?? 'xx');
      if (!hasFlag(rest, '--help --version')) ctx.out.unknown.push({ shown: `${prefix}…`, why: cmd });
      return;
    }
    case 'sort':
    case 'uniq':
    case 'iconv': {
      const o = optionValue(rest, ['-o', '--output']);
      if (o) addPath(ctx, o, `${cmd} -o`);
      if (cmd === 'uniq') {
        const pos = operands(rest, flagSet('-f -s -w'));
        if (pos.length >= 2) files('uniq', pos.slice(1, 2));
      }
      return;
    }
    case 'curl':
    case 'wget': {
      const flags = cmd === 'curl' ? ['-o', '--output'] : ['-O', '--output-document'];
      const o = optionValue(rest, flags);
      if (o) addPath(ctx, o, `${cmd} ${flags[0]}`);
      if (cmd === 'curl' && rest.some((a) => a.v === '-O' || a.v === '--remote-name')) addWhole(ctx, 'curl -O');
      return;
    }
    case 'patch': {
      const o = optionValue(rest, ['-o', '--output']);
      if (o) return addPath(ctx, o, 'patch -o');
      if (hasFlag(rest, '--dry-run')) return;
      const d = optionValue(rest, ['-d', '--directory']);
      return d ? addPath(ctx, d, 'patch -d', true) : addWhole(ctx, 'patch');
    }
    case 'tar':
      return tar(rest, ctx);
    case 'unzip': {
      if (hasFlag(rest, '-l -t -v -Z -p')) return;
      const d = optionValue(rest, ['-d']);
      return d ? addPath(ctx, d, 'unzip -d', true) : addWhole(ctx, 'unzip');
    }
    case 'find':
      return find(rest, ctx, depth);
    case 'xargs':
      return xargs(rest, ctx, depth);
    case 'git':
      return git(rest, ctx);
    case 'eslint': {
      const o = optionValue(rest, ['-o', '--output-file']);
      if (o) addPath(ctx, o, 'eslint -o');
      if (!hasFlag(rest, '--fix --fix-type')) return;
      const vf = '-c --config --ext --rule --format -f -o --output-file --fix-type --ignore-path --parser';
      return fromTable(
        'eslint --fix',
        { writes: 'all', noneMeansWhole: true, ownGlobs: true, valueFlags: vf },
        rest,
        ctx,
      );
    }
    case 'ruff': {
      const sub = rest[0]?.v;
      if (sub === 'format' && !hasFlag(rest, '--check --diff'))
        return fromTable(
          'ruff format',
          { writes: 'all', noneMeansWhole: true, valueFlags: '--config' },
          rest.slice(1),
          ctx,
        );
      if (sub === 'check' && hasFlag(rest, '--fix'))
        return fromTable(
          'ruff check --fix',
          { writes: 'all', noneMeansWhole: true, valueFlags: '--config --select --ignore' },
          rest.slice(1),
          ctx,
        );
      return;
    }
    case 'terraform':
      if (rest[0]?.v === 'fmt' && !hasFlag(rest, '-check --check')) addWhole(ctx, 'terraform fmt');
      return;
    case 'go': {
      const sub = rest[0]?.v;
      if (sub === 'fmt') return addWhole(ctx, 'go fmt');
      if (sub === 'get' || (sub === 'mod' && ['tidy', 'edit', 'vendor'].includes(rest[1]?.v ?? '')))
        return files(`go ${sub}`, [lit('go.mod'), lit('go.sum')]);
      return;
    }
    case 'cargo': {
      const sub = rest[0]?.v;
      if (sub === 'fmt') return hasFlag(rest, '--check') ? undefined : addWhole(ctx, 'cargo fmt');
      if (sub === 'clippy' && hasFlag(rest, '--fix')) return addWhole(ctx, 'cargo clippy --fix');
      if (sub === 'fix') return addWhole(ctx, 'cargo fix');
      if (['add', 'remove', 'rm', 'update', 'generate-lockfile'].includes(sub ?? ''))
        return files(`cargo ${sub}`, [lit('Cargo.toml'), lit('Cargo.lock')]);
      return;
    }
    case 'npm':
    case 'pnpm':
    case 'yarn':
    case 'bun': {
      if (cmd === 'bun' && hasFlag(rest, '-e --eval')) return opaque(ctx, cmd, rest);
      const sub = rest.find((a) => a.v !== undefined && !a.v.startsWith('-'))?.v;
      // Bare `yarn` installs; `npm audit fix` rewrites the lock file.
      const installs =
        (sub === undefined && cmd === 'yarn') ||
        INSTALL_VERBS.has(sub ?? '') ||
        (sub === 'audit' && rest.some((a) => a.v === 'fix')) ||
        sub === 'version' ||
        sub === 'init' ||
        sub === 'pkg';
      if (installs) files(`${cmd} ${sub ?? 'install'}`, LOCKS.map(lit));
      return;
    }
    case 'poetry':
    case 'uv':
    case 'pipenv':
    case 'bundle':
    case 'composer': {
      const sub = rest[0]?.v ?? '';
      if (['install', 'add', 'remove', 'update', 'lock', 'sync', 'require', 'upgrade'].includes(sub))
        files(`${cmd} ${sub}`, LOCK_FOR[cmd]!.map(lit));
      return;
    }
  }
  if (cmd in INLINE_CODE && hasFlag(rest, INLINE_CODE[cmd]!)) return opaque(ctx, cmd, rest);
}

const INSTALL_VERBS = new Set(
  'install i ci add remove rm uninstall un update up upgrade dedupe prune link unlink'.split(' '),
);
const LOCKS = [
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'node_modules',
];
const LOCK_FOR: Record<string, string[]> = {
  poetry: ['pyproject.toml', 'poetry.lock'],
  uv: ['pyproject.toml', 'uv.lock'],
  pipenv: ['Pipfile', 'Pipfile.lock'],
  bundle: ['Gemfile', 'Gemfile.lock'],
  composer: ['composer.json', 'composer.lock'],
};

const WRITE_API = new RegExp(
  [
    'writeFile|appendFile|createWriteStream|unlink|rmSync|rmdir|rename|copyFile|truncate',
    String.raw`\bopen\s*\([^)]*['"][wax+]|write_text|write_bytes|os\.remove|shutil\.|File\.write|fopen`,
    String.raw`file_put_contents|system\s*\(|\bexec|spawn|child_process|subprocess|os\.popen|\x60`,
  ].join('|'),
);
const PATHLIKE = /(?:~|\.{1,2})?\/?[\w@.+-]+(?:\/[\w@.+-]+)*\.[A-Za-z0-9]+|[\w@.+-]+(?:\/[\w@.+-]+)+/g;

/** Inline code we cannot follow: the paths it names, and whether it looks like it writes. */
function opaque(ctx: Ctx, cmd: string, rest: Arg[]): void {
  const code = rest.map((a) => a.v ?? a.shown).join(' ');
  const mentions = [...new Set(code.match(PATHLIKE) ?? [])]
    .filter((p) => !/^\d+(\.\d+)*$/.test(p))
    .slice(0, 64)
    .map((p) => absOf(ctx, p.startsWith('~/') && ctx.home ? ctx.home + p.slice(1) : p));
  ctx.out.opaque.push({
    why: `${cmd} ${INLINE_CODE[cmd]?.split(' ')[0] ?? '-e'}`,
    mentions,
    writes: WRITE_API.test(code),
  });
}

/** `cp/mv/ln/install/rsync`: the destination (a file, or a file in a folder), and mv's sources. */
function copyLike(cmd: string, rest: Arg[], ctx: Ctx): void {
  const vf = flagSet(
    '-S --suffix -m --mode -o --owner -g --group -e --rsh -t --target-directory --exclude --include --filter',
  );
  if (cmd === 'install' && hasFlag(rest, '-d --directory')) return;
  const recursive = cmd === 'rsync' || hasFlag(rest, '-r -R -a --recursive --archive');
  const t = optionValue(rest, ['-t', '--target-directory']);
  let pos = operands(rest, vf);
  let dest: Arg | undefined;
  if (t) dest = t;
  else if (cmd === 'ln' && pos.length === 1) dest = lit('.');
  else if (pos.length >= 2) {
    dest = pos[pos.length - 1];
    pos = pos.slice(0, -1);
  } else return;
  if (cmd === 'mv') for (const s of pos) addPath(ctx, s, 'mv', false);
  const d = dest!;
  const intoDir = t !== undefined || (d.v !== undefined && !d.glob && (ctx.isDir(absOf(ctx, d.v)) || pos.length > 1));
  if (!intoDir || d.v === undefined || d.glob) return addPath(ctx, d, cmd, recursive && cmd !== 'ln');
  // Into a folder: each source lands under its own name.
  for (const s of pos) {
    if (s.v === undefined || s.glob) addPath(ctx, d, cmd, true);
    else addPath(ctx, lit(`${d.v.replace(/\/+$/, '')}/${basename(s.v)}`), cmd, recursive && cmd !== 'ln');
  }
}

function tar(rest: Arg[], ctx: Ctx): void {
  const first = rest[0]?.v ?? '';
  const bundled = !first.startsWith('-') ? first : '';
  const extract = hasFlag(rest, '-x --extract --get') || bundled.includes('x');
  if (!extract) {
    const create = hasFlag(rest, '-c --create -r --append -u --update') || /[cru]/.test(bundled);
    if (!create) return;
    const f = optionValue(rest, ['-f', '--file']);
    const fb = /^-?[a-zA-Z]*f$/.test(first) ? rest[1] : undefined;
    const archive = f ?? fb ?? clusterValue(rest, 'f');
    if (archive) addPath(ctx, archive, 'tar -c');
    return;
  }
  const c = optionValue(rest, ['-C', '--directory']);
  return c ? addPath(ctx, c, 'tar -x', true) : addWhole(ctx, 'tar -x');
}

/** The value after a short cluster ending in `letter` (`-czf out.tgz`). */
function clusterValue(args: Arg[], letter: string): Arg | undefined {
  const i = args.findIndex((a) => a.v !== undefined && /^-[a-zA-Z]+$/.test(a.v) && a.v.endsWith(letter));
  return i >= 0 ? args[i + 1] : undefined;
}

function find(rest: Arg[], ctx: Ctx, depth: number): void {
  const roots: Arg[] = [];
  for (const a of rest) {
    if (a.v === undefined || a.v.startsWith('-') || a.v === '(' || a.v === '!') break;
    roots.push(a);
  }
  let writes = hasFlag(rest, '-delete');
  for (const f of ['-fprint', '-fprintf', '-fprint0', '-fls']) {
    const o = optionValue(rest, [f]);
    if (o) addPath(ctx, o, `find ${f}`);
  }
  for (let i = 0; i < rest.length && !writes; i++) {
    if (!['-exec', '-execdir', '-ok', '-okdir'].includes(rest[i]!.v ?? '')) continue;
    let end = rest.findIndex((a, j) => j > i && (a.v === ';' || a.v === '+'));
    if (end < 0) end = rest.length;
    writes = writesAnything(rest.slice(i + 1, end), ctx, depth);
    i = end;
  }
  if (!writes) return;
  if (!roots.length) return addWhole(ctx, 'find (writes every match)');
  for (const r of roots) addPath(ctx, r, 'find (writes every match)', true);
}

/** Would this inner command (of `find -exec`, `xargs`) write anything? */
function writesAnything(inner: Arg[], ctx: Ctx, depth: number): boolean {
  const probe: Ctx = { ...ctx, dirs: [...ctx.dirs], out: { targets: [], unknown: [], opaque: [] } };
  command([...inner, { v: undefined, glob: false, shown: '<file>' }], probe, depth);
  return probe.out.targets.length > 0 || probe.out.unknown.length > 0;
}

function xargs(rest: Arg[], ctx: Ctx, depth: number): void {
  const vf = flagSet('-n -L -P -s -d -E -I -a --max-args --max-lines --max-procs --delimiter --arg-file');
  let i = 0;
  while (i < rest.length && rest[i]!.v?.startsWith('-')) i += vf.has(rest[i]!.v!) ? 2 : 1;
  const inner = rest.slice(i);
  if (!inner.length) return;
  // The inner command's file arguments arrive on stdin: a writer here has unknown targets.
  if (writesAnything(inner, ctx, depth))
    ctx.out.unknown.push({ shown: '(files from stdin)', why: `xargs ${inner[0]!.shown}` });
}

const AWK_REDIRECT = /(?:print|printf)\b[^;}\n]*?(>>|>|\|)\s*("(?:[^"\\]|\\.)*"|[^\s;}]+)/g;

/** awk: `-i inplace` rewrites its files; `print > "f"` and `system("…")` in the program write. */
function awk(cmd: string, rest: Arg[], ctx: Ctx, depth: number): void {
  const vf = flagSet('-F -v -f -i -E -l --file --include --assign --field-separator');
  const pos = operands(rest, vf);
  const fromFile = optionValue(rest, ['-f', '--file']) !== undefined;
  const inplace = optionValue(rest, ['-i', '--include'])?.v?.startsWith('inplace') ?? false;
  const program = fromFile ? undefined : pos[0];
  const files = fromFile ? pos : pos.slice(1);
  if (inplace) files.forEach((a) => addPath(ctx, a, `${cmd} -i inplace`));
  if (!program) return;
  if (program.v === undefined) return void ctx.out.unknown.push({ shown: program.shown, why: `${cmd} program` });
  const text = program.v;
  for (const m of text.matchAll(AWK_REDIRECT)) {
    const [, op, target] = m;
    const lit1 = target!.startsWith('"') ? target!.slice(1, -1).replace(/\\(.)/g, '$1') : undefined;
    if (op === '|') {
      if (lit1 !== undefined) scan(lit1, ctx, depth + 1);
      else ctx.out.unknown.push({ shown: target!, why: `${cmd} print |` });
    } else if (lit1 !== undefined && !lit1.includes('"')) addPath(ctx, lit(lit1), `${cmd} print ${op}`);
    else ctx.out.unknown.push({ shown: target!, why: `${cmd} print ${op}` });
  }
  for (const m of text.matchAll(/system\s*\(\s*("(?:[^"\\]|\\.)*")?/g)) {
    if (m[1] && !/"\s*[^)\s]/.test(text.slice(m.index! + m[0].length, m.index! + m[0].length + 2)))
      scan(m[1].slice(1, -1).replace(/\\(.)/g, '$1'), ctx, depth + 1);
    else ctx.out.unknown.push({ shown: 'system(…)', why: `${cmd} system()` });
  }
}

const GIT_VALUE_OPTS = new Set(['-c', '--git-dir', '--work-tree', '--namespace', '--exec-path']);

function git(args: Arg[], ctx: Ctx): void {
  let i = 0;
  let gctx = ctx;
  while (i < args.length && args[i]!.v?.startsWith('-')) {
    const o = args[i]!.v!;
    if (o === '-C' && args[i + 1]?.v !== undefined) {
      gctx = { ...ctx, cwd: absOf(ctx, args[i + 1]!.v!) };
      i += 2;
    } else i += GIT_VALUE_OPTS.has(o) ? 2 : 1;
  }
  const sub = args[i]?.v;
  const rest = args.slice(i + 1);
  const dd = rest.findIndex((a) => a.v === '--');
  const afterDd = dd >= 0 ? rest.slice(dd + 1) : [];
  const has = (...f: string[]) => rest.some((a) => a.v !== undefined && f.includes(a.v));
  // Restoring a path restores everything under it when it is a folder.
  const files = (why: string, list: Arg[]) => list.forEach((a) => addPath(gctx, a, why, a.v === '.'));
  const whole = (why: string) => addWhole(gctx, why);
  switch (sub) {
    case 'checkout': {
      if (dd >= 0) return files('git checkout --', afterDd);
      const pos = operands(rest, new Set(['-b', '-B', '--orphan', '--conflict']));
      // `git checkout -b new` keeps the working tree; switching or checking out paths does not.
      if (has('-b', '-B') && pos.length === 0) return;
      if (pos.length >= 2 || (pos.length === 1 && pos[0]!.v === '.'))
        return files('git checkout', pos.slice(pos[0]?.v === '.' ? 0 : 1));
      return whole('git checkout <branch>');
    }
    case 'switch':
      if (has('-c', '-C', '--create', '--force-create') && operands(rest, new Set(['-c', '-C'])).length === 0) return;
      return whole('git switch');
    case 'restore': {
      if (has('--staged', '-S') && !has('--worktree', '-W')) return;
      const pos = dd >= 0 ? afterDd : operands(rest, new Set(['-s', '--source']));
      return pos.length ? files('git restore', pos) : whole('git restore');
    }
    case 'reset':
      if (has('--hard', '--merge', '--keep'))
        return whole(`git reset ${rest.find((a) => a.v !== undefined && /^--(hard|merge|keep)$/.test(a.v))!.v}`);
      return;
    case 'stash': {
      const verb = rest[0]?.v;
      if (['list', 'show', 'drop', 'clear', 'create', 'store', 'branch'].includes(verb ?? '')) return;
      if (dd >= 0) return files('git stash --', afterDd);
      return whole(`git stash${verb && !verb.startsWith('-') ? ` ${verb}` : ''}`);
    }
    case 'clean':
      if (hasFlag(rest, '-n --dry-run')) return;
      return dd >= 0 ? files('git clean', afterDd) : whole('git clean');
    case 'merge':
    case 'rebase':
    case 'pull':
    case 'cherry-pick':
    case 'revert':
    case 'am':
    case 'bisect':
    case 'sparse-checkout':
      if (sub === 'bisect' && ['log', 'visualize', 'view', 'help'].includes(rest[0]?.v ?? '')) return;
      return whole(`git ${sub}`);
    case 'submodule':
      if (['update', 'deinit', 'add', 'absorbgitdirs'].includes(rest[0]?.v ?? ''))
        return whole(`git submodule ${rest[0]!.v}`);
      return;
    case 'apply':
      if (has('--check', '--stat', '--numstat', '--summary', '--cached')) return;
      return whole('git apply');
    case 'mv':
      return files('git mv', operands(rest));
    case 'rm':
      if (has('--cached')) return;
      return files('git rm', operands(rest));
  }
}
