// The writer copies the lines of unchanged leases instead of serialising them again
// (snapshot-read.ts readStateForWrite, state-format.ts serializeIndexed): the file it writes must
// be byte for byte the one a full serialisation writes, whatever changed where.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import * as rules from '../../src/core/lease-rules.js';
import { readStateForWrite } from '../../src/store/local/snapshot-read.js';
import { serializeIndexed } from '../../src/store/local/state-format.js';
import { writeStateFile } from '../../src/store/local/state-write.js';
import { tempDir } from '../support/git.js';

const dir = tempDir('jitp-lines-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('copied lines give the same bytes as a full serialisation, for every kind of change', () => {
  const now = Date.now();
  let s = rules.emptySnapshot();
  for (let i = 0; i < 40; i++)
    s = rules.acquire(
      s,
      { issueId: `i-${i}`, agentId: 'a', paths: [`p${i}/ä ${i}.ts`, `p${i}/**`].slice(0, 1 + (i % 2)), ttlSecs: 600 },
      { nowMs: now },
    ).snapshot;
  writeStateFile(dir, { ...s, logSize: 10 });
  const changes: Array<(x: typeof s) => typeof s> = [
    (x) => rules.acquire(x, { issueId: 'new', agentId: 'b', paths: ['n.ts'], ttlSecs: 60 }, { nowMs: now }).snapshot,
    (x) => rules.release(x, { issueId: 'i-0', agentId: 'a' }, { nowMs: now }).snapshot,
    (x) => rules.release(x, { issueId: 'i-20', agentId: 'a' }, { nowMs: now }).snapshot,
    (x) => rules.release(x, { issueId: 'i-39', agentId: 'a' }, { nowMs: now }).snapshot,
    (x) => rules.extend(x, { issueId: 'i-7', agentId: 'a' }, ['p7/more.ts'], { nowMs: now }).snapshot,
    (x) => rules.renew(x, { issueId: 'i-8', agentId: 'a' }, { nowMs: now + 1000 }).snapshot,
    (x) => rules.sweep(x, { nowMs: now + 3600_000 }).snapshot,
  ];
  for (const change of changes) {
    const read = readStateForWrite(dir)!;
    expect(read.lines).toBeDefined();
    const next = { ...change(read.st), logSize: read.st.logSize + 1 };
    const copied = serializeIndexed(next, read.lines);
    expect(copied.equals(serializeIndexed(next))).toBe(true);
    writeStateFile(dir, next, { lines: read.lines });
    expect(readFileSync(join(dir, 'state.json')).equals(copied)).toBe(true);
  }
});

test('a lease read for a write cannot be changed in place (its copied line would go stale)', () => {
  const read = readStateForWrite(dir)!;
  const l = read.st.leases[0]!;
  expect(() => {
    (l as { expiresAt: string }).expiresAt = 'x';
  }).toThrow(TypeError);
  expect(() => (l.paths as string[]).push('x')).toThrow(TypeError);
});
