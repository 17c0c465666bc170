// Typos in issue ids (issue 14, item 7): with a jit store or a task folder, an id nothing knows
// is exit 4 naming the nearest ids, for `claim acquire` and for other commands taking ids.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeRepo, type TempRepo } from '../support/git.js';
import { jitFixture } from '../sources/fixture.js';
import { nearest } from '../../src/core/near.js';
import { jitp } from './support.js';

const repos: TempRepo[] = [];
afterAll(() => repos.forEach((r) => r.cleanup()));
function repo(): TempRepo {
  const r = makeRepo();
  repos.push(r);
  return r;
}

function taskRepo(): TempRepo {
  const r = repo();
  const dir = join(r.root, '.jit-parallel', 'tasks');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'login-fix.md'), '---\nid: login-fix\ntitle: Fix the login form\n---\nBody\n');
  writeFileSync(join(dir, 'T-1.md'), '---\ntitle: Export as CSV\n---\nBody\n');
  return r;
}

function jitRepo(): TempRepo {
  const r = repo();
  cpSync(jitFixture(), join(r.root, '.jit'), { recursive: true });
  return r;
}

describe('nearest()', () => {
  it.each([
    ['aquire', ['acquire', 'release', 'list'], ['acquire']],
    ['T-2', ['T-1', 'login-fix'], ['T-1']],
    ['xyz', ['acquire', 'release'], []],
    ['', ['a'], []],
  ])('%j among %j', (q, c, want) =>
    expect(
      nearest(
        q,
        c.map((value) => ({ value })),
      ),
    ).toEqual(want),
  );
  it('a word of an alias (a title) counts', () =>
    expect(nearest('loign', [{ value: 'A-1', aliases: ['Fix the login form'] }, { value: 'B-2' }])).toEqual(['A-1']));
});

describe('with a task folder', () => {
  it('claim acquire of an unknown id: exit 4, nearest ids named, no lease made', async () => {
    const r = taskRepo();
    const out = await jitp(r.root, ['claim', 'acquire', 'T-2', '--paths', 'src/a.ts', '--json']);
    expect(out.code).toBe(4);
    expect(out.json().error).toMatchObject({ code: 'E_UNKNOWN_ISSUE', details: { input: 'T-2', near: ['T-1'] } });
    expect(out.json().error.message).toMatch(/nearest: T-1 \(Export as CSV\)/);
    expect((await jitp(r.root, ['claim', 'list', '--json'])).json().leases).toEqual([]);
    const text = await jitp(r.root, ['claim', 'acquire', 'login-fx']);
    expect(text.code).toBe(4);
    expect(text.stderr).toMatch(/nearest: login-fix \(Fix the login form\)/);
  });

  it('a known task (any case), or an id already leased, is accepted', async () => {
    const r = taskRepo();
    expect((await jitp(r.root, ['claim', 'acquire', 'login-fix'])).code).toBe(0);
    expect((await jitp(r.root, ['claim', 'acquire', 't-1', '--agent', 'agent:bob'])).code).toBe(0);
  });

  it('other commands taking ids name the nearest too (prompt, plan)', async () => {
    const r = taskRepo();
    const p = await jitp(r.root, ['prompt', 'login-fi', '--json']);
    expect(p.code).toBe(4);
    expect(p.json().error.details.near).toEqual(['login-fix']);
    const plan = await jitp(r.root, ['plan', 'T-2', '--json']);
    expect(plan.code).toBe(4);
    expect(plan.json().error.details.near).toEqual(['T-1']);
  });

  it('without a task folder or jit store, free-form ids are still leased', async () => {
    const r = repo();
    expect((await jitp(r.root, ['claim', 'acquire', 'NOPE'])).code).toBe(0);
  });
});

describe('with a jit store', () => {
  it('claim acquire NOPE: exit 4 (not a usage error), no lease made', async () => {
    const r = jitRepo();
    const out = await jitp(r.root, ['claim', 'acquire', 'NOPE', '--json']);
    expect(out.code).toBe(4);
    expect(out.json().error.code).toBe('E_UNKNOWN_ISSUE');
    expect((await jitp(r.root, ['claim', 'list', '--json'])).json().leases).toEqual([]);
  });

  it('a near-miss prefix or a title word names the nearest issues', async () => {
    const r = jitRepo();
    const typo = await jitp(r.root, ['claim', 'acquire', '003f9f84', '--json']);
    expect(typo.code).toBe(4);
    expect(typo.json().error.details.near[0]).toBe('003f9f83-4e8a-4a5f-8e48-44f6f48a7c17');
    const word = await jitp(r.root, ['claim', 'acquire', 'parsres', '--json']);
    expect(word.code).toBe(4);
    expect(word.json().error.details.near).toContain('00525fe0-9193-4f12-91dc-2ed1848de047');
    expect(word.json().error.message).toContain('00525fe0 (HTML and XML content parsers)');
  });
});
