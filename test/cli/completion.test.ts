// `jitp completion bash|zsh|fish`: the bash script is run for real (bash sources it and calls
// the completion function with COMP_WORDS/COMP_CWORD as readline would), against the built jitp
// and a real repository with a jit store, so issue ids come from the real `--list-issues`.
// zsh and fish are not installed on the machine this was written on: their scripts are checked
// as text (zsh runs the very bash function through bashcompinit); fish runs for real where it is.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/cli/commands/index.js';
import { completionModel } from '../../src/cli/commands/completion.js';
import { GIT_ENV, tempDir, type TempRepo } from '../support/git.js';
import { DIST_JITP, ROOT } from '../support/paths.js';
import { repoWithIssues, U1, U2, U3 } from '../worktree/helpers.js';
import { jitp } from './support.js';

const BIN = join(ROOT, 'bin/jitp');
const DONE = '44444444-dddd-4ddd-8ddd-000000000004';
let repo: TempRepo;
let elsewhere: string;
let scripts: Record<'bash' | 'zsh' | 'fish', string>;
// A loaded machine starts node slowly: the script's 3 s bound on the id listing is for people.
const env = () => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/COLOR|^CLAUDECODE$/.test(k))),
  ...GIT_ENV,
  JITP_COMPLETION_TIMEOUT: '60',
});

beforeAll(() => {
  repo = repoWithIssues([
    { id: U1, title: 'first: 日本語' },
    { id: U2, title: 'second\nline' },
    { id: U3, title: 'third' },
  ]);
  writeFileSync(
    join(repo.root, '.jit/issues', `${DONE}.json`),
    JSON.stringify({ id: DONE, title: 'closed one', state: 'done', priority: 'normal', dependencies: [], labels: [] }),
  );
  repo.git('remote', 'add', 'origin', join(repo.root, 'nowhere.git'));
  repo.git('remote', 'add', 'upstream', join(repo.root, 'nowhere2.git'));
  mkdirSync(join(repo.root, 'src/sub dir'), { recursive: true });
  writeFileSync(join(repo.root, 'src/sub dir/x.ts'), '');
  elsewhere = tempDir('jitp-compl-');
  scripts = Object.fromEntries(
    (['bash', 'zsh', 'fish'] as const).map((sh) => [
      sh,
      execFileSync(process.execPath, [DIST_JITP, 'completion', sh], { encoding: 'utf8', env: env() }),
    ]),
  ) as typeof scripts;
  writeFileSync(join(elsewhere, 'jitp.bash'), scripts.bash);
}, 60_000);
afterAll(() => repo?.cleanup());

/**
 * Completes `words` (the last is the word under the cursor) as bash would: COMP_WORDS holds the
 * words as readline split them (`--mode=x` is `--mode`, `=`, `x`), COMP_CWORD the cursor's word.
 */
function complete(words: string[], cwd = repo.root): string[] {
  const quoted = [BIN, ...words].map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = [
    `source '${join(elsewhere, 'jitp.bash')}'`,
    `COMP_WORDS=(${quoted})`,
    'COMP_CWORD=$((${#COMP_WORDS[@]} - 1))',
    'COMP_LINE="${COMP_WORDS[*]}"',
    'COMP_POINT=${#COMP_LINE}',
    '_jitp',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', script], { cwd, encoding: 'utf8', env: env() });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.split('\n').filter(Boolean);
}

describe('bash, for real', () => {
  it('the script is valid bash and registers the function', () => {
    const r = spawnSync('bash', ['-c', `source '${join(elsewhere, 'jitp.bash')}' && complete -p jitp`], {
      encoding: 'utf8',
    });
    expect(r.stdout).toMatch(/complete .*-F _jitp jitp/);
  });

  it.each([
    [[''], ['claim', 'worktree', 'status', 'completion', 'issues', 'version', 'hook', 'batch', 'issue'], ['acquire']],
    [['cl'], ['claim', 'cleanup'], ['config']],
    [['claim', ''], ['acquire', 'renew', 'release', 'extend', 'evict', 'list', 'status', 'sync'], ['add']],
    [['claim', 'ac'], ['acquire'], []],
    [['worktree', ''], ['add', 'list', 'remove', 'commit'], ['acquire']],
    [['completion', ''], ['bash', 'zsh', 'fish'], []],
    [['plan', '--format', ''], ['table', 'mermaid', 'dot'], []],
    [['prompt', 'x', '--mode', '=', ''], ['implement', 'plan', 'review'], []],
    [['prompt', 'x', '--mode', '=', 're'], ['review'], ['plan']],
    [['merge', '--strategy', ''], ['consolidated', 'individual'], []],
  ])('%j offers %j', (words, want, not) => {
    const got = complete(words);
    expect(got).toEqual(expect.arrayContaining(want));
    for (const n of not) expect(got).not.toContain(n);
  });

  it('exactly one candidate when the prefix names one', () => {
    expect(complete(['claim', 'ac'])).toEqual(['acquire']);
    expect(complete(['worktree', 'rem'])).toEqual(['remove']);
  });

  it("issue ids: the repository's open issues only, by short id, filtered by the prefix", () => {
    const open = [U1, U2, U3].map((u) => u.slice(0, 8));
    for (const cmd of [['claim', 'acquire'], ['worktree', 'add'], ['prompt'], ['issue', 'done'], ['plan']])
      expect(complete([...cmd, '']).sort(), cmd.join(' ')).toEqual(open);
    expect(complete(['claim', 'release', '22'])).toEqual([U2.slice(0, 8)]);
    expect(complete(['claim', 'status', '--issue', ''])).toHaveLength(3);
    // Several issues: each further word is an issue too.
    expect(complete(['worktree', 'add', open[0]!, '3'])).toEqual([open[2]]);
  });

  it('-C / --cwd: issue ids and remotes of that repository, from anywhere', () => {
    expect(complete(['-C', repo.root, 'claim', 'acquire', ''], elsewhere)).toHaveLength(3);
    expect(complete(['claim', 'acquire', '--cwd', '=', repo.root, ''], elsewhere)).toHaveLength(3);
    expect(complete(['claim', 'acquire', ''], elsewhere)).toEqual([]); // not a repository: nothing, quietly
    expect(complete(['-C', repo.root, 'claim', 'sync', ''], elsewhere).sort()).toEqual(['origin', 'upstream']);
  });

  it('options: the command own and the global ones; values after value options, not commands', () => {
    const opts = complete(['claim', 'acquire', 'x', '--']);
    expect(opts).toEqual(expect.arrayContaining(['--paths', '--ttl', '--agent', '--json', '--cwd', '--no-color']));
    expect(opts).not.toContain('--force');
    expect(complete(['claim', 'acquire', 'x', '--p'])).toEqual(['--paths']);
    expect(complete(['--js'])).toEqual(['--json']);
    // Global options before the command words do not hide the command.
    expect(complete(['--json', '-C', repo.root, 'claim', 'ac'])).toEqual(['acquire']);
    expect(complete(['claim', '--no-color', 'ac'])).toEqual(['acquire']);
  });

  it('--paths a b c: files after it, every word, until the next option', () => {
    expect(complete(['claim', 'acquire', 'x', '--paths', 'src/'])).toEqual(
      expect.arrayContaining(['src/a.txt', 'src/b.txt', 'src/sub dir']),
    );
    expect(complete(['claim', 'acquire', 'x', '--paths', 'src/a.txt', 'src/b'])).toEqual(['src/b.txt']);
    // The one issue is given already: nothing more to offer.
    expect(complete(['claim', 'acquire', 'x', '--paths', 'src/a.txt', '--ttl', '5m', ''])).toEqual([]);
    // A name with a space is one candidate.
    expect(complete(['claim', 'extend', 'x', '--paths', 'src/sub'])).toEqual(['src/sub dir']);
  });

  it('folders for -C and --reports; nothing offered for free text or commands without positionals', () => {
    expect(complete(['-C', `${repo.root}/s`])).toEqual([`${repo.root}/src`]);
    expect(complete(['verify', '--reports', `${repo.root}/s`])).toEqual([`${repo.root}/src`]);
    expect(complete(['status', ''])).toEqual([]);
    expect(complete(['claim', 'acquire', 'x', '--reason', ''])).toEqual([]);
  });

  it('every command of the table is reachable, and offers every option it has', async () => {
    const model = await completionModel();
    expect(model.commands.map((c) => c.path).sort()).toEqual(Object.keys(commands).sort());
    for (const c of model.commands) {
      const words = c.path.split(' ');
      expect(complete([...words.slice(0, -1), words.at(-1)!]), c.path).toContain(words.at(-1));
      const flags = c.options.map((o) => `--${o.name}`);
      if (flags.length) expect(complete([...words, '--']), c.path).toEqual(expect.arrayContaining(flags));
    }
  });
});

describe('--list-issues', () => {
  it('open issues, id tab title, one per line (a newline in a title stays in its line)', async () => {
    const r = await jitp(repo.root, ['completion', '--list-issues'], GIT_ENV);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toEqual([
      `${U1.slice(0, 8)}\tfirst: 日本語`,
      `${U2.slice(0, 8)}\tsecond line`,
      `${U3.slice(0, 8)}\tthird`,
    ]);
    const j = (await jitp(repo.root, ['completion', '--list-issues', '--json'], GIT_ENV)).json();
    expect(j.issues.map((i: { id: string }) => i.id)).not.toContain(DONE.slice(0, 8));
  });
});

describe('the command', () => {
  it('an unknown or missing shell is a usage error (exit 2) naming the three', async () => {
    for (const args of [['completion', 'powershell'], ['completion']]) {
      const r = await jitp(repo.root, args);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('jitp completion bash, jitp completion zsh, jitp completion fish');
    }
  });
  it('--json gives the script too; --help says how to install', async () => {
    const j = (await jitp(repo.root, ['completion', 'fish', '--json'])).json();
    expect(j).toEqual({ shell: 'fish', script: (await jitp(repo.root, ['completion', 'fish'])).stdout });
    expect(j.script).toContain('complete -c jitp');
    const h = await jitp(repo.root, ['completion', '--help']);
    expect(h.stdout).toContain('source <(jitp completion bash)');
    expect(h.stdout).toContain('~/.config/fish/completions/jitp.fish');
  });
  it('the hook lets a sub-agent run it (read-only)', async () => {
    const { judgeSubagentJitp, findJitpCalls } = await import('../../src/core/jitp-calls.js');
    const [call] = findJitpCalls('jitp completion --list-issues').calls;
    expect(judgeSubagentJitp(call!, undefined, 'agent-x')).toBeUndefined();
  });
});

describe('zsh (text: zsh is not installed here)', () => {
  it('a #compdef file that loads bashcompinit and registers the same, tested, bash function', () => {
    const z = scripts.zsh;
    expect(z.split('\n')[0]).toBe('#compdef jitp');
    expect(z).toContain('autoload -U +X bashcompinit && bashcompinit');
    const fn = (s: string) => s.slice(s.indexOf('__jitp_sub()'), s.indexOf('complete -o default'));
    expect(fn(z)).toBe(fn(scripts.bash));
    expect(z.trimEnd().split('\n').at(-1)).toBe('complete -o default -F _jitp jitp');
    // bashcompinit has no mapfile, compopt may be missing: the function must not need them.
    expect(fn(z)).not.toMatch(/\bmapfile\b|\breadarray\b/);
    expect(fn(z)).toMatch(/type compopt >\/dev\/null 2>&1 && |type compopt >\/dev\/null 2>&1; then/);
  });

  const hasZsh = spawnSync('zsh', ['--version']).status === 0;
  it.skipIf(!hasZsh)('zsh parses it', () => {
    const r = spawnSync('zsh', ['-n', '-c', scripts.zsh], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
  });
});

describe('fish', () => {
  it('(text) a line per subcommand and option, issue ids from --list-issues, no files by default', async () => {
    const f = scripts.fish;
    expect(f).toContain('complete -c jitp -f\n');
    const model = await completionModel();
    for (const c of model.commands) {
      const [head, sub] = c.path.split(' ');
      if (sub) expect(f).toContain(`complete -c jitp -n '__jitp_at ${head}' -a '${sub}'`);
      else expect(f).toContain(`complete -c jitp -n '__jitp_at ""' -a '${head}'`);
      for (const o of c.options)
        expect(f, `${c.path} --${o.name}`).toMatch(new RegExp(`__jitp_cmd .*${c.path}.* -l ${o.name}\\b`));
    }
    expect(f).toMatch(/__jitp_cmd '\\''claim acquire'\\'''.* -x -a '\(__jitp_issues\)'/);
    expect(f).toContain('completion --list-issues');
    expect(f).toMatch(/-l paths -r -F/);
    expect(f).toMatch(/-s C -l cwd -x -a '\(__fish_complete_directories\)'/);
  });

  const hasFish = spawnSync('fish', ['--version']).status === 0;
  it.skipIf(!hasFish)('(real) fish completes subcommands and issue ids', () => {
    writeFileSync(join(elsewhere, 'jitp.fish'), scripts.fish);
    const run = (line: string) =>
      spawnSync('fish', ['-c', `source '${join(elsewhere, 'jitp.fish')}'; complete -C '${line}'`], {
        cwd: repo.root,
        encoding: 'utf8',
        env: { ...env(), PATH: `${join(ROOT, 'bin')}:${process.env.PATH}` },
      }).stdout;
    expect(run('jitp claim ')).toMatch(/^acquire\t/m);
    expect(run('jitp claim acquire ')).toContain(U1.slice(0, 8));
  });
});
