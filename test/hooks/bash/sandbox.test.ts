// The classifier's promise, checked by running the commands (issue 13, "Tests"): a command it
// calls read-only (no write target, no unknown target, no opaque code, no parse error) changes no
// file when it really runs. Each command runs with bash in a copy of a small git repository
// (a dirty tree: a modified tracked file, a staged change and an untracked file, so that
// `git stash`, `git checkout .` or `git clean -f` would show), with HOME and TMPDIR inside the
// sandbox and, where the kernel allows it, no network (`unshare -rn`). Before and after, every
// file of the copy, .git included, is listed with its content hash, size, mode and
// mtime. A change by a command the classifier did not flag is a failure.
//
// Git's own metadata is not a lease path (the hooks do not police it): commands that exist to
// change it (`git add`, `git commit`, `git checkout -b`…, listed in GIT_METADATA) may change
// files under .git, never the working tree or the lease store. Scripts and build tools the
// classifier cannot see through count as not writing by design (bash-writes.ts); the sandbox's
// scripts only read, so running them here is honest, and the corpus says which they are.
import { spawnSync } from 'node:child_process';
import { budget } from '../../support/budget.js';
import { createHash } from 'node:crypto';
import {
  cpSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bashWrites } from '../../../src/hooks/bash/bash-writes.js';
import { GIT_ENV, git, makeRepo, type TempRepo } from '../../support/git.js';
import { READ_ONLY, WRITING } from './bash-corpus.js';

/** Commands that change git's metadata (index, refs, objects) and nothing in the working tree. */
const GIT_METADATA =
  /^git (add|commit|checkout -b|switch -c|reset( --soft)? HEAD~1|restore --staged|rm --cached|stash list|fetch)\b/;

/** Pieces cheap enough to combine: no package managers, compilers, sleeps or network. */
const SLOW = /\b(npm|npx|pnpm|yarn|cargo|go|python3?|pytest|black|ruff|jitp|gh|node|sleep|curl|time|timeout|make)\b/;
const WAITS = /tail -f|less |history/;

/**
 * Test runners, build tools and package scripts run the project's own code; the classifier counts
 * them as not writing by design (bash-writes.ts: a held file they write is caught by the
 * pre-commit backstop), so running them here would test the project, not the classifier.
 */
const RUNS_PROJECT_CODE =
  /\b(npm (test|run|ls|view)|npx|pnpm|yarn|cargo|go (test|vet|build)|gofmt|pytest|python -m|black|ruff|make test)\b/;

/** Read-only on their face, and worth running for real: each either writes nothing or is caught. */
const HAND_WRITTEN: string[] = [
  'git stash list',
  'git stash show -p || true',
  'git diff --stat',
  'git diff --cached',
  'git log --all --graph --oneline',
  'git status --porcelain=v2 --branch',
  'git rev-list --count HEAD',
  'git for-each-ref',
  'git ls-tree -r HEAD',
  'git cat-file --batch-check < /dev/null',
  'git check-ignore -v node_modules || true',
  'git show --stat HEAD',
  'git grep -c export -- src',
  'git config --list --show-origin',
  'git help -a | head -3',
  'git var GIT_COMMITTER_IDENT',
  'git count-objects -v',
  'git fsck --no-dangling 2>&1 | head -3',
  'git name-rev HEAD',
  'git archive HEAD | tar -t',
  'git format-patch -1 --stdout HEAD | head -5',
  'git bundle list-heads /dev/null 2>/dev/null || true',
  'git notes list || true',
  'git reflog -3',
  'git describe --always',
  'git diff --no-index README.md src/a.ts || true',
  'cat src/a.ts | sort | uniq | wc -l',
  'sort -r data.txt',
  'sort data.txt -o /dev/stdout',
  'tac data.txt',
  'rev data.txt',
  'nl src/a.ts',
  'od -c src/a.ts | head -2',
  'xxd src/a.ts | head -2',
  'base64 src/a.ts',
  'sha1sum src/*.ts',
  'cksum README.md',
  'tr a-z A-Z < src/a.ts',
  'paste -sd, data.txt',
  'join data.txt data.txt',
  'comm -12 data.txt data.txt',
  'column -t data.txt',
  'fold -w 10 README.md',
  'expand src/a.ts | head',
  'split --verbose -n 2 data.txt /tmp/split- 2>/dev/null || true',
  "awk 'NR==1' README.md",
  "awk '{ n += length($0) } END { print n }' src/a.ts",
  "sed -n '$p' data.txt",
  "sed -e 's/x/y/g' -e 's/a/b/' README.md",
  "perl -ne 'print if /export/' src/a.ts",
  'grep -c . data.txt',
  'grep -rn --include="*.ts" export .',
  'find . -maxdepth 2 -type d -not -path "./.git*"',
  'find . -name "*.md" -print0 | xargs -0 wc -c',
  'find src -newer README.md',
  'find . -size +0 -type f -name "*.ts" | sort',
  'ls -la --time-style=full-iso src',
  'ls -d */',
  'stat -c "%n %s" README.md',
  'readlink -f src/a.ts',
  'realpath --relative-to=. src/a.ts',
  'basename "$PWD"',
  'dirname src/a.ts',
  'test -w src/a.ts && echo writable',
  '[ -s data.txt ] && echo nonempty',
  'du -a src',
  'wc -c < README.md',
  'echo "$(wc -l < data.txt) lines"',
  'x=$(cat README.md); echo "${#x}"',
  'for f in src/*; do echo "$f"; done | sort',
  'while read -r l; do echo "$l"; done < data.txt',
  'cat <<EOF | wc -l\na\nb\nEOF',
  'diff <(sort data.txt) <(sort -r data.txt) || true',
  'echo x | cat - README.md | head -2',
  'echo x > /dev/null; echo y 2>/dev/null',
  'echo x > /tmp/jitp-sandbox-out.txt',
  'mktemp',
  'mktemp -d',
  'tee < README.md /dev/null',
  'cp README.md /dev/null',
  'bash scripts/show.sh',
  'sh -c "cat README.md"',
  "bash -c 'ls src | wc -l'",
  'env -i PATH="$PATH" ls',
  'nice -n 5 ls',
  'nohup true 2>/dev/null',
  'command ls',
  'builtin echo hi',
  'exec 3< README.md; cat <&3',
  'read -r first < data.txt; echo "$first"',
  'set -e; ls; true',
  'type -a ls',
  'hash -r',
  'umask',
  'ulimit -n',
  'jq -r .name package.json',
  'jq ".version" package.json',
  'git -c core.pager=cat log -1',
  'git --git-dir=.git log -1 --format=%H',
  'git -C src log -1 --format=%s',
  'GIT_PAGER=cat git log -1',
  'make -n -f /dev/null 2>/dev/null || true',
  'npm pkg get name',
  'node -p "1+1"',
  // Writers in disguise: each must be flagged (and so not run here), or be caught changing a file.
  'git stash',
  'git stash push -m wip',
  'git checkout .',
  'git checkout -- .',
  'git restore .',
  'git restore --worktree src',
  'git clean -f',
  'git clean -fdx',
  'git reset --hard',
  'git checkout HEAD -- src',
  'git mv src/b.ts src/c.ts',
  'git rm src/b.ts',
  'git apply fix.patch',
  'sort -o data.txt data.txt',
  'find . -name "*.tmp" -delete',
  'find src -name "b.ts" -exec rm {} \\;',
  'ls src/*.ts | xargs rm',
  'echo x | tee -a data.txt',
  ': > data.txt',
  '> data.txt',
  'exec 3> data.txt',
  'install -m 644 README.md docs/copy.md',
  'mkdir -p newdir',
  'rmdir docs',
  'ln -s README.md link.md',
  'cp -r src src2',
  'tar -cf out.tar src',
  'split -l 1 data.txt part-',
  'patch -p1 < fix.patch',
  'truncate -s 0 data.txt',
  'dd if=README.md of=data.txt',
  'npm init -y',
  'npm pkg set name=other',
  "sed -i'' 's/a/b/' data.txt",
  "perl -i -pe 's/a/b/' data.txt",
  'cd src && echo x > a.ts',
  'pushd src && touch new.ts',
  'chmod 600 README.md',
  'touch -d "2001-01-01" README.md',
];

function readOnly(command: string, cwd: string, home: string): boolean {
  const w = bashWrites(command, cwd, home);
  return !w.parseError && !w.targets.length && !w.unknown.length && !w.opaque.length;
}

/** Generated: read-only pieces of the corpus joined by operators and wrapped in the shell's forms. */
function generated(n: number): string[] {
  const pieces = READ_ONLY.filter((c) => !SLOW.test(c) && !WAITS.test(c) && !GIT_METADATA.test(c));
  const piece = fc
    .constantFrom(...pieces)
    .map((t) => (/\nEOF$/.test(t) ? `${t}\n` : t))
    .chain((t) => fc.constantFrom(t, `( ${t}\n)`, `{ ${t}\n}`, `echo "$(${t}\n)"`, `if true; then ${t}\nfi`, `! ${t}`));
  const cmd = fc
    .array(piece, { minLength: 1, maxLength: 4 })
    .chain((ps) =>
      fc
        .array(fc.constantFrom(' ; ', ' && ', ' || ', '\n', ' | '), { minLength: ps.length - 1, maxLength: ps.length })
        .map((ops) => ps.map((p, i) => (i ? ops[i - 1]! : '') + p).join('')),
    );
  return fc.sample(cmd, { numRuns: n, seed: 1313 });
}

interface Entry {
  kind: 'file' | 'link';
  hash: string;
  mtimeMs: number;
  mode: number;
}

function listing(root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      const r = rel ? `${rel}/${name}` : name;
      const st = lstatSync(abs);
      // Folders count through the files in them: an empty one made or removed changes no file, and
      // a folder's mtime moves when a lock file comes and goes (git's index.lock).
      if (st.isDirectory()) walk(abs, r);
      else
        out.set(r, {
          kind: st.isSymbolicLink() ? 'link' : 'file',
          hash: st.isFile() ? createHash('sha1').update(readFileSync(abs)).digest('hex') : '',
          mtimeMs: st.mtimeMs,
          mode: st.mode,
        });
    }
  };
  walk(root, '');
  return out;
}

function changes(before: Map<string, Entry>, after: Map<string, Entry>): string[] {
  const out: string[] = [];
  for (const [p, a] of after) {
    const b = before.get(p);
    if (!b) out.push(`${p}: created`);
    else if (a.kind !== b.kind || a.hash !== b.hash || a.mode !== b.mode || a.mtimeMs !== b.mtimeMs)
      out.push(`${p}: changed`);
  }
  for (const p of before.keys()) if (!after.has(p)) out.push(`${p}: deleted`);
  return out;
}

const OLD = new Date(Date.now() - 3600_000);

let base: TempRepo;
let pristine: string;
let sandbox: string;
let home: string;
let tmp: string;
let noNet: string[] = [];
/** A batch's time limit, scaled once per file: budget() measures the floor with two node starts. */
let batchLimit = 60_000;

/** A fresh copy of the pristine repository, every mtime in the past, git's index refreshed. */
function resetSandbox(): void {
  rmSync(sandbox, { recursive: true, force: true });
  cpSync(pristine, sandbox, { recursive: true, preserveTimestamps: true });
  // A copy has new inodes and ctimes: git would rewrite its index during the first command.
  git(sandbox, 'status', '--porcelain');
}

beforeAll(() => {
  base = makeRepo({
    'README.md': '# sandbox\nexport notes\n',
    'src/a.ts': 'export const a = 1;\n',
    'src/b.ts': 'export const b = 2;\n',
    'src/index.ts': "export * from './a';\n",
    'data.txt': 'b\na\nc\n',
    'docs/guide.md': '# guide\n',
    'package.json': '{ "name": "sandbox", "version": "1.0.0", "scripts": { "test": "echo ok" } }\n',
    'scripts/show.sh': 'cat README.md\nls src\n',
    'fix.patch': '--- a/data.txt\n+++ b/data.txt\n@@ -1,3 +1,3 @@\n-b\n+B\n a\n c\n',
  });
  base.commit('init');
  base.git('tag', 'v1');
  // A dirty tree: an unstaged change, a staged change, an untracked file.
  base.write('src/a.ts', 'export const a = 10;\n');
  base.write('src/index.ts', "export * from './a';\nexport * from './b';\n");
  base.git('add', 'src/index.ts');
  base.write('notes.tmp', 'scratch\n');
  const stamp = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      if (lstatSync(abs).isDirectory()) stamp(abs);
      utimesSync(abs, OLD, OLD);
    }
  };
  stamp(base.root);
  git(base.root, 'status', '--porcelain'); // refreshes the index now, not during the first command
  pristine = base.root;
  const top = join(base.root, '..');
  sandbox = join(top, 'sandbox');
  home = join(top, 'home');
  tmp = join(top, 'tmp');
  mkdirSync(home);
  mkdirSync(tmp);
  resetSandbox();
  noNet = spawnSync('unshare', ['-rn', 'true']).status === 0 ? ['unshare', '-rn'] : [];
  batchLimit = budget(60_000);
});

afterAll(() => base?.cleanup());

/**
 * Runs commands one after another, each in its own bash with a time limit, in one process tree
 * (one namespace set-up for the lot: spawning per command made the test slow).
 */
function run(commands: readonly string[]): { status: number | null; out: string } {
  const dir = mkdtempSync(join(tmp, 'batch-'));
  commands.forEach((c, i) => writeFileSync(join(dir, `${String(i).padStart(4, '0')}.sh`), `${c}\n`));
  const driver = `for f in "${dir}"/*.sh; do timeout -k 1 5 bash "$f" </dev/null >/dev/null 2>&1; done`;
  const [bin, ...pre] = [...noNet, 'bash'];
  const r = spawnSync(bin!, [...pre, '-c', driver], {
    cwd: sandbox,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: batchLimit,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: home,
      TMPDIR: tmp,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_CACHE_HOME: join(home, '.cache'),
      npm_config_cache: join(home, '.npm'),
      npm_config_offline: 'true',
      ...GIT_ENV,
      GIT_TERMINAL_PROMPT: '0',
      LANG: 'C',
    },
  });
  rmSync(dir, { recursive: true, force: true });
  // A driver cut short ran only some of the commands: that must fail, not pass as "no change".
  if (r.error || r.signal) throw new Error(`sandbox batch did not finish (${r.error?.message ?? r.signal})`);
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.slice(0, 300) };
}

/** Changes that count: git's own metadata may change under the commands that exist to change it. */
const counted = (command: string, found: string[]) =>
  found.filter((c) => !(GIT_METADATA.test(command) && c.startsWith('.git/') && !c.startsWith('.git/jit-parallel')));

test(
  'sandbox: no command the classifier calls read-only changes a file when it runs',
  () => {
    const corpus = [...new Set([...READ_ONLY, ...HAND_WRITTEN, ...WRITING.map((w) => w.cmd), ...generated(140)])];
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    const toRun = corpus.filter((c) => readOnly(c, sandbox, home) && !RUNS_PROJECT_CODE.test(c));
    const flagged = corpus.filter((c) => !readOnly(c, sandbox, home));
    const failures: string[] = [];
    // Git's metadata commands one by one (their changes are allowed, so they cannot share a batch);
    // the rest in batches, and a batch that changed something again one by one to find the culprit.
    const batches: string[][] = toRun.filter((c) => GIT_METADATA.test(c)).map((c) => [c]);
    const rest = toRun.filter((c) => !GIT_METADATA.test(c));
    for (let i = 0; i < rest.length; i += 25) batches.push(rest.slice(i, i + 25));
    for (const batch of batches) {
      const before = listing(sandbox);
      run(batch);
      const found = counted(batch[0]!, changes(before, listing(sandbox)));
      if (batch.length === 1 || !found.length) {
        if (found.length) failures.push(`${JSON.stringify(batch[0])} changed ${found.slice(0, 4).join(', ')}`);
        resetSandbox();
        continue;
      }
      resetSandbox();
      for (const command of batch) {
        const b = listing(sandbox);
        run([command]);
        const f = counted(command, changes(b, listing(sandbox)));
        if (f.length) {
          failures.push(`${JSON.stringify(command)} changed ${f.slice(0, 4).join(', ')}`);
          resetSandbox();
        }
      }
    }
    // Both halves must be exercised, or the test proves nothing.
    expect(toRun.length).toBeGreaterThanOrEqual(250);
    expect(flagged.length).toBeGreaterThanOrEqual(40);
    expect(failures).toEqual([]);
  },
  budget(120_000),
);

test('sandbox: the check sees a change (a write it is not told about fails it)', () => {
  for (const command of ['echo x >> data.txt', 'git stash', 'touch -d "2002-02-02" README.md', 'echo y > new.txt']) {
    resetSandbox();
    const before = listing(sandbox);
    run([command]);
    expect(changes(before, listing(sandbox)).length, command).toBeGreaterThan(0);
  }
  resetSandbox();
  const before = listing(sandbox);
  // Reading really leaves the copy as it was (the check is not blind the other way either).
  run(['cat README.md; git status; git diff; ls -R']);
  expect(changes(before, listing(sandbox))).toEqual([]);
});
