// `jitp next`: continuous dispatch. The pure pick on a table of plans and leases, then the CLI on a
// real repository with task files and real leases in the local store.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import type { Lease } from '../../src/core/model.js';
import { pickNext } from '../../src/plan/next.js';
import type { PlanResult, PlannedIssue } from '../../src/plan/plan.js';
import { makeRepo, type TempRepo } from '../support/git.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const issue = (id: string, files: string[], tier: PlannedIssue['tier'] = 'YELLOW'): PlannedIssue => ({
  id,
  shortId: id,
  title: `issue ${id}`,
  files,
  newFiles: [],
  hotFiles: [],
  tier,
  reasons: [],
  predicted: [],
  ignored: [],
  likely: [],
});
const lease = (issueId: string, paths: string[], expiresInMs = 60_000): Lease => ({
  id: `L-${issueId}`,
  issueId,
  agentId: `agent:${issueId}`,
  worktree: null,
  branch: null,
  paths,
  ttlSecs: 60,
  acquiredAt: new Date(NOW - 1000).toISOString(),
  renewedAt: new Date(NOW - 1000).toISOString(),
  expiresAt: new Date(NOW + expiresInMs).toISOString(),
  token: 1,
});
const plan = (issues: PlannedIssue[], batches: string[][]): PlanResult => ({
  issues,
  conflicts: [],
  batches,
  excluded: [],
});

describe('pickNext', () => {
  const p = plan([issue('a', ['src/x.ts']), issue('b', ['src/y.ts']), issue('c', ['src/z.ts'])], [['a', 'b'], ['c']]);
  it.each([
    ['no leases: the first of the first batch', [], 4, 'a'],
    ['a held file passes the issue over', [lease('r', ['src/x.ts'])], 4, 'b'],
    ['a glob lease covers the file', [lease('r', ['src/**'])], 4, null],
    ['an expired lease holds nothing', [lease('r', ['src/**'], -1)], 4, 'a'],
    ['max parallel reached', [lease('r', ['docs/a.md']), lease('s', ['docs/b.md'])], 2, null],
    ['a later batch when the earlier ones are busy', [lease('r', ['src/x.ts', 'src/y.ts'])], 4, 'c'],
  ] as const)('%s', (_n, leases, mp, want) => {
    const r = pickNext(p, [...leases], NOW, mp);
    expect(r.next?.id ?? null).toBe(want);
    if (!want) expect(r.reason).toMatch(/max parallel|live lease holds/);
  });
  it.each([
    ['off by default: a likely held file does not pass it over', undefined, 'a'],
    ['a 60% chance above a 50% limit passes it over', 0.5, 'b'],
    ['a 60% chance under a 70% limit does not', 0.7, 'a'],
  ] as const)('maxConflictChance: %s', (_n, maxConflictChance, want) => {
    const withLikely = plan(
      [{ ...issue('a', ['src/x.ts']), likely: [{ path: 'src/main.rs', p: 0.6 }] }, issue('b', ['src/y.ts'])],
      [['a', 'b']],
    );
    const r = pickNext(withLikely, [lease('r', ['src/main.rs'])], NOW, 4, { maxConflictChance });
    expect(r.next?.id).toBe(want);
    if (want === 'b') expect(r.skipped[0]!.reason).toMatch(/60% likely to need a file a live lease holds.*limit 50%/);
  });
  it('names the holder of the file it passed over', () => {
    const r = pickNext(p, [lease('r', ['src/x.ts'])], NOW, 4);
    expect(r.skipped).toEqual([
      { id: 'a', shortId: 'a', reason: 'predicted file src/x.ts is held by agent:r (issue r)' },
    ]);
  });
  it('CRITICAL waits until nothing else runs', () => {
    const q = plan([issue('k', ['package.json'], 'CRITICAL'), issue('b', ['src/y.ts'])], [['k'], ['b']]);
    expect(pickNext(q, [lease('r', ['docs/a.md'])], NOW, 4).next?.id).toBe('b');
    expect(pickNext(q, [], NOW, 4).next?.id).toBe('k');
  });
  it('nothing available', () => {
    expect(pickNext(plan([], []), [], NOW, 4)).toMatchObject({ next: null, reason: 'no available issue' });
  });
});

async function jitp(cwd: string, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await run(argv, {
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
    env: { ...process.env, JIT_AGENT_ID: 'agent:test', JITP_CONFIG: '' },
    cwd,
    interactive: false,
  });
  return { code, out, err };
}

describe('jitp next on a real repository', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = makeRepo({
      'src/auth.ts': 'export function loginUser() {}\n',
      'src/billing.ts': 'export function makeInvoice() {}\n',
    });
    const dir = join(repo.root, '.jit-parallel/tasks');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'a.md'), '---\nid: a\nstate: todo\n---\n# Login\nChange src/auth.ts.\n');
    writeFileSync(join(dir, 'b.md'), '---\nid: b\nstate: todo\n---\n# Login again\nAlso edit src/auth.ts.\n');
    writeFileSync(join(dir, 'c.md'), '---\nid: c\nstate: todo\n---\n# Invoices\nEdit src/billing.ts.\n');
  });
  afterAll(() => repo.cleanup());

  it('picks, then passes over what a live lease holds, then caps at max parallel', async () => {
    const first = await jitp(repo.root, 'next', '--json');
    expect(first.code).toBe(0);
    const j1 = JSON.parse(first.out);
    expect(j1.next.files).toContain('src/auth.ts');
    const picked = j1.next.id as string;
    const acq = await jitp(repo.root, 'claim', 'acquire', picked, '--paths', 'src/auth.ts', '--agent', 'agent:one');
    expect(acq.code, acq.err).toBe(0);
    const j2 = JSON.parse((await jitp(repo.root, 'next', '--json')).out);
    // The held issue is no longer available, its sibling on src/auth.ts is passed over: c is next.
    expect(j2.next.id).toBe('c');
    expect(j2.skipped.map((s: { reason: string }) => s.reason).join()).toContain('src/auth.ts is held by agent:one');
    const text = await jitp(repo.root, 'next', '--max-parallel', '1');
    expect(text.out).toContain('nothing to start now: 1 issue already holds a live lease (max parallel 1)');
    const bad = await jitp(repo.root, 'next', '--max-parallel', '0');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('--max-parallel must be a whole number');
  });
});

describe('jitp next <issue…>: only the batch the user asked for', () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = makeRepo({ 'src/a.ts': 'a\n', 'src/c.ts': 'c\n', 'src/d.ts': 'd\n', 'src/x.ts': 'x\n' });
    const dir = join(repo.root, '.jit-parallel/tasks');
    mkdirSync(dir, { recursive: true });
    const task = (id: string, file: string, deps = '') =>
      writeFileSync(
        join(dir, `${id}.md`),
        `---\nid: ${id}\nstate: ready\n${deps}files:\n  - ${file}\n---\n# Task ${id}\nEdit ${file}.\n`,
      );
    task('ta', 'src/a.ts');
    task('tc', 'src/c.ts');
    task('td', 'src/d.ts', 'depends_on: [tc]\n');
    task('tx', 'src/x.ts'); // available, but not asked for
  });
  afterAll(() => repo.cleanup());

  it('picks only the ids given; a dependency not done excludes its dependant; the hint has no --agent', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await jitp(repo.root, 'next', 'ta', 'tc', 'td', '--json');
      expect(r.code, r.err).toBe(0);
      const j = JSON.parse(r.out);
      if (!j.next) {
        // ta and tc run; td waits for tc; tx was never asked for.
        expect(seen.sort()).toEqual(['ta', 'tc']);
        expect(j.reason).toMatch(/none of the given issues can start now \(3 excluded/);
        expect(j.excluded.find((x: { id: string }) => x.id === 'td').reason).toMatch(/^blocked by tc/);
        break;
      }
      expect(['ta', 'tc']).toContain(j.next.id);
      seen.push(j.next.id);
      const acq = await jitp(repo.root, 'claim', 'acquire', j.next.id, '--paths', ...j.next.files);
      expect(acq.code, acq.err).toBe(0);
    }
    expect(seen).toHaveLength(2);
    const text = await jitp(repo.root, 'next', 'ta', 'tc', 'td');
    expect(text.out).toContain('cannot start td: blocked by tc');
    // Without ids the unasked task is the one left; the printed command acts as the session's
    // identity (no --agent to repeat) and quotes what it must.
    const all = await jitp(repo.root, 'next');
    expect(all.out).toContain('start it: jitp claim acquire tx --paths src/x.ts\n');
    expect(all.out).not.toContain('--agent');
    const unknown = await jitp(repo.root, 'next', 'nope', '--json');
    expect(unknown.code).toBe(4);
  });
});
