// The simple writers, as data: which operands a command writes, which options take a value
// (so their value is not taken for a file), and the options that make it write at all. The
// commands whose writes need code (git, sed/perl -i, dd, xargs, find, tar, cp/mv/ln, awk, …)
// are in bash-writes.ts.

export interface WriterRule {
  /** Options whose value is the next word, space-separated (`-s --size`). */
  valueFlags?: string;
  /** Which operands it writes: all of them, all but the first (`chmod MODE f…`), or the first. */
  writes: 'all' | 'notFirst' | 'first';
  /** Writes only with one of these options (`-i --in-place`; a letter matches inside `-pi`). */
  when?: string;
  /** Never writes with one of these (`--check`). */
  unless?: string;
  /** Operands are folders whose whole content may change: always, or with these options. */
  tree?: true | string;
  /** With no operand it writes the whole tree from the cwd (formatters). */
  noneMeansWhole?: boolean;
  /** It expands quoted globs itself (`prettier --write "src/**"`): such an operand is unknown. */
  ownGlobs?: boolean;
}

const formatter = (r: Partial<WriterRule>): WriterRule => ({
  writes: 'all',
  noneMeansWhole: true,
  ownGlobs: true,
  ...r,
});

export const WRITERS: Record<string, WriterRule> = {
  rm: { writes: 'all', tree: '-r -R --recursive' },
  rmdir: { writes: 'all', tree: true },
  unlink: { writes: 'all' },
  shred: { writes: 'all', valueFlags: '-n -s --iterations --size' },
  touch: { writes: 'all', valueFlags: '-d -t -r --date --reference' },
  truncate: { writes: 'all', valueFlags: '-s --size -r --reference' },
  chmod: { writes: 'notFirst', tree: '-R --recursive' },
  chown: { writes: 'notFirst', tree: '-R --recursive' },
  chgrp: { writes: 'notFirst', tree: '-R --recursive' },
  tee: { writes: 'all', valueFlags: '--output-error' },
  sponge: { writes: 'all' },
  // Non-interactive editors: given a file, they are there to change it.
  vim: { writes: 'all', valueFlags: '-c -S --cmd -u -U -i -s -T -w -W -t -q', unless: '-R' },
  vi: { writes: 'all', valueFlags: '-c -S --cmd -u -U -i -s -T -w -W -t -q', unless: '-R' },
  nvim: { writes: 'all', valueFlags: '-c -S --cmd -u -i -s -w -W -t -q', unless: '-R' },
  ex: { writes: 'all', valueFlags: '-c -S --cmd -u -i -s -T -w -W -t', unless: '-R' },
  ed: { writes: 'all', valueFlags: '-p --prompt' },
  red: { writes: 'all', valueFlags: '-p --prompt' },
  // Compressors replace the file by its compressed form unless told to write to stdout.
  gzip: { writes: 'all', valueFlags: '-S --suffix', unless: '-c -k -l -t --stdout --keep --list --test' },
  gunzip: { writes: 'all', valueFlags: '-S --suffix', unless: '-c -k -l -t --stdout --keep --list --test' },
  bzip2: { writes: 'all', unless: '-c -k -t --stdout --keep --test' },
  bunzip2: { writes: 'all', unless: '-c -k -t --stdout --keep --test' },
  xz: { writes: 'all', unless: '-c -k -l -t --stdout --keep --list --test' },
  unxz: { writes: 'all', unless: '-c -k -l -t --stdout --keep --list --test' },
  zip: { writes: 'first', valueFlags: '-b -n -t -tt -x -i -P' },
  yq: { writes: 'notFirst', when: '-i --inplace', valueFlags: '--front-matter -I --indent' },
  // Formatters with their write options.
  prettier: formatter({
    when: '--write -w',
    valueFlags: '--config --ignore-path --plugin --parser --log-level --cache-location',
  }),
  black: formatter({ unless: '--check --diff', valueFlags: '-l --line-length --config -t --target-version' }),
  isort: formatter({ unless: '--check --check-only --diff', valueFlags: '-l --line-length --settings-path' }),
  autopep8: formatter({ when: '-i --in-place', unless: '--diff', valueFlags: '--max-line-length --select' }),
  yapf: formatter({ when: '-i --in-place', unless: '--diff', valueFlags: '--style -l --lines' }),
  rustfmt: formatter({ unless: '--check', valueFlags: '--edition --config-path --config' }),
  gofmt: formatter({ when: '-w' }),
  goimports: formatter({ when: '-w' }),
  'clang-format': formatter({ when: '-i', valueFlags: '--style -style' }),
};

/** Interpreters whose inline code (`-c`, `-e`) we cannot follow: warned about, never denied. */
export const INLINE_CODE: Record<string, string> = {
  python: '-c',
  python3: '-c',
  python2: '-c',
  node: '-e --eval -p --print',
  deno: 'eval',
  bun: '-e --eval',
  ruby: '-e',
  perl: '-e -E',
  php: '-r',
  lua: '-e',
  Rscript: '-e',
  osascript: '-e',
  pwsh: '-c -Command',
};

/** Prefixes that run the rest of the line as a command, with the options that take a value. */
export const WRAPPERS: Record<string, string> = {
  sudo: '-u -g -C -D -h -p -r -t -U --user --group --chdir',
  doas: '-u -C',
  nohup: '',
  time: '-f -o --format --output',
  command: '',
  exec: '-a',
  builtin: '',
  nice: '-n --adjustment',
  stdbuf: '-i -o -e --input --output --error',
  ionice: '-c -n -p -P -u --class --classdata',
  setsid: '',
  unbuffer: '',
  caffeinate: '-t -w',
  busybox: '',
  toybox: '',
};
