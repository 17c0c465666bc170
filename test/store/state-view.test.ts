// The indexed state layout (state-format.ts) and the hooks' partial view of it (state-view.ts):
// the view must select every lease a decision can need, old files must load, and an index that
// does not match its leases must be detected and rebuilt from them, never trusted.
import { afterEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalLeaseStore } from '../../src/store/local/local-store.js';
import { readStateFile } from '../../src/store/local/snapshot-read.js';
import { readStateView } from '../../src/store/local/state-view.js';
import { INDEXED_PREFIX, LAYOUT2_PREFIX, readHeader, serializeLayout1 } from '../../src/store/local/state-format.js';
import { buildLeaseIndex } from '../../src/core/lease-index.js';
import { firstOverlapping, isPlainPath } from '../../src/core/lease-rules.js';
import { globsOverlap } from '../../src/core/globs.js';
import { diagnose, repair } from '../../src/store/local/doctor.js';
import * as rules from '../../src/core/lease-rules.js';
import { writeStateFile } from '../../src/store/local/state-write.js';
import type { Lease } from '../../src/core/model.js';

let dirs: string[] = [];
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
  dirs = [];
});
function storeDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'jitp-view-'));
  dirs.push(d);
  return join(d, 'store');
}

/** 60 leases: files in packages, every seventh a glob, every eleventh bound to a worktree. */
function filled(dir: string): Lease[] {
  const s = new LocalLeaseStore({ delta: false, storeDir: dir });
  const out: Lease[] = [];
  for (let i = 0; i < 60; i++) {
    const paths =
      i % 7 === 0 ? [`pkg${i}/**`, `docs/p${i}.md`] : [`pkg${i}/src/a.ts`, `pkg${i}/src/b.ts`, `shared/f${i}.ts`];
    out.push(
      s.acquireSync({
        issueId: `issue-${i}`,
        agentId: i % 2 ? 'agent:claude' : 'agent:other',
        paths,
        ...(i % 11 === 3 ? { worktree: `/wt/${i}` } : {}),
      }),
    );
  }
  return out;
}

const ids = (ls: readonly Lease[]) => ls.map((l) => l.id);

describe('indexed state layout', () => {
  it('is one JSON document, one lease per line, that the whole-file reader reads as before', () => {
    const dir = storeDir();
    const leases = filled(dir);
    const text = readFileSync(join(dir, 'state.json'), 'utf8');
    expect(text.startsWith(LAYOUT2_PREFIX)).toBe(true);
    expect(text.split('\n')).toHaveLength(60 + 3); // header, leases, close, final newline
    const doc = JSON.parse(text) as { schemaVersion: number; index: { count: number; special: number[] } };
    expect(doc.schemaVersion).toBe(1);
    expect(doc.index.count).toBe(60);
    expect(doc.index.special).toEqual(
      leases.map((l, i) => (l.paths[0]!.endsWith('**') || l.worktree ? i : -1)).filter((i) => i >= 0),
    );
    expect(ids(readStateFile(dir)!.leases)).toEqual(ids(leases));
    expect(readStateView(dir)!.source).toBe('indexed');
  });

  it('selects every lease that holds, is under, or is found by what the call names', () => {
    const dir = storeDir();
    const leases = filled(dir);
    const view = readStateView(dir)!;
    const now = Date.now();
    const full = buildLeaseIndex(leases, now);
    const files = ['pkg5/src/a.ts', 'pkg7/x/y.ts', 'shared/f9.ts', 'docs/p14.md', 'nothing/here.ts', 'pkg5/src'];
    for (const f of files) {
      const sel = view.select({ files: [f] }, now);
      expect(ids(buildLeaseIndex(sel, now).holdersOf(f)), f).toEqual(ids(full.holdersOf(f)));
      expect(sel.length, `never empty while leases are live (${f})`).toBeGreaterThan(0);
      // Far fewer than all: the point of the layout.
      expect(sel.length).toBeLessThan(20);
    }
    for (const d of ['pkg5', 'shared', 'pkg5/src', 'pkg7/deep', 'none']) {
      const sel = view.select({ dirs: [d] }, now);
      expect(ids(buildLeaseIndex(sel, now).holdersUnder(d)), d).toEqual(ids(full.holdersUnder(d)));
    }
    expect(ids(view.select({ dirs: ['.'] }, now))).toEqual(ids(leases));
    expect(ids(view.select({ strings: [leases[40]!.id] }, now))).toContain(leases[40]!.id);
    // Worktree-bound leases are always selected (they are found by folder, not by name).
    expect(ids(view.select({ files: ['nothing.ts'] }, now))).toEqual(
      expect.arrayContaining(ids(leases.filter((l) => l.worktree))),
    );
  });

  it('a bound sub-agent is found by its id; expired leases are never selected', () => {
    let now = Date.now();
    const dir = storeDir();
    const s = new LocalLeaseStore({ delta: false, storeDir: dir, now: () => now });
    const a = s.acquireSync({ issueId: 'a', agentId: 'agent:x', paths: ['a.ts'], ttlSecs: 60 });
    s.acquireSync({ issueId: 'b', agentId: 'agent:x', paths: ['b.ts'], ttlSecs: 600 });
    s.bindSync(a.id, a.bindSecret!, 'a0123456789abcdef');
    const view = readStateView(dir)!;
    expect(ids(view.select({ strings: ['a0123456789abcdef'] }, now))).toEqual([a.id]);
    now += 120_000;
    expect(view.anyLive(now)).toBe(true);
    expect(view.select({ files: ['a.ts'], strings: ['a0123456789abcdef'] }, now).map((l) => l.issueId)).toEqual(['b']);
    now += 3600_000;
    expect(view.anyLive(now)).toBe(false);
    expect(view.select({ files: ['b.ts'] }, now)).toEqual([]);
  });

  it('an old (single-line) state file loads, and the next change rewrites it in the indexed layout', () => {
    const dir = storeDir();
    const leases = filled(dir);
    const st = readStateFile(dir)!;
    writeFileSync(join(dir, 'state.json'), `${JSON.stringify({ ...st, schemaVersion: 1 })}\n`);
    const old = readStateView(dir)!;
    expect(old.source).toBe('legacy');
    expect(ids(old.all())).toEqual(ids(leases));
    expect(ids(old.select({ files: ['pkg5/src/a.ts'] }, Date.now()))).toEqual(ids(leases));
    new LocalLeaseStore({ delta: false, storeDir: dir }).acquireSync({
      issueId: 'new',
      agentId: 'agent:x',
      paths: ['n.ts'],
    });
    expect(readStateView(dir)!.source).toBe('indexed');
    expect(readStateFile(dir)!.leases).toHaveLength(61);
  });

  it('an index that does not match its leases is detected, not trusted, and rebuilt', () => {
    const dir = storeDir();
    const leases = filled(dir);
    const file = join(dir, 'state.json');
    const good = readFileSync(file, 'utf8');
    const now = Date.now();
    const glob = leases[14]!; // pkg14/** (a special lease)
    const damages: Array<[string, string]> = [
      // Still valid JSON, so only the checksum can tell: every lease expired, no globs, one fewer.
      ['liveUntil in the past', good.replace(/"liveUntil":\d+/, '"liveUntil":1')],
      ['special list emptied', good.replace(/"special":\[[\d,]*\]/, '"special":[]')],
      ['count changed', good.replace(/"count":60/, '"count":59')],
      ['checksum digit', good.replace(/"hsum":"(.)/, (_m, c: string) => `"hsum":"${c === '0' ? '1' : '0'}`)],
      ['file cut short', good.slice(0, -40)],
    ];
    for (const [what, text] of damages) {
      expect(text, what).not.toBe(good);
      writeFileSync(file, text);
      expect(readHeader(readFileSync(file)).kind, what).toBe('bad');
      if (what === 'file cut short') {
        // Its last lines are gone: the whole parse that follows a bad header reports it.
        expect(() => readStateView(dir)).toThrow(/corrupt/);
        continue;
      }
      const v = readStateView(dir)!;
      expect(v.source, what).toBe('rebuilt');
      expect(v.anyLive(now), what).toBe(true);
      const sel = v.select({ files: ['pkg14/deep/x.ts'] }, now);
      const holders = ids(buildLeaseIndex(sel, now).holdersOf('pkg14/deep/x.ts'));
      expect(holders, what).toEqual([glob.id]);
      expect(
        diagnose(dir).checks.some((c) => c.name === 'index' && c.status === 'warn'),
        what,
      ).toBe(true);
    }
    // Repair (and any change) rewrites a trustworthy index.
    writeFileSync(file, damages[0]![1]);
    const r = repair(dir);
    expect(r.repaired.join()).toMatch(/index/);
    expect(readStateView(dir)!.source).toBe('indexed');
    expect(ids(readStateFile(dir)!.leases)).toEqual(ids(leases));
    // A damaged lease line (layout 2: its own checksum) is reported when read, and by the writers.
    // Same length (a cut or grown file is caught by the header): valid JSON, only the sum can tell.
    const badLines = [
      good.replace('"issueId":"issue-3"', '"issueId":"issue-X"'),
      good.replace('"pkg14/**"', '"pkg14/*?"'),
    ];
    for (const bad of badLines) {
      writeFileSync(file, bad);
      expect(readHeader(readFileSync(file)).kind).toBe('ok');
      const v = readStateView(dir)!;
      const q = bad.includes('pkg14/*?"') ? 'pkg14/deep/x.ts' : 'pkg3/src/a.ts';
      expect(() => v.select({ files: [q] }, now)).toThrow(/corrupt/);
      expect(() => readStateFile(dir)).toThrow(/corrupt/);
      expect(diagnose(dir).checks.some((c) => c.name === 'state' && c.status === 'problem')).toBe(true);
    }
  });

  it('reads a layout 1 file (whole-file checksum) and rewrites it as layout 2 on the next change', () => {
    const dir = storeDir();
    const leases = filled(dir);
    const file = join(dir, 'state.json');
    const st = readStateFile(dir)!;
    writeFileSync(file, serializeLayout1(st));
    expect(readFileSync(file, 'latin1').startsWith(INDEXED_PREFIX)).toBe(true);
    const h = readHeader(readFileSync(file));
    expect(h.kind === 'ok' && h.layout).toBe(1);
    const now = Date.now();
    const v = readStateView(dir)!;
    expect(v.source).toBe('indexed');
    expect(
      ids(buildLeaseIndex(v.select({ files: ['pkg14/deep/x.ts'] }, now), now).holdersOf('pkg14/deep/x.ts')),
    ).toEqual([leases[14]!.id]);
    expect(readStateFile(dir)).toEqual({ ...st, gen: 0, marked: false }); // layout 1 has no generation
    // Layout 1's whole-file checksum still catches a damaged line.
    writeFileSync(file, readFileSync(file, 'utf8').replace('"pkg14/**"', '"pkg14/*"'));
    expect(readHeader(readFileSync(file)).kind).toBe('bad');
    writeFileSync(file, serializeLayout1(st));
    new LocalLeaseStore({ delta: false, storeDir: dir }).acquireSync({
      issueId: 'next',
      agentId: 'agent:x',
      paths: ['new/f.ts'],
    });
    expect(readFileSync(file, 'latin1').startsWith(LAYOUT2_PREFIX)).toBe(true);
    expect(ids(readStateFile(dir)!.leases)).toEqual([...ids(leases), expect.any(String)]);
  });
});

describe('selection by search groups and anchor folders', () => {
  // Random stores (files, folders, globs anchored anywhere or nowhere, worktree-bound leases) and
  // random questions: what the view selects must give the index of every lease the same answers.
  const folder = fc.constantFrom('src', 'src/a', 'src/a/b', 'lib', 'lib2', 'docs', 'a', 'ab', '.hidden', 'é');
  const leaf = fc.constantFrom('x.ts', 'y.md', 'a', 'b', 'z');
  const glob = fc.constantFrom('**', '*.ts', '*', '**/x.ts', 'b/**', '[ab].ts', '{x,y}.md');
  const leasePath = fc.oneof(
    fc.tuple(folder, leaf).map(([d, f]) => `${d}/${f}`),
    folder,
    fc.tuple(folder, glob).map(([d, g]) => `${d}/${g}`),
    fc.constantFrom('**/x.ts', '*.md', 'top.ts'),
  );
  const asked = fc.oneof(
    fc.tuple(folder, leaf).map(([d, f]) => `${d}/${f}`),
    folder,
    fc.constantFrom('top.ts', 'x.ts', 'src/a/b/c/d/x.ts', 'lib2/deep/b/x.ts'),
  );

  it('answers every question as the index of all leases does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(leasePath, { minLength: 1, maxLength: 3 }), fc.boolean()), { maxLength: 14 }),
        fc.array(asked, { minLength: 1, maxLength: 6 }),
        (wanted, questions) => {
          const now = Date.now();
          let s = rules.emptySnapshot();
          wanted.forEach(([paths, wt], i) => {
            try {
              const req = { issueId: `i-${i}`, agentId: 'agent:x', paths, ttlSecs: 600 };
              s = rules.acquire(s, wt ? { ...req, worktree: `/wt/${i}` } : req, { nowMs: now }).snapshot;
            } catch {
              /* overlaps an earlier lease: not taken */
            }
          });
          const dir = storeDir();
          rmSync(dir, { recursive: true, force: true });
          mkdirSync(dir, { recursive: true });
          writeStateFile(dir, { ...s, logSize: 0 });
          const view = readStateView(dir)!;
          const full = buildLeaseIndex(s.leases, now);
          for (const q of questions) {
            const f = view.select({ files: [q] }, now);
            expect(ids(buildLeaseIndex(f, now).holdersOf(q)), q).toEqual(ids(full.holdersOf(q)));
            const d = view.select({ dirs: [q] }, now);
            expect(ids(buildLeaseIndex(d, now).holdersUnder(q)), q).toEqual(ids(full.holdersUnder(q)));
          }
        },
      ),
      { numRuns: 150, seed: 13 },
    );
  });

  it('a first folder named by more places than one search keeps (src/ everywhere) answers the same', () => {
    const dir = storeDir();
    const s = new LocalLeaseStore({ delta: false, storeDir: dir });
    const leases: Lease[] = [];
    for (let i = 0; i < 120; i++)
      leases.push(
        s.acquireSync({
          issueId: `s-${i}`,
          agentId: 'agent:x',
          paths: i % 12 === 0 ? [`src/g${i}/**`] : [`src/m${i}/a.ts`, `src/m${i}/b.ts`, `src/m${i}/c.ts`],
        }),
      );
    expect(readFileSync(join(dir, 'state.json'), 'utf8').split('"src/').length - 1).toBeGreaterThan(256);
    const view = readStateView(dir)!;
    const now = Date.now();
    const full = buildLeaseIndex(leases, now);
    for (const f of ['src/m5/a.ts', 'src/m5', 'src/g24/deep/x.ts', 'src/none.ts', 'src']) {
      const sel = view.select({ files: [f] }, now);
      expect(ids(buildLeaseIndex(sel, now).holdersOf(f)), f).toEqual(ids(full.holdersOf(f)));
      expect(sel.length, f).toBeLessThan(12);
      const under = view.select({ dirs: [f] }, now);
      expect(ids(buildLeaseIndex(under, now).holdersUnder(f)), f).toEqual(ids(full.holdersUnder(f)));
    }
  });
});

describe('overlap check through the index', () => {
  const seg = fc.constantFrom('a', 'b', 'src', '.env', 'x.ts', '*', '**', '*.ts', '[ab]', '{a,b}', '.', '..', '');
  const path = fc.array(seg, { minLength: 1, maxLength: 4 }).map((s) => s.join('/'));

  it('two plain paths overlap exactly when they are equal (the Map is exact)', () => {
    fc.assert(
      fc.property(path, path, (a, b) => {
        if (isPlainPath(a) && isPlainPath(b)) expect(globsOverlap(a, b)).toBe(a === b);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the same first holder as comparing every pair', () => {
    const lease = (i: number, paths: string[]) => ({ id: `L-${i}`, paths }) as Lease;
    fc.assert(
      fc.property(
        fc.array(fc.array(path, { minLength: 1, maxLength: 3 }), { maxLength: 8 }),
        fc.array(path, { minLength: 1, maxLength: 3 }),
        (held, wanted) => {
          const live = held.map((ps, i) => lease(i, ps));
          let brute: number | undefined;
          live.forEach((l, i) => {
            if (brute === undefined && l.id !== 'L-1' && wanted.some((w) => l.paths.some((h) => globsOverlap(w, h))))
              brute = i;
          });
          expect(firstOverlapping(live, wanted, 'L-1')).toBe(brute);
        },
      ),
      { numRuns: 1500 },
    );
  });
});

describe('the shipped hook on a damaged index', () => {
  it('still refuses a held file when the index says nothing is live (checksum caught)', async () => {
    const { makeRepo } = await import('../support/git.js');
    const { DIST_HOOK } = await import('../support/paths.js');
    const { spawnSync } = await import('node:child_process');
    const r = makeRepo({ 'src/a.ts': 'a\n' });
    try {
      const dir = join(r.root, '.git', 'jit-parallel');
      const s = new LocalLeaseStore({ delta: false, storeDir: dir });
      for (let i = 0; i < 30; i++) s.acquireSync({ issueId: `i${i}`, agentId: 'agent:orch', paths: [`p${i}/x.ts`] });
      s.acquireSync({ issueId: 'held', agentId: 'agent:other', paths: ['src/a.ts'] });
      const edit = (file: string) =>
        JSON.stringify({
          session_id: 's',
          transcript_path: join(r.root, 't.jsonl'),
          cwd: r.root,
          hook_event_name: 'PreToolUse',
          tool_name: 'Edit',
          tool_input: { file_path: join(r.root, file), old_string: 'a', new_string: 'b' },
          tool_use_id: 'x',
          agent_id: 'a00000000000000001',
          agent_type: 'general-purpose',
        });
      const run = (file: string) =>
        spawnSync(process.execPath, [DIST_HOOK, 'pre-tool-use'], { input: edit(file), cwd: r.root, encoding: 'utf8' });
      expect(run('src/a.ts').stdout).toContain('"deny"');
      expect(run('p3/x.ts').stdout).toContain('"deny"');
      const file = join(dir, 'state.json');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/"liveUntil":\d+/, '"liveUntil":1'));
      expect(run('src/a.ts').stdout).toContain('"deny"');
      writeFileSync(
        file,
        readFileSync(file, 'utf8')
          .replace(/"liveUntil":\d+/, `"liveUntil":${Date.now() + 3_600_000}`)
          .replace(/"special":\[[\d,]*\]/, '"special":[0]'),
      );
      expect(run('p3/x.ts').stdout).toContain('"deny"');
      expect(run('src/free.ts').stdout).not.toContain('"deny"');
    } finally {
      r.cleanup();
    }
  });
});
