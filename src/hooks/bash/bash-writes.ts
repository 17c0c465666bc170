// Which files a Bash command would write, from a real shell parse (mvdan/sh, the GopherJS
// build `mvdan-sh`: synchronous and with a typed AST; see docs/hooks.md for why not
// sh-syntax or shell-quote). Anything we cannot see through (scripts, `make`, `python x.py`)
// counts as not writing: read-only commands must never be denied, and a held file written by a
// script is still caught at commit time by the pre-commit backstop.
import { isAbsolute, resolve } from 'node:path';
// Statically imported so the bundle carries it (this module itself is loaded lazily).
import mvdanSh from 'mvdan-sh';

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

export interface BashWrites {
  targets: WriteTarget[];
  /** Writes whose targets cannot be known statically (`> $OUT`, `rm *.ts`). */
  unknown: { shown: string; why: string }[];
  /** Set when the command does not parse; callers apply the failure policy. */
  parseError?: string;
}

// The parser loads only for Bash calls while leases are live (about 70 ms; see docs/hooks.md).
const sh = mvdanSh;
let OPS: Record<string, number> | undefined;
function parser(): { syntax: any; parse(src: string): any } {
  const p = sh.syntax.NewParser();
  const parse = (src: string) => p.Parse(src, 'cmd');
  if (!OPS) {
    // Token numbers differ between mvdan/sh builds: learn them from the parser itself.
    OPS = {};
    for (const op of ['>', '>>', '&>', '&>>', '>|', '<>', '>&', '<', '<&', '<<<']) {
      sh.syntax.Walk(parse(`x ${op} 1`), (n: any) => {
        if (n && sh.syntax.NodeType(n) === 'Redirect') OPS![op] = n.Op;
        return true;
      });
    }
  }
  return { syntax: sh.syntax, parse };
}

const NOT_FILES = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+|zero)$/;

/** A word's value when it is static; undefined when it depends on the shell at run time. */
function wordValue(syntax: any, w: any, home: string | undefined): { value: string; glob: boolean } | undefined {
  let out = '';
  let glob = false;
  const parts: any[] = w?.Parts ?? [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    const t = syntax.NodeType(p);
    if (t === 'Lit') {
      let v: string = p.Value;
      if (i === 0 && v.startsWith('~')) {
        if (!home || !(v === '~' || v.startsWith('~/'))) return undefined;
        v = home + v.slice(1);
      }
      if (/(^|[^\\])[*?[{]/.test(v)) glob = true;
      out += v.replace(/\\(.)/g, '$1');
    } else if (t === 'SglQuoted') out += p.Value;
    else if (t === 'DblQuoted') {
      for (const q of p.Parts ?? []) {
        if (syntax.NodeType(q) !== 'Lit') return undefined;
        out += String(q.Value).replace(/\\([$`"\\])/g, '$1');
      }
    } else return undefined;
  }
  return { value: out, glob };
}

const WRAPPERS = new Set(['sudo', 'nohup', 'time', 'command', 'exec', 'nice', 'stdbuf', 'ionice', 'doas', 'builtin']);
const INSTALL_VERBS = new Set([
  'install',
  'i',
  'ci',
  'add',
  'remove',
  'rm',
  'uninstall',
  'un',
  'update',
  'up',
  'upgrade',
  'dedupe',
  'prune',
  'link',
  'unlink',
]);
const LOCKS = [
  'package.json',
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'node_modules',
];

interface Ctx {
  cwd: string;
  home: string | undefined;
  out: BashWrites;
  depth: number;
}

export function bashWrites(command: string, cwd: string, home?: string): BashWrites {
  const out: BashWrites = { targets: [], unknown: [] };
  const ctx: Ctx = { cwd, home, out, depth: 0 };
  scan(command, ctx);
  return out;
}

function scan(src: string, ctx: Ctx): void {
  const { syntax, parse } = parser();
  let file;
  try {
    file = parse(src);
  } catch (e) {
    const msg = (e as { Error?: () => string })?.Error?.() ?? String((e as Error)?.message ?? e);
    ctx.out.parseError ??= msg;
    return;
  }
  const ops = OPS!;
  const writeOps = new Set([ops['>'], ops['>>'], ops['&>'], ops['&>>'], ops['>|'], ops['<>']]);
  syntax.Walk(file, (n: any) => {
    if (!n) return true;
    const t = syntax.NodeType(n);
    if (t === 'Redirect') {
      const isDup = n.Op === ops['>&'];
      if (!writeOps.has(n.Op) && !isDup) return true;
      const v = wordValue(syntax, n.Word, ctx.home);
      if (isDup && (!v || /^(\d+|-)$/.test(v.value))) return true;
      addPath(ctx, v, n.Word ? printWord(src, n.Word) : '?', '> (redirection)');
    } else if (t === 'CallExpr') {
      const args = (n.Args ?? []).map((w: any) => ({ v: wordValue(syntax, w, ctx.home), shown: printWord(src, w) }));
      callExpr(args, ctx);
    }
    return true;
  });
}

function printWord(src: string, w: any): string {
  try {
    return src.slice(w.Pos().Offset(), w.End().Offset());
  } catch {
    return '?';
  }
}

type Arg = { v: { value: string; glob: boolean } | undefined; shown: string };

function addPath(
  ctx: Ctx,
  v: { value: string; glob: boolean } | undefined,
  shown: string,
  why: string,
  dir = false,
): void {
  if (!v) {
    ctx.out.unknown.push({ shown, why });
    return;
  }
  if (NOT_FILES.test(v.value)) return;
  if (v.glob) {
    ctx.out.unknown.push({ shown, why });
    return;
  }
  const abs = isAbsolute(v.value) ? resolve(v.value) : resolve(ctx.cwd, v.value);
  ctx.out.targets.push({ abs, shown: v.value, dir: dir || v.value === '.' || v.value.endsWith('/'), why });
}

const addWhole = (ctx: Ctx, why: string): void => {
  ctx.out.targets.push({ abs: ctx.cwd, shown: '.', dir: true, why });
};

function nonOptions(args: Arg[], valueOpts: ReadonlySet<string> = new Set()): Arg[] {
  const out: Arg[] = [];
  let endOpts = false;
  for (let i = 0; i < args.length; i++) {
    const s = args[i]!.v?.value;
    if (!endOpts && s === '--') {
      endOpts = true;
      continue;
    }
    if (!endOpts && s !== undefined && s.startsWith('-') && s !== '-') {
      if (valueOpts.has(s)) i++;
      continue;
    }
    out.push(args[i]!);
  }
  return out;
}

const has = (args: Arg[], ...flags: string[]) =>
  args.some(
    (a) => a.v && (flags.includes(a.v.value) || flags.some((f) => f.endsWith('=') && a.v!.value.startsWith(f))),
  );
/** Short-option cluster contains letter, e.g. `-pi` has `i`. */
const hasShort = (args: Arg[], letter: string) =>
  args.some(
    (a) =>
      a.v &&
      /^-[a-zA-Z]+/.test(a.v.value) &&
      !a.v.value.startsWith('--') &&
      a.v.value
        .slice(1)
        .split(/[^a-zA-Z]/)[0]!
        .includes(letter),
  );

function callExpr(all: Arg[], ctx: Ctx): void {
  let args = all;
  // Unwrap `sudo`, `env X=1`, `timeout 5`, `xargs …` to the real command.
  for (;;) {
    const c = args[0]?.v?.value;
    if (c === undefined) return;
    if (WRAPPERS.has(c)) args = args.slice(1);
    else if (c === 'env') {
      let i = 1;
      while (i < args.length && (args[i]!.v?.value.includes('=') || args[i]!.v?.value.startsWith('-'))) i++;
      args = args.slice(i);
    } else if (c === 'timeout') {
      let i = 1;
      while (i < args.length && args[i]!.v?.value.startsWith('-')) i++;
      args = args.slice(i + 1); // skip the duration
    } else if (c === 'xargs') {
      const rest = args.slice(1);
      const i = rest.findIndex((a) => a.v && !a.v.value.startsWith('-'));
      if (i < 0) return;
      const inner = rest.slice(i);
      // The inner command's file arguments arrive on stdin: a writer here has unknown targets.
      const probe: Ctx = { ...ctx, out: { targets: [], unknown: [] } };
      callExpr([...inner, { v: { value: '__XARGS__', glob: false }, shown: '<stdin>' }], probe);
      if (probe.out.targets.length || probe.out.unknown.length)
        ctx.out.unknown.push({ shown: '(files from stdin)', why: `xargs ${inner[0]!.shown}` });
      return;
    } else if (
      c === 'npx' ||
      c === 'pnpx' ||
      c === 'bunx' ||
      (c === 'pnpm' && args[1]?.v?.value === 'exec') ||
      (c === 'yarn' && args[1]?.v?.value === 'dlx')
    ) {
      const rest = args.slice(c === 'pnpm' || c === 'yarn' ? 2 : 1);
      const i = rest.findIndex((a) => a.v && !a.v.value.startsWith('-'));
      if (i < 0) return;
      args = rest.slice(i);
    } else break;
  }
  const cmd = args[0]!.v!.value.replace(/^.*\//, '');
  const rest = args.slice(1);
  const files = (why: string, list: Arg[]) => list.forEach((a) => addPath(ctx, a.v, a.shown, why));
  switch (cmd) {
    case 'cd': {
      const d = rest[0]?.v;
      if (d && !d.glob) ctx.cwd = isAbsolute(d.value) ? d.value : resolve(ctx.cwd, d.value);
      return;
    }
    case 'sh':
    case 'bash':
    case 'zsh':
    case 'dash': {
      const i = rest.findIndex((a) => a.v?.value === '-c' || (a.v && /^-[a-z]*c$/.test(a.v.value)));
      if (i >= 0 && ctx.depth < 3) {
        const script = rest[i + 1]?.v;
        if (script) scan(script.value, { ...ctx, depth: ctx.depth + 1 });
        else ctx.out.unknown.push({ shown: rest[i + 1]?.shown ?? '?', why: `${cmd} -c` });
      }
      return;
    }
    case 'rm':
    case 'rmdir':
    case 'unlink':
    case 'shred':
    case 'touch':
      return files(cmd, nonOptions(rest));
    case 'truncate':
      return files(cmd, nonOptions(rest, new Set(['-s', '--size', '-r', '--reference'])));
    case 'chmod':
    case 'chown':
    case 'chgrp':
      return files(cmd, nonOptions(rest).slice(1));
    case 'mv':
      return files('mv', nonOptions(rest, new Set(['-t', '-S', '--suffix'])));
    case 'cp':
    case 'ln':
    case 'install':
    case 'rsync': {
      const t = rest.findIndex((a) => a.v?.value === '-t' || a.v?.value === '--target-directory');
      if (t >= 0) return files(cmd, [rest[t + 1]!].filter(Boolean));
      const pos = nonOptions(rest, new Set(['-S', '--suffix', '-m', '--mode', '-o', '--owner', '-g', '--group', '-e']));
      if (cmd === 'install' && has(rest, '-d', '--directory')) return files(cmd, pos);
      if (pos.length >= 2 || cmd === 'ln') return files(cmd, pos.slice(-1));
      return;
    }
    case 'tee':
      return files('tee', nonOptions(rest));
    case 'sed': {
      if (!(hasShort(rest, 'i') || has(rest, '--in-place', '--in-place='))) return;
      const scripted =
        has(rest, '-e', '-f', '--expression', '--file') ||
        rest.some((a) => a.v && /^--(expression|file)=/.test(a.v.value));
      const pos = nonOptions(rest, new Set(['-e', '-f', '--expression', '--file', '-l']));
      return files('sed -i', scripted ? pos : pos.slice(1));
    }
    case 'perl':
    case 'ruby': {
      if (!hasShort(rest, 'i')) return;
      const pos = nonOptions(rest, new Set(['-e', '-E', '-M', '-I']));
      const inline = has(rest, '-e', '-E') || rest.some((a) => a.v && /^-[a-zA-Z]*e$/.test(a.v.value));
      return files(`${cmd} -i`, inline ? pos : pos.slice(1));
    }
    case 'dd':
      for (const a of rest)
        if (a.v?.value.startsWith('of='))
          addPath(ctx, { value: a.v.value.slice(3), glob: a.v.glob }, a.shown, 'dd of=');
      return;
    case 'sort':
    case 'uniq': {
      const i = rest.findIndex((a) => a.v?.value === '-o' || a.v?.value === '--output');
      if (i >= 0 && rest[i + 1]) addPath(ctx, rest[i + 1]!.v, rest[i + 1]!.shown, `${cmd} -o`);
      for (const a of rest)
        if (a.v?.value.startsWith('--output='))
          addPath(ctx, { value: a.v.value.slice(9), glob: a.v.glob }, a.shown, `${cmd} -o`);
      if (cmd === 'uniq') {
        const pos = nonOptions(rest, new Set(['-f', '-s', '-w']));
        if (pos.length >= 2) files('uniq', pos.slice(1, 2));
      }
      return;
    }
    case 'curl':
    case 'wget': {
      const flag = cmd === 'curl' ? ['-o', '--output'] : ['-O', '--output-document'];
      const i = rest.findIndex((a) => a.v && flag.includes(a.v.value));
      if (i >= 0 && rest[i + 1]) addPath(ctx, rest[i + 1]!.v, rest[i + 1]!.shown, `${cmd} ${flag[0]}`);
      if (cmd === 'curl' && has(rest, '-O', '--remote-name')) addWhole(ctx, 'curl -O');
      return;
    }
    case 'patch': {
      const i = rest.findIndex((a) => a.v?.value === '-o');
      if (i >= 0) return addPath(ctx, rest[i + 1]?.v, rest[i + 1]?.shown ?? '?', 'patch -o');
      if (has(rest, '--dry-run')) return;
      return addWhole(ctx, 'patch');
    }
    case 'tar': {
      const first = rest[0]?.v?.value ?? '';
      const extract = has(rest, '-x', '--extract', '--get') || /^-?[a-zA-Z]*x/.test(first);
      if (!extract) {
        const f = rest.findIndex((a) => a.v && (/^-?[a-zA-Z]*c[a-zA-Z]*f$/.test(a.v.value) || a.v.value === '--file'));
        if ((has(rest, '-c', '--create') || /^-?[a-zA-Z]*c/.test(first)) && f >= 0)
          addPath(ctx, rest[f + 1]?.v, rest[f + 1]?.shown ?? '?', 'tar -c');
        return;
      }
      const c = rest.findIndex((a) => a.v?.value === '-C' || a.v?.value === '--directory');
      if (c >= 0) return addPath(ctx, rest[c + 1]?.v, rest[c + 1]?.shown ?? '?', 'tar -x', true);
      return addWhole(ctx, 'tar -x');
    }
    case 'unzip': {
      if (has(rest, '-l', '-t', '-v', '-Z', '-p')) return;
      const d = rest.findIndex((a) => a.v?.value === '-d');
      if (d >= 0) return addPath(ctx, rest[d + 1]?.v, rest[d + 1]?.shown ?? '?', 'unzip -d', true);
      return addWhole(ctx, 'unzip');
    }
    case 'find': {
      const roots = [];
      for (const a of rest) {
        if (!a.v || a.v.value.startsWith('-') || a.v.value === '(' || a.v.value === '!') break;
        roots.push(a);
      }
      const execAt = rest.findIndex((a) => a.v && ['-exec', '-execdir', '-ok', '-okdir'].includes(a.v.value));
      let writes = has(rest, '-delete') || has(rest, '-fprint', '-fprintf', '-fls');
      if (execAt >= 0 && !writes) {
        const end = rest.findIndex((a, i) => i > execAt && (a.v?.value === ';' || a.v?.value === '+'));
        const inner = rest.slice(execAt + 1, end < 0 ? undefined : end);
        const probe: Ctx = { ...ctx, out: { targets: [], unknown: [] } };
        callExpr(inner, probe);
        writes = probe.out.targets.length > 0 || probe.out.unknown.length > 0;
      }
      if (!writes) return;
      if (!roots.length) return addWhole(ctx, 'find (writes every match)');
      for (const r of roots) addPath(ctx, r.v, r.shown, 'find (writes every match)', true);
      return;
    }
    case 'git':
      return git(rest, ctx);
    case 'prettier':
      if (has(rest, '--write', '-w'))
        return formatterFiles(
          ctx,
          'prettier --write',
          nonOptions(
            rest,
            new Set(['--config', '--ignore-path', '--plugin', '--parser', '--log-level', '--cache-location']),
          ),
        );
      return;
    case 'eslint':
      if (has(rest, '--fix', '--fix-type'))
        return formatterFiles(
          ctx,
          'eslint --fix',
          nonOptions(
            rest,
            new Set([
              '-c',
              '--config',
              '--ext',
              '--rule',
              '--format',
              '-f',
              '-o',
              '--output-file',
              '--fix-type',
              '--ignore-path',
              '--parser',
            ]),
          ),
        );
      if (has(rest, '-o', '--output-file')) {
        const i = rest.findIndex((a) => a.v?.value === '-o' || a.v?.value === '--output-file');
        addPath(ctx, rest[i + 1]?.v, rest[i + 1]?.shown ?? '?', 'eslint -o');
      }
      return;
    case 'black':
    case 'isort':
    case 'autopep8':
    case 'yapf':
      if (
        has(rest, '--check', '--diff') ||
        (cmd !== 'black' && cmd !== 'isort' && !hasShort(rest, 'i') && !has(rest, '--in-place'))
      )
        return;
      return formatterFiles(
        ctx,
        cmd,
        nonOptions(rest, new Set(['-l', '--line-length', '--config', '-t', '--target-version'])),
      );
    case 'ruff': {
      const sub = rest[0]?.v?.value;
      if (sub === 'format' && !has(rest, '--check', '--diff'))
        return formatterFiles(ctx, 'ruff format', nonOptions(rest.slice(1), new Set(['--config'])));
      if (sub === 'check' && has(rest, '--fix'))
        return formatterFiles(
          ctx,
          'ruff check --fix',
          nonOptions(rest.slice(1), new Set(['--config', '--select', '--ignore'])),
        );
      return;
    }
    case 'rustfmt':
      if (has(rest, '--check')) return;
      return formatterFiles(ctx, 'rustfmt', nonOptions(rest, new Set(['--edition', '--config-path', '--config'])));
    case 'gofmt':
    case 'goimports':
      if (!hasShort(rest, 'w')) return;
      return formatterFiles(ctx, `${cmd} -w`, nonOptions(rest));
    case 'clang-format':
      if (!hasShort(rest, 'i')) return;
      return formatterFiles(ctx, 'clang-format -i', nonOptions(rest, new Set(['--style', '-style'])));
    case 'terraform':
      if (rest[0]?.v?.value === 'fmt' && !has(rest, '-check', '--check')) return addWhole(ctx, 'terraform fmt');
      return;
    case 'go': {
      const sub = rest[0]?.v?.value;
      if (sub === 'fmt') return addWhole(ctx, 'go fmt');
      if (
        sub === 'get' ||
        (sub === 'mod' && ['tidy', 'download', 'edit', 'vendor'].includes(rest[1]?.v?.value ?? ''))
      ) {
        if (sub === 'mod' && rest[1]?.v?.value === 'download') return;
        return files(`go ${sub}`, [lit('go.mod'), lit('go.sum')]);
      }
      return;
    }
    case 'cargo': {
      const sub = rest[0]?.v?.value;
      if (sub === 'fmt') return has(rest, '--check') ? undefined : addWhole(ctx, 'cargo fmt');
      if (sub === 'clippy' && has(rest, '--fix')) return addWhole(ctx, 'cargo clippy --fix');
      if (sub === 'fix') return addWhole(ctx, 'cargo fix');
      if (['add', 'remove', 'rm', 'update', 'generate-lockfile'].includes(sub ?? ''))
        return files(`cargo ${sub}`, [lit('Cargo.toml'), lit('Cargo.lock')]);
      return;
    }
    case 'npm':
    case 'pnpm':
    case 'yarn':
    case 'bun': {
      const sub = rest.find((a) => a.v && !a.v.value.startsWith('-'))?.v?.value;
      // Bare `yarn` installs; `npm audit fix` rewrites the lock file.
      const installs =
        (sub === undefined && cmd === 'yarn') ||
        INSTALL_VERBS.has(sub ?? '') ||
        (sub === 'audit' && has(rest, 'fix')) ||
        sub === 'version' ||
        sub === 'pkg';
      if (installs) files(`${cmd} ${sub ?? 'install'}`, LOCKS.map(lit));
      return;
    }
    case 'poetry':
    case 'uv':
    case 'pipenv':
    case 'bundle':
    case 'composer': {
      const sub = rest[0]?.v?.value ?? '';
      const lockFor: Record<string, string[]> = {
        poetry: ['pyproject.toml', 'poetry.lock'],
        uv: ['pyproject.toml', 'uv.lock'],
        pipenv: ['Pipfile', 'Pipfile.lock'],
        bundle: ['Gemfile', 'Gemfile.lock'],
        composer: ['composer.json', 'composer.lock'],
      };
      if (['install', 'add', 'remove', 'update', 'lock', 'sync', 'require', 'upgrade'].includes(sub))
        files(`${cmd} ${sub}`, lockFor[cmd]!.map(lit));
      return;
    }
  }
}

const lit = (value: string): Arg => ({ v: { value, glob: false }, shown: value });

function formatterFiles(ctx: Ctx, why: string, pos: Arg[]): void {
  if (!pos.length) return addWhole(ctx, why);
  // Formatters expand quoted globs themselves.
  for (const a of pos)
    addPath(ctx, a.v && { value: a.v.value, glob: /[*?[{]/.test(a.v.value) }, a.shown, why, a.v?.value === '.');
}

const GIT_VALUE_OPTS = new Set(['-c', '--git-dir', '--work-tree', '--namespace', '--exec-path']);

function git(args: Arg[], ctx: Ctx): void {
  let i = 0;
  let gctx = ctx;
  while (i < args.length && args[i]!.v?.value.startsWith('-')) {
    const o = args[i]!.v!.value;
    if (o === '-C' && args[i + 1]?.v) {
      const d = args[i + 1]!.v!.value;
      gctx = { ...ctx, cwd: isAbsolute(d) ? d : resolve(ctx.cwd, d) };
      i += 2;
    } else i += GIT_VALUE_OPTS.has(o) ? 2 : 1;
  }
  const sub = args[i]?.v?.value;
  const rest = args.slice(i + 1);
  const dd = rest.findIndex((a) => a.v?.value === '--');
  const afterDd = dd >= 0 ? rest.slice(dd + 1) : [];
  const files = (why: string, list: Arg[]) => list.forEach((a) => addPath(gctx, a.v, a.shown, why, a.v?.value === '.'));
  const whole = (why: string) => addWhole(gctx, why);
  switch (sub) {
    case 'checkout': {
      if (dd >= 0) return files('git checkout --', afterDd);
      const pos = nonOptions(rest, new Set(['-b', '-B', '--orphan', '--conflict']));
      // `git checkout -b new` keeps the working tree; switching or checking out paths does not.
      if (has(rest, '-b', '-B') && pos.length === 0) return;
      if (pos.length >= 2 || (pos.length === 1 && rest.some((a) => a.v?.value === '.')))
        return files('git checkout', pos.slice(pos[0]?.v?.value === '.' ? 0 : 1));
      return whole('git checkout <branch>');
    }
    case 'switch':
      if (has(rest, '-c', '-C', '--create', '--force-create') && nonOptions(rest, new Set(['-c', '-C'])).length === 0)
        return;
      return whole('git switch');
    case 'restore': {
      if (has(rest, '--staged', '-S') && !has(rest, '--worktree', '-W')) return;
      const pos = dd >= 0 ? afterDd : nonOptions(rest, new Set(['-s', '--source']));
      return pos.length ? files('git restore', pos) : whole('git restore');
    }
    case 'reset':
      if (has(rest, '--hard', '--merge', '--keep'))
        return whole(`git reset ${rest.find((a) => a.v && /^--(hard|merge|keep)$/.test(a.v.value))!.v!.value}`);
      return;
    case 'stash': {
      const verb = rest[0]?.v?.value;
      if (
        verb === 'list' ||
        verb === 'show' ||
        verb === 'drop' ||
        verb === 'clear' ||
        verb === 'create' ||
        verb === 'store' ||
        verb === 'branch'
      )
        return;
      if (dd >= 0) return files('git stash --', afterDd);
      return whole(`git stash${verb && !verb.startsWith('-') ? ` ${verb}` : ''}`);
    }
    case 'clean':
      if (has(rest, '-n', '--dry-run') || hasShort(rest, 'n')) return;
      return dd >= 0 ? files('git clean', afterDd) : whole('git clean');
    case 'merge':
    case 'rebase':
    case 'pull':
    case 'cherry-pick':
    case 'revert':
    case 'am':
    case 'bisect':
    case 'sparse-checkout':
      if (sub === 'bisect' && ['log', 'visualize', 'view', 'help'].includes(rest[0]?.v?.value ?? '')) return;
      return whole(`git ${sub}`);
    case 'submodule':
      if (['update', 'deinit', 'add', 'absorbgitdirs'].includes(rest[0]?.v?.value ?? ''))
        return whole(`git submodule ${rest[0]!.v!.value}`);
      return;
    case 'apply':
      if (has(rest, '--check', '--stat', '--numstat', '--summary', '--cached')) return;
      return whole('git apply');
    case 'mv':
      return files('git mv', nonOptions(rest));
    case 'rm':
      if (has(rest, '--cached')) return;
      return files('git rm', nonOptions(rest));
    case 'worktree':
      return;
  }
}
