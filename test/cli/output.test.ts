// What people see: `jitp status`, `worktree list`, `claim list` and `issues` on a real batch whose
// issue titles hold CJK, emoji, a tab and a newline. In a pipe: aligned, one line per row, whole,
// no colour. On a terminal: coloured and cut to its width. NO_COLOR, FORCE_COLOR, --color,
// --no-color and --json each decide as docs/cli.md says; the built binary on a real pty too.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/render/table.js';
import { colourWanted } from '../../src/cli/style.js';
import type { TempRepo } from '../support/git.js';
import { GIT_ENV } from '../support/git.js';
import { DIST_JITP } from '../support/paths.js';
import { repoWithIssues, U1, U2, U3 } from '../worktree/helpers.js';
import { jitp } from './support.js';

const ESC = '\u001b';
const TITLES = {
  [U1]: 'Parser: 日本語のタイトル handling',
  [U2]: 'Fix 🚀 launch\ncrash on the second line',
  [U3]: 'Tab\there, and a title long enough to need cutting on any narrow terminal at all',
};
const VIEWS = [['status', '--no-disk'], ['worktree', 'list'], ['claim', 'list'], ['issues']];
let repo: TempRepo;
const env = { ...GIT_ENV };
const run = (args: string[], e: Record<string, string> = {}, tty?: { columns: number }) =>
  jitp(repo.root, args, { ...env, ...e }, tty ? { stdoutTty: true, columns: tty.columns } : { stdoutTty: false });

/** The table part of an output: from its header row (the line starting with `word  `) on. */
const tableOf = (out: string): string[] => {
  const lines = out.replace(/\n+$/, '').split('\n');
  const at = lines.findIndex((l) => /^(issue|lease|id) {2}/.test(l.replace(/\u001b\[[0-9;]*m/g, '')));
  const end = lines.indexOf('', at);
  return lines.slice(at, end < 0 ? undefined : end);
};
const strip = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');

beforeAll(async () => {
  repo = repoWithIssues([
    { id: U1, title: TITLES[U1] },
    { id: U2, title: TITLES[U2] },
    { id: U3, title: TITLES[U3] },
  ]);
  const r = await run(['worktree', 'add', U1, U2, U3, '--json']);
  expect(r.code, r.stderr).toBe(0);
  const wt = r.json().worktrees[0].worktree as string;
  writeFileSync(join(wt, 'dirty.txt'), 'x\n');
}, 60_000);
afterAll(() => repo?.cleanup());

describe('in a pipe', () => {
  it.each(VIEWS.map((v) => [v.join(' '), v] as const))(
    '%s: aligned rows, one per line, whole, plain',
    async (_, args) => {
      const r = await run([...args], { TERM: 'xterm-256color' });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).not.toContain(ESC);
      expect(r.stdout).not.toContain('…');
      const t = tableOf(r.stdout);
      expect(t.length).toBe(4); // the header and one line per issue: the newline in a title broke nothing
      // Every row starts its second column at the same display column as the header does.
      const second = t.map(
        (l) => displayWidth(l.slice(0, l.search(/ {2}\S/))) + l.slice(l.search(/ {2}\S/)).search(/\S/),
      );
      expect(new Set(second).size).toBe(1);
    },
  );

  it('status and issues show whole titles, the newline and tab as spaces', async () => {
    for (const args of [['status', '--no-disk'], ['issues']]) {
      const out = (await run(args)).stdout;
      expect(out).toContain('Parser: 日本語のタイトル handling');
      expect(out).toContain('Fix 🚀 launch crash on the second line');
      expect(out).toContain('Tab here, and a title long enough to need cutting on any narrow terminal at all');
    }
  });

  it('issues: the columns after a wide title line up (display width, not string length)', async () => {
    const t = tableOf((await run(['issues'])).stdout);
    const notes = t.slice(1).map((l) => displayWidth(l.slice(0, l.indexOf('held by'))));
    expect(notes.every((n) => n === notes[0])).toBe(true);
  });
});

describe('on a terminal', () => {
  it.each([60, 90, 240])('every table line fits %i columns, cut with …, coloured', async (columns) => {
    for (const args of VIEWS) {
      const r = await run(args, { TERM: 'xterm-256color' }, { columns });
      expect(r.code, r.stderr).toBe(0);
      const t = tableOf(r.stdout);
      expect(t.length).toBe(4);
      for (const l of t) expect(displayWidth(l), `${args.join(' ')}: ${strip(l)}`).toBeLessThanOrEqual(columns);
      expect(r.stdout, args.join(' ')).toContain(ESC);
    }
    expect((await run(['issues'], {}, { columns })).stdout.includes('…')).toBe(columns < 100);
  });

  it('NO_COLOR (any non-empty value) and --no-color turn colour off, the width still applies', async () => {
    for (const [e, flags] of [
      [{ NO_COLOR: '1' }, []],
      [{ NO_COLOR: 'yes' }, []],
      [{}, ['--no-color']],
    ] as const) {
      const r = await run(['issues', ...flags], { ...e }, { columns: 60 });
      expect(r.stdout).not.toContain(ESC);
      expect(r.stdout).toContain('…');
    }
    // An empty NO_COLOR is no NO_COLOR (no-color.org).
    expect((await run(['issues'], { NO_COLOR: '' }, { columns: 60 })).stdout).toContain(ESC);
  });

  it('TERM=dumb: no colour unless asked', async () => {
    expect((await run(['issues'], { TERM: 'dumb' }, { columns: 80 })).stdout).not.toContain(ESC);
    expect((await run(['issues', '--color'], { TERM: 'dumb' }, { columns: 80 })).stdout).toContain(ESC);
  });

  it('--json: never colour, never cut, whatever FORCE_COLOR or --color say', async () => {
    for (const args of VIEWS) {
      const r = await run([...args, '--json', '--color'], { FORCE_COLOR: '3' }, { columns: 40 });
      expect(r.stdout).not.toContain(ESC);
      expect(() => r.json()).not.toThrow();
    }
    const j = (await run(['issues', '--json'], { FORCE_COLOR: '1' }, { columns: 40 })).json();
    expect(j.issues.map((i: { title: string }) => i.title).sort()).toEqual(Object.values(TITLES).sort());
  });
});

describe('FORCE_COLOR and --color in a pipe', () => {
  it.each([
    [{ FORCE_COLOR: '1' }, [], true],
    [{ FORCE_COLOR: '3' }, [], true],
    [{ FORCE_COLOR: 'true' }, [], true],
    [{ FORCE_COLOR: '0' }, [], false],
    [{ FORCE_COLOR: 'false' }, [], false],
    [{ FORCE_COLOR: '1', NO_COLOR: '1' }, [], false],
    [{ FORCE_COLOR: '1', CLAUDECODE: '1' }, [], false], // Claude Code's Bash tool: a model reads it
    [{}, ['--color'], true],
    [{ NO_COLOR: '1' }, ['--color'], true], // the flag is the person's own choice for this run
    [{ FORCE_COLOR: '1' }, ['--no-color'], false],
    [{}, ['--color', '--no-color'], false],
  ])('%j %j: colour %s, never cut', async (e, flags, coloured) => {
    const r = await run(['issues', ...flags], e as Record<string, string>);
    expect(r.stdout.includes(ESC)).toBe(coloured);
    expect(r.stdout).not.toContain('…');
  });

  it('--color and --no-color are global options: before the command words too', async () => {
    expect((await run(['--color', 'claim', 'list'])).stdout).toContain(ESC);
    expect((await run(['--no-color', 'worktree', 'list'], { FORCE_COLOR: '1' })).stdout).not.toContain(ESC);
  });
});

describe('colourWanted (the whole table)', () => {
  it.each([
    [{}, false, {}, false],
    [{}, true, {}, true],
    [{ TERM: 'dumb' }, true, {}, false],
    [{ NO_COLOR: '1' }, true, {}, false],
    [{ NO_COLOR: '' }, true, {}, true],
    [{ FORCE_COLOR: '2' }, false, {}, true],
    [{ FORCE_COLOR: '' }, false, {}, true],
    [{ FORCE_COLOR: 'banana' }, true, {}, false],
    [{ FORCE_COLOR: '0' }, true, {}, false],
    [{ FORCE_COLOR: '1', CLAUDECODE: '1' }, true, {}, true], // a person's terminal inside Claude Code
    [{}, true, { json: true }, false],
    [{}, true, { json: true, color: true }, false],
    [{}, true, { noColor: true }, false],
    [{ NO_COLOR: '1' }, false, { color: true }, true],
  ])('%j tty=%s %j -> %s', (e, tty, flags, want) => {
    expect(colourWanted(e as NodeJS.ProcessEnv, tty, flags)).toBe(want);
  });
});

describe('the built binary', () => {
  /** This process's environment without what decides colour (a developer's FORCE_COLOR, Claude Code's CLAUDECODE). */
  const cleanEnv = () =>
    Object.fromEntries(
      Object.entries({ ...process.env, ...env }).filter(([k]) => !/COLOR|^CLAUDECODE$|^TERM$/.test(k)),
    );

  it('in a pipe: plain and whole', () => {
    const r = spawnSync(process.execPath, [DIST_JITP, 'issues'], {
      cwd: repo.root,
      encoding: 'utf8',
      env: { ...cleanEnv(), FORCE_COLOR: '1' },
    });
    const plain = spawnSync(process.execPath, [DIST_JITP, 'issues'], {
      cwd: repo.root,
      encoding: 'utf8',
      env: cleanEnv(),
    });
    expect(r.stdout).toContain(ESC);
    expect(plain.stdout).not.toContain(ESC);
    expect(plain.stdout).toContain(TITLES[U3].replace('\t', ' '));
  });

  const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!hasScript)('on a real pseudo-terminal (util-linux `script`): coloured, cut to the stty width', () => {
    const cmd = `stty cols 64; '${process.execPath}' '${DIST_JITP}' issues`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      cwd: repo.root,
      encoding: 'utf8',
      env: { ...cleanEnv(), TERM: 'xterm' },
    });
    expect(r.status, r.stderr).toBe(0);
    const out = r.stdout.replace(/\r/g, '');
    expect(out).toContain(ESC);
    const t = tableOf(out);
    expect(t.length).toBe(4);
    for (const l of t) expect(displayWidth(l)).toBeLessThanOrEqual(64);
    expect(out).toContain('…');
  });
});
