// A typo in .jit-parallel.yaml (issue 14, item 7): `jitp config` shows what is wrong and where
// instead of refusing to run; every invalid key takes its default (the values the hooks apply).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../support/git.js';
import { inspectConfigText } from '../../src/config/load.js';
import { jitp } from './support.js';

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));
function repoWith(config: string): TempRepo {
  const r = makeRepo();
  repos.push(r);
  writeFileSync(join(r.root, '.jit-parallel.yaml'), config);
  return r;
}
const F = '/r/.jit-parallel.yaml';
const inspect = (text: string) => inspectConfigText({ file: F, text, explicit: false });

describe('inspectConfigText: the valid part applies, each problem is named with its line', () => {
  it.each([
    ['policy: strcit\n', 'policy', 1, 'strcit', 'extend'],
    ['# x\nttl: 5 minutes\n', 'ttl', 2, '5 minutes', 1800],
    ['ttl: -3\n', 'ttl', 1, -3, 1800],
    ['failure: clsoed\n', 'failure', 1, 'clsoed', 'open'],
    ['plan:\n  maxParallel: many\n', 'plan.maxParallel', 2, 'many', 4],
    ['plan:\n  hotFiles: [a, 2]\n', 'plan.hotFiles', 2, ['a', 2], []],
  ])('%j', (text, key, line, value, used) => {
    const r = inspect(text);
    expect(r.problems).toEqual([expect.objectContaining({ file: F, key, line, value, used })]);
    expect(r.origin[key]).toBe('default');
  });

  it('unknown keys are named (with the nearest known key) and ignored; the other keys still apply', () => {
    const r = inspect('polcy: strict\nfailure: closed\nplan:\n  maxParalel: 2\n');
    expect(r.problems.map((p) => [p.key, p.line, p.used])).toEqual([
      ['polcy', 1, undefined],
      ['plan.maxParalel', 4, undefined],
    ]);
    expect(r.problems[0]!.message).toMatch(/did you mean "policy"/);
    expect(r.problems[1]!.message).toMatch(/did you mean "maxParallel"/);
    expect(r.config.failure).toBe('closed');
    expect(r.origin.failure).toBe(F);
  });

  it('several bad keys at once: all reported, none hides another', () => {
    const r = inspect('policy: strcit\nttl: soon\nremoteTimeout: 0\nsource: gitlab\n');
    expect(r.problems.map((p) => p.key).sort()).toEqual(['policy', 'remoteTimeout', 'source', 'ttl']);
    expect(r.config).toMatchObject({ policy: 'extend', ttl: 1800, remoteTimeout: 20, source: 'auto' });
  });

  it.each([
    ['policy: [strict\n', /not valid YAML/],
    ['- policy\n', /expected a mapping/],
    ['policy: strict\npolicy: off\n', /not valid YAML.*[Mm]ap keys must be unique/],
  ])('a file that is not a mapping of keys: all defaults, one problem (%j)', (text, msg) => {
    const r = inspect(text);
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.message).toMatch(msg);
    expect(r.config.policy).toBe('extend');
  });

  it('a valid file has no problems and the same values as the strict loader', () => {
    const r = inspect('policy: strict\nttl: 10m\nplan:\n  maxParallel: 2\n');
    expect(r.problems).toEqual([]);
    expect(r.config).toMatchObject({ policy: 'strict', ttl: 600, plan: { maxParallel: 2 } });
  });

  it('JITP_CONFIG naming a missing file is a problem, not silence', () => {
    const r = inspectConfigText({ file: '/nope.yaml', explicit: true, error: enoent() });
    expect(r.problems).toEqual([expect.objectContaining({ key: '', message: expect.stringMatching(/JITP_CONFIG/) })]);
  });
});

function enoent(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
}

describe('jitp config on a file with typos', () => {
  it('shows every value, then each problem with file:line, found and used; exits 8', async () => {
    const r = repoWith('policy: strcit\nttl: 10m\npolcy: strict\n');
    const out = await jitp(r.root, ['config']);
    expect(out.code).toBe(8);
    const file = join(r.root, '.jit-parallel.yaml');
    expect(out.stdout).toMatch(/^policy +"extend" +default$/m);
    expect(out.stdout).toMatch(new RegExp(`^ttl +600 +${file.replace(/[.]/g, '\\.')}$`, 'm'));
    expect(out.stdout).toContain(`${file}:1: policy: `);
    expect(out.stdout).toContain('(found "strcit"; using "extend")');
    expect(out.stdout).toContain(`${file}:3: polcy: unknown key "polcy" (did you mean "policy"?)`);
  });

  it('--json: the documented shape with problems', async () => {
    const r = repoWith('failure: clsoed\n');
    const out = await jitp(r.root, ['config', '--json']);
    expect(out.code).toBe(8);
    const j = out.json();
    expect(Object.keys(j)).toEqual(['file', 'config', 'origin', 'problems']);
    expect(j.problems).toEqual([
      {
        file: join(r.root, '.jit-parallel.yaml'),
        line: 1,
        key: 'failure',
        value: 'clsoed',
        message: expect.any(String),
        used: 'open',
      },
    ]);
  });

  it('a valid file: exit 0, problems empty', async () => {
    const r = repoWith('policy: strict\n');
    const out = await jitp(r.root, ['config', '--json']);
    expect(out.code).toBe(0);
    expect(out.json().problems).toEqual([]);
    expect(out.json().config.policy).toBe('strict');
  });

  it('other commands still refuse an invalid file (exit 8) and point at `jitp config`', async () => {
    const r = repoWith('policy: strcit\n');
    const out = await jitp(r.root, ['claim', 'acquire', 'T-1', '--json']);
    expect(out.code).toBe(8);
    expect(out.json().error.hint).toMatch(/jitp config/);
  });
});
