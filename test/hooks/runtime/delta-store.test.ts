// A store whose newest changes are in its delta (src/store/local/state-delta.ts) must answer as the
// same leases written whole. Every case runs through the real bundle (dist/hook.cjs) on the leases
// written plainly, then on stores where the snapshot holds stale versions of them (a lease with other
// paths, a lease since released that held a file the cases edit) and the delta holds the truth:
// small (whole parse), large (the partial reader) and an empty snapshot (the fast check must count
// the delta's leases). The answers must be the same.
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatBindingLine } from '../../../src/core/binding.js';
import * as rules from '../../../src/core/lease-rules.js';
import type { Lease, StoreSnapshot } from '../../../src/core/model.js';
import { VIEW_MIN_BYTES } from '../../../src/hooks/runtime/store-access.js';
import { readStateFile, readStateForWrite } from '../../../src/store/local/snapshot-read.js';
import { DELTA_FILE, serializeDelta } from '../../../src/store/local/state-delta.js';
import { writeStateFile } from '../../../src/store/local/state-write.js';
import { makeRepo, tempDir, type TempRepo } from '../../support/git.js';
import { writeSubagentTranscript } from '../../support/transcript.js';
import { preToolUse, preToolUseOut } from '../../support/hook-input.js';

let repo: TempRepo;
let transcripts: string;
let storeDir: string;
const SESSION = 'sess-delta';
const SUB = 'a00000000000000d1';
let truth: Lease[];
let stale: Lease[];
let fillers: Lease[];
let A: Lease;

beforeAll(() => {
  repo = makeRepo({ 'src/a.ts': 'a\n', 'src/b.ts': 'b\n', 'lib/x/y.ts': 'y\n', 'docs/guide.md': 'g\n' });
  transcripts = tempDir('jitp-transcripts-');
  storeDir = join(repo.root, '.git', 'jit-parallel');
  mkdirSync(storeDir, { recursive: true });
  const now = Date.now();
  let s = rules.emptySnapshot();
  const take = (issueId: string, agentId: string, paths: string[]) => {
    const c = rules.acquire(s, { issueId, agentId, paths, ttlSecs: 3600 }, { nowMs: now });
    s = c.snapshot;
    return c.lease;
  };
  // The leases the snapshot holds in an older form: released since (`gone`, holding src/free.ts),
  // and A with other paths (its delta version holds src/a.ts).
  const gone = take('issue-gone', 'agent:other', ['src/free.ts']);
  A = take('issue-a', 'agent:claude', ['src/a.ts']);
  const B = take('issue-b', 'agent:other', ['src/b.ts']);
  const G = take('issue-g', 'agent:other', ['lib/**']);
  const D = take('issue-d', 'agent:other', ['docs']);
  const M = take('issue-mine', 'agent:claude', ['src/main-own.ts']);
  truth = [A, B, G, D, M];
  stale = [gone, { ...A, paths: ['zzz/old-a.ts'] }, B];
  fillers = [];
  for (let i = 0; i < 400; i++)
    fillers.push(take(`fill-${i}`, 'agent:filler', [`pkg${i}/src/one.ts`, `pkg${i}/src/two.ts`]));
  writeSubagentTranscript(transcripts, SESSION, SUB, `${formatBindingLine(A.id, A.bindSecret!)}\nwork on issue-a`);
  writeFileSync(join(repo.root, 'src/free.ts'), 'f\n');
});
afterAll(() => repo.cleanup());

const snap = (leases: Lease[]): StoreSnapshot => ({ schemaVersion: 1, version: 50, leases });

/** Writes `base` as a marked snapshot of generation 4 and a delta that turns it into `base` - gone + truth. */
function writeSplit(base: Lease[]): void {
  writeStateFile(storeDir, { ...snap(base), logSize: 0 }, { gen: 4, marked: true });
  const lines = readStateForWrite(storeDir)!.lines!;
  const at = (id: string) => [...lines.at].find(([l]) => l.id === id)?.[1].start;
  const ids = new Set(truth.map((l) => l.id));
  const drop = base.filter((l) => !ids.has(l.id) && !l.issueId.startsWith('fill-')).map((l) => [at(l.id)!, l.id]);
  const baseIds = new Set(base.map((l) => l.id));
  const put = [...truth.filter((l) => baseIds.has(l.id)), ...truth.filter((l) => !baseIds.has(l.id))];
  const merged = [...base.filter((l) => l.issueId.startsWith('fill-')), ...truth];
  const ts = merged.map((l) => Date.parse(l.expiresAt));
  writeFileSync(
    join(storeDir, DELTA_FILE),
    serializeDelta({
      gen: 4,
      version: 60,
      logSize: 0,
      count: merged.length,
      liveUntil: Math.max(...ts),
      nextExpiry: Math.min(...ts),
      drop: drop as [number, string][],
      at: put.map((l) => at(l.id) ?? -1),
      leases: put,
    }),
  );
}

const hook = (payload: object): string => preToolUseOut(repo.root, payload);

const pre = (tool: string, tool_input: Record<string, unknown>, agent?: string) =>
  preToolUse(tool, tool_input, { session: SESSION, transcripts, cwd: repo.root, agent });
const edit = (file: string, agent?: string) =>
  pre('Edit', { file_path: join(repo.root, file), old_string: 'a', new_string: 'b' }, agent);
const bash = (command: string, agent?: string) => pre('Bash', { command, description: 'x' }, agent);

type Layout = 'plain' | 'small+delta' | 'large+delta' | 'empty+delta';

function answer(layout: Layout, payload: object) {
  for (const f of readdirSync(storeDir)) rmSync(join(storeDir, f), { recursive: true, force: true });
  if (layout === 'plain') writeStateFile(storeDir, { ...snap(truth), logSize: 0 });
  else writeSplit(layout === 'small+delta' ? stale : layout === 'large+delta' ? [...stale, ...fillers] : []);
  const out = hook(payload).replace(/in \d+ min/g, 'in N min');
  const after = readStateFile(storeDir)!.leases.filter((l) => !l.issueId.startsWith('fill-'));
  return { out, after: after.map((l) => ({ id: l.id, paths: l.paths, meta: l.meta })) };
}

const CASES: Array<[string, () => object, 'deny' | 'quiet' | 'any']> = [
  ['sub-agent, first call (binds by transcript): own file', () => edit('src/a.ts', SUB), 'quiet'],
  ['sub-agent: a file another lease holds', () => edit('src/b.ts', SUB), 'deny'],
  ['sub-agent: a file under a glob lease', () => edit('lib/x/y.ts', SUB), 'deny'],
  ['sub-agent: a file under a folder lease', () => edit('docs/guide.md', SUB), 'deny'],
  ['sub-agent: a file only a released lease held (extends its lease)', () => edit('src/free.ts', SUB), 'any'],
  ['sub-agent: a path of its lease’s stale version', () => edit('zzz/old-a.ts', SUB), 'any'],
  ['sub-agent Bash: rm -r lib', () => bash('rm -r lib', SUB), 'deny'],
  ['sub-agent Bash: write of a held file', () => bash('echo x >> src/b.ts', SUB), 'deny'],
  ['main agent: its own lease', () => edit('src/main-own.ts'), 'quiet'],
  ['main agent: another agent’s file', () => edit('src/b.ts'), 'deny'],
  ['main agent: a file only a released lease held', () => edit('src/free.ts'), 'any'],
  ['main agent Bash: git checkout -- docs', () => bash('git checkout -- docs'), 'deny'],
];

describe('a store with a delta answers as the same leases written whole', () => {
  test('the layouts: small and empty snapshots under the partial-reader threshold, the large one past it', () => {
    writeSplit(stale);
    expect(readStateFile(storeDir)!.leases).toEqual(truth);
    expect(statSync(join(storeDir, 'state.json')).size).toBeLessThan(VIEW_MIN_BYTES);
    writeSplit([...stale, ...fillers]);
    // The order a whole rewrite keeps: the snapshot's lines (A replaced in place), then the new leases.
    const A2 = truth[0]!;
    expect(readStateFile(storeDir)!.leases.map((l) => l.issueId)).toEqual(
      [A2, truth[1]!, ...fillers, ...truth.slice(2)].map((l) => l.issueId),
    );
    expect(statSync(join(storeDir, 'state.json')).size).toBeGreaterThan(VIEW_MIN_BYTES);
    writeSplit([]);
    expect(readStateFile(storeDir)!.leases).toEqual(truth);
  });

  test.each(CASES)('%s', (_name, payload, kind) => {
    const plain = answer('plain', payload());
    if (kind === 'deny') expect(plain.out).toContain('"deny"');
    if (kind === 'quiet') expect(plain.out).toBe('');
    for (const layout of ['small+delta', 'large+delta', 'empty+delta'] as const)
      expect(answer(layout, payload()), layout).toEqual(plain);
  });

  test('a delta that drops every live lease: nothing is live, the fast check lets every edit through', () => {
    for (const f of readdirSync(storeDir)) rmSync(join(storeDir, f), { recursive: true, force: true });
    writeStateFile(storeDir, { ...snap(truth), logSize: 0 }, { gen: 2, marked: true });
    const lines = readStateForWrite(storeDir)!.lines!;
    writeFileSync(
      join(storeDir, DELTA_FILE),
      serializeDelta({
        gen: 2,
        version: 51,
        logSize: 0,
        count: 0,
        liveUntil: 0,
        nextExpiry: 0,
        drop: [...lines.at].map(([l, r]) => [r.start, l.id] as [number, string]),
        at: [],
        leases: [],
      }),
    );
    expect(hook(edit('src/b.ts'))).toBe('');
    // The same store without the delta denies it: the delta is what answered.
    rmSync(join(storeDir, DELTA_FILE));
    expect(hook(edit('src/b.ts'))).toContain('"deny"');
  });

  test('a damaged delta: the hook does not allow on a guess (the failure policy answers)', () => {
    writeSplit(stale);
    const file = join(storeDir, DELTA_FILE);
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace('src/b.ts', 'src/c.ts'));
    const out = hook(edit('src/b.ts'));
    expect(out).toMatch(/corrupt/);
  });
});
