// A large store (state.json past VIEW_MIN_BYTES) is answered through its index, parsing only the
// leases a question needs (hooks/runtime/large-store.ts). Its answers must be the small store's:
// every case runs through the real bundle twice, on the same leases alone and with 400 more
// leases of other packages around them, and the two answers must be the same.
import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatBindingLine } from '../../../src/core/binding.js';
import * as rules from '../../../src/core/lease-rules.js';
import type { Lease, StoreSnapshot } from '../../../src/core/model.js';
import { VIEW_MIN_BYTES } from '../../../src/hooks/runtime/store-access.js';
import { readStateFile } from '../../../src/store/local/snapshot-read.js';
import { readHeader } from '../../../src/store/local/state-format.js';
import { writeStateFile } from '../../../src/store/local/state-write.js';
import { makeRepo, tempDir, type TempRepo } from '../../support/git.js';
import { writeSubagentTranscript } from '../../support/transcript.js';
import { preToolUse, preToolUseOut } from '../../support/hook-input.js';

let repo: TempRepo;
let transcripts: string;
let storeDir: string;
const SESSION = 'sess-large';
const SUB = 'a00000000000000a1';
let small: StoreSnapshot;
let large: StoreSnapshot;
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
  A = take('issue-a', 'agent:claude', ['src/a.ts']);
  take('issue-b', 'agent:other', ['src/b.ts']);
  take('issue-g', 'agent:other', ['lib/**']);
  take('issue-d', 'agent:other', ['docs']);
  take('issue-mine', 'agent:claude', ['src/main-own.ts']);
  small = s;
  for (let i = 0; i < 400; i++)
    take(`fill-${i}`, 'agent:filler', [`pkg${i}/src/one.ts`, `pkg${i}/src/two.ts`, `pkg${i}/README.md`]);
  large = s;
  writeSubagentTranscript(transcripts, SESSION, SUB, `${formatBindingLine(A.id, A.bindSecret!)}\nwork on issue-a`);
  writeFileSync(join(repo.root, 'src/free.ts'), 'f\n');
  linkSync(join(repo.root, 'src/b.ts'), join(repo.root, 'twin.ts'));
});
afterAll(() => repo.cleanup());

const hook = (payload: object): string => preToolUseOut(repo.root, payload);

const pre = (tool: string, tool_input: Record<string, unknown>, agent?: string) =>
  preToolUse(tool, tool_input, { session: SESSION, transcripts, cwd: repo.root, agent });
const edit = (file: string, agent?: string) =>
  pre('Edit', { file_path: join(repo.root, file), old_string: 'a', new_string: 'b' }, agent);
const bash = (command: string, agent?: string) => pre('Bash', { command, description: 'x' }, agent);

/** The answer and what the store holds afterwards (bind and extend write to it), for one state. */
function answer(state: StoreSnapshot, payload: object) {
  // Each run starts from the same store: no binding records left by the run before.
  for (const f of readdirSync(storeDir))
    if (f !== 'state.json') rmSync(join(storeDir, f), { recursive: true, force: true });
  writeStateFile(storeDir, { ...state, logSize: 0 });
  // "in N min" is counted from the clock at the call: the two runs may straddle a minute.
  const out = hook(payload).replace(/in \d+ min/g, 'in N min');
  const after = readStateFile(storeDir)!.leases.filter((l) => !l.issueId.startsWith('fill-'));
  return { out, after: after.map((l) => ({ id: l.id, paths: l.paths, meta: l.meta })) };
}

const CASES: Array<[string, () => object, 'deny' | 'quiet' | 'any']> = [
  ['sub-agent, first call (binds by transcript): own file', () => edit('src/a.ts', SUB), 'quiet'],
  ['sub-agent: a file another lease holds', () => edit('src/b.ts', SUB), 'deny'],
  ['sub-agent: a file under a glob lease', () => edit('lib/x/y.ts', SUB), 'deny'],
  ['sub-agent: a file under a folder lease', () => edit('docs/guide.md', SUB), 'deny'],
  ['sub-agent: a hard link of a held file', () => edit('twin.ts', SUB), 'deny'],
  ['sub-agent: a free file (extends its lease)', () => edit('src/free.ts', SUB), 'any'],
  ['sub-agent Bash: rm -rf src (a folder holding another lease)', () => bash('rm -rf src', SUB), 'deny'],
  ['sub-agent Bash: rm -r lib', () => bash('rm -r lib', SUB), 'deny'],
  ['sub-agent Bash: read-only', () => bash('git status && ls src', SUB), 'quiet'],
  ['sub-agent Bash: write of its own file', () => bash("sed -i 's/a/b/' src/a.ts", SUB), 'quiet'],
  ['sub-agent Bash: write of a held file', () => bash('echo x >> src/b.ts', SUB), 'deny'],
  ['unbound sub-agent: a held file', () => edit('src/b.ts', 'b00000000000000b2'), 'deny'],
  ['main agent: its own lease', () => edit('src/main-own.ts'), 'quiet'],
  ['main agent: another agent’s file', () => edit('src/b.ts'), 'deny'],
  ['main agent Bash: git checkout -- docs', () => bash('git checkout -- docs'), 'deny'],
];

describe('a large store answers as the same leases in a small one', () => {
  test('the large state is past the threshold, the small one is not', () => {
    writeStateFile(storeDir, { ...large, logSize: 0 });
    expect(statSync(join(storeDir, 'state.json')).size).toBeGreaterThan(VIEW_MIN_BYTES);
    writeStateFile(storeDir, { ...small, logSize: 0 });
    expect(statSync(join(storeDir, 'state.json')).size).toBeLessThan(VIEW_MIN_BYTES);
  });

  test.each(CASES)('%s', (_name, payload, kind) => {
    const s = answer(small, payload());
    const l = answer(large, payload());
    if (kind === 'deny') expect(s.out).toContain('"deny"');
    if (kind === 'quiet') expect(s.out).toBe('');
    expect(l).toEqual(s);
  });

  test('the index is what answers: a lease line no question needs is never parsed', () => {
    // A filler lease's line made unparsable, checksum recomputed: a whole parse would call the
    // store corrupt (so a small store is); the large store's answers do not read that line.
    writeStateFile(storeDir, { ...large, logSize: 0 });
    const file = join(storeDir, 'state.json');
    let text = readFileSync(file, 'utf8');
    // Same length (layout 2's header records it); the line's own checksum no longer matches either.
    text = text.replace('"issueId":"fill-200"', '"issueId":fill-2000"');
    const buf = Buffer.from(text, 'utf8');
    expect(readHeader(buf).kind).toBe('ok');
    writeFileSync(file, buf);
    const first = hook(edit('docs/guide.md'));
    expect(first, first).toContain('"deny"');
    // A question about that lease's own package does parse it, and says the store is corrupt.
    const out = hook(edit('pkg200/src/one.ts'));
    expect(out).toMatch(/corrupt/);
  });
});
