import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JitSource, readJitStore } from '../../src/sources/jit.js';
import { isTerminal } from '../../src/sources/types.js';
import { makeRepo, type TempRepo } from '../support/git.js';
import { jitFixture } from './fixture.js';

const JIT_FIXTURE = jitFixture();

let repo: TempRepo;
beforeAll(() => {
  repo = makeRepo();
  cpSync(JIT_FIXTURE, join(repo.root, '.jit'), { recursive: true });
  repo.commit('fixture');
});
afterAll(() => repo.cleanup());

describe('jit reader on the real store', () => {
  it('reads all 373 issues with no problem at all', () => {
    const { issues, problems } = readJitStore(repo.root);
    expect(problems).toEqual([]);
    expect(issues).toHaveLength(373);
    const states: Record<string, number> = {};
    for (const i of issues) states[i.state] = (states[i.state] ?? 0) + 1;
    expect(states).toEqual({ done: 348, rejected: 13, backlog: 6, ready: 5, in_progress: 1 });
    expect(issues.filter((i) => i.dependencies.length > 0)).toHaveLength(237);
    expect(issues.reduce((n, i) => n + i.dependencies.length, 0)).toBe(470);
    expect(issues.filter((i) => i.documents.length > 0)).toHaveLength(94);
  });

  it('finds the 5 ready, unblocked issues', () => {
    const { issues } = readJitStore(repo.root);
    const byId = new Map(issues.map((i) => [i.id, i]));
    const ready = issues.filter(
      (i) => i.state === 'ready' && i.dependencies.every((d) => isTerminal(byId.get(d)!.state)),
    );
    expect(ready.map((i) => i.shortId).sort()).toEqual(['2821e177', '94f873c8', 'a4e3cfb0', 'f16cfe8c', 'f847df3f']);
  });

  it('resolves 4-char prefixes, short ids and full ids', () => {
    const src = new JitSource(repo.root);
    const full = src.get('003f9f83-4e8a-4a5f-8e48-44f6f48a7c17');
    expect(src.get('003f').id).toBe(full.id);
    expect(src.get('003F9F83').id).toBe(full.id);
    expect(full.documents[0]).toEqual({
      path: 'dev/studies/short-hash-implementation-plan.md',
      label: 'Implementation Plan',
    });
    expect(() => src.get('003')).toThrow(/jit ids are uuids, typed as a prefix of 4\+ hex/);
    expect(() => src.get('ffffffff')).toThrow(/no jit issue matches/);
  });

  it('picks acceptance criteria from real descriptions', () => {
    const { issues } = readJitStore(repo.root);
    const withCriteria = issues.filter((i) => /##\s+(Success|Acceptance) Criteria/i.test(i.description));
    expect(withCriteria.length).toBeGreaterThan(10);
    for (const i of withCriteria) expect(i.acceptanceCriteria.length, i.shortId).toBeGreaterThan(0);
  });

  it('reports a malformed file by name and line and keeps the others', () => {
    const r = makeRepo();
    try {
      cpSync(JIT_FIXTURE, join(r.root, '.jit'), { recursive: true });
      writeFileSync(
        join(r.root, '.jit/issues/aaaaaaaa-0000-4000-8000-000000000000.json'),
        '{\n  "id": "aaaaaaaa-0000-4000-8000-000000000000",\n  "title": oops\n}',
      );
      writeFileSync(
        join(r.root, '.jit/issues/bbbbbbbb-0000-4000-8000-000000000000.json'),
        JSON.stringify({ id: 'bbbbbbbb-0000-4000-8000-000000000000', title: 'x', state: 'weird', extra: { a: 1 } }),
      );
      const { issues, problems } = readJitStore(r.root);
      expect(issues).toHaveLength(374);
      expect(problems).toHaveLength(2);
      expect(problems[0]).toMatchObject({
        file: '.jit/issues/aaaaaaaa-0000-4000-8000-000000000000.json',
        line: 3,
        loaded: false,
      });
      expect(problems[1]).toMatchObject({
        file: '.jit/issues/bbbbbbbb-0000-4000-8000-000000000000.json',
        loaded: true,
      });
      expect(problems[1]!.message).toMatch(/unknown "state" "weird"/);
    } finally {
      r.cleanup();
    }
  });
});
