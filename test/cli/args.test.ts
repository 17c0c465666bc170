// The command line as people type it (issue 14, items 4 and 5): global options anywhere, command
// groups' help, "did you mean", and `--paths` with several values and brace globs, checked
// through a real claim and the real hook bundle.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../support/git.js';
import { DIST_HOOK, DIST_JITP } from '../support/paths.js';
import { splitArgv, spreadVariadic } from '../../src/cli/main.js';
import { splitList, type OptionSpec } from '../../src/cli/command.js';
import { jitp } from './support.js';

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));
function repo(files?: Record<string, string>): TempRepo {
  const r = makeRepo(files);
  repos.push(r);
  return r;
}

describe('global options anywhere', () => {
  it.each([
    [['-C', '/x', 'plan'], 'plan', ['-C', '/x']],
    [['--json', 'claim', 'list'], 'claim list', ['--json']],
    [['claim', 'list', '--json'], 'claim list', ['--json']],
    [['--cwd=/x', 'claim', '--json', 'list', 'extra'], 'claim list', ['--cwd=/x', '--json', 'extra']],
    [['-C/x', 'status'], 'status', ['-C/x']],
    [['claim', 'acquire', 'T-1', '--paths', 'a'], 'claim acquire', ['T-1', '--paths', 'a']],
  ])('%j -> %s', (argv, key, rest) => {
    const s = splitArgv(argv);
    expect(s.key).toBe(key);
    expect(s.rest).toEqual(rest);
  });

  it('-C before the command acts on that repository; --json before or after gives the same JSON', async () => {
    const r = repo();
    const elsewhere = repo();
    await jitp(r.root, ['claim', 'acquire', 'T-1', '--paths', 'src/a.ts']);
    const before = await jitp(elsewhere.root, ['--json', '-C', r.root, 'claim', 'list']);
    const after = await jitp(elsewhere.root, ['claim', 'list', '--json', `--cwd=${r.root}`]);
    expect(before.code).toBe(0);
    expect(before.json().leases.map((l: { issueId: string }) => l.issueId)).toEqual(['T-1']);
    expect(after.json().leases.map((l: { issueId: string }) => l.issueId)).toEqual(['T-1']);
    const here = await jitp(elsewhere.root, ['--json', 'claim', 'list']);
    expect(here.json().leases).toEqual([]);
  });

  it('the built binary takes them too (`jitp -C dir --json claim list`)', () => {
    const r = repo();
    const out = spawnSync(process.execPath, [DIST_JITP, '-C', r.root, '--json', 'claim', 'list'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: r.root },
    });
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({ leases: [] });
  });
});

describe('command groups and unknown commands', () => {
  it.each([['worktree'], ['claim'], ['hook']])('`jitp %s --help` lists its subcommands', async (group) => {
    const r = await jitp('/', [group, '--help']);
    expect(r.code).toBe(0);
    const listed = [...r.stdout.matchAll(new RegExp(`^  (${group} [a-z-]+)`, 'gm'))].map((m) => m[1]);
    expect(listed.length).toBeGreaterThanOrEqual(2);
    expect(r.stdout).toContain(`Usage: jitp ${group} <subcommand>`);
    expect((await jitp('/', ['help', group])).stdout).toBe(r.stdout);
    expect((await jitp('/', ['--help', group])).stdout).toBe(r.stdout);
  });

  it('a group without a subcommand is a usage error naming the subcommands', async () => {
    const r = await jitp('/', ['worktree']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing subcommand: jitp worktree <add\|list\|remove\|commit/);
  });

  it.each([
    [['claim', 'aquire', 'T-1'], 'jitp claim acquire'],
    [['worktre', 'list'], 'jitp worktree list'],
    [['plna'], 'jitp plan'],
    [['--json', 'claim', 'lsit'], 'jitp claim list'],
    [['stauts'], 'jitp status'],
  ])('%j suggests %s', async (argv, near) => {
    const r = await jitp('/', argv);
    expect(r.code).toBe(2);
    const text = argv.includes('--json') ? r.json().error.hint : r.stderr;
    expect(text).toContain(`did you mean: ${near}`);
  });

  it('nothing near: points at --help, and says what was typed', async () => {
    const r = await jitp('/', ['--json', 'xyzzy']);
    expect(r.code).toBe(2);
    expect(r.json().error).toMatchObject({ code: 'E_USAGE', message: 'unknown command: xyzzy' });
    expect(r.json().error.hint).toMatch(/jitp --help/);
  });
});

describe('--paths with several values', () => {
  const opts: Record<string, OptionSpec> = {
    paths: { type: 'string', variadic: true, description: '' },
    ttl: { type: 'string', description: '' },
  };
  it.each([
    [
      ['T', '--paths', 'a', 'b', 'c'],
      ['T', '--paths', 'a', '--paths', 'b', '--paths', 'c'],
    ],
    [
      ['T', '--paths=a', 'b', '--ttl', '5m'],
      ['T', '--paths=a', '--paths', 'b', '--ttl', '5m'],
    ],
    [
      ['--paths', 'a', '--', 'b'],
      ['--paths', 'a', '--', 'b'],
    ],
    [
      ['--ttl', 'x', 'y'],
      ['--ttl', 'x', 'y'],
    ],
  ])('%j', (args, want) => expect(spreadVariadic(args, opts)).toEqual(want));

  it.each([
    ['a,b c', ['a', 'b', 'c']],
    ['src/{a,b}.ts', ['src/{a,b}.ts']],
    ['src/{a,b}.ts,docs/{x,{y,z}}.md', ['src/{a,b}.ts', 'docs/{x,{y,z}}.md']],
    ['odd\\,name.txt', ['odd,name.txt']],
    ['src/{a\\,b,c}', ['src/{a\\,b,c}']],
  ])('splitList(%j)', (s, want) => expect(splitList(s)).toEqual(want));

  it('claim acquire a b c and claim extend x y: every word is a path of the lease', async () => {
    const r = repo();
    const a = await jitp(r.root, ['claim', 'acquire', 'T-1', '--paths', 'src/a.ts', 'src/b.ts', 'docs/', '--json']);
    expect(a.code).toBe(0);
    expect(a.json().lease.paths).toEqual(['src/a.ts', 'src/b.ts', 'docs/**']);
    const e = await jitp(r.root, ['claim', 'extend', 'T-1', '--paths', 'lib/x.ts', 'lib/y.ts,lib/z.ts', '--json']);
    expect(e.code).toBe(0);
    expect(e.json().lease.paths).toEqual(expect.arrayContaining(['lib/x.ts', 'lib/y.ts', 'lib/z.ts']));
  });

  it("a brace glob protects both files: through `jitp hook check` and the real hook bundle's PreToolUse", async () => {
    const r = repo({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\n', 'src/c.ts': 'c\n' });
    const a = await jitp(r.root, ['claim', 'acquire', 'T-1', '--paths', 'src/{a,b}.ts', '--json']);
    expect(a.code).toBe(0);
    expect(a.json().lease.paths).toEqual(['src/{a,b}.ts']);
    const check = await jitp(r.root, ['hook', 'check', 'src/a.ts', 'src/b.ts', 'src/c.ts', '--json'], {
      JIT_AGENT_ID: 'agent:bob',
    });
    expect(check.code).toBe(3);
    expect(check.json().results.map((x: { decision: string }) => x.decision)).toEqual(['deny', 'deny', 'allow']);
    const hook = (file: string) => {
      const out = spawnSync(process.execPath, [DIST_HOOK, 'pre-tool-use'], {
        input: JSON.stringify({
          session_id: 's',
          transcript_path: join(r.root, 'none.jsonl'),
          cwd: r.root,
          hook_event_name: 'PreToolUse',
          tool_name: 'Write',
          tool_input: { file_path: join(r.root, file), content: 'x' },
          tool_use_id: 't',
        }),
        encoding: 'utf8',
        cwd: r.root,
        env: { PATH: process.env.PATH, HOME: r.root },
      });
      return out.stdout ? JSON.parse(out.stdout).hookSpecificOutput?.permissionDecision : 'allow';
    };
    expect([hook('src/a.ts'), hook('src/b.ts'), hook('src/c.ts')]).toEqual(['deny', 'deny', 'allow']);
    // Another issue may not take either file through the glob's alternatives.
    const other = await jitp(r.root, ['claim', 'acquire', 'T-2', '--paths', 'src/b.ts', '--agent', 'agent:bob']);
    expect(other.code).toBe(3);
  });
});
