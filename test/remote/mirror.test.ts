// The mirror file: atomic, never moves back to an older store version, tolerant of garbage.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { mirrorAgeSecs, mirrorPath, readMirror, writeMirror, type RemoteMirror } from '../../src/remote/mirror.js';
import { tempDir } from '../support/git.js';
import { rmSync } from 'node:fs';

let dir: string;
beforeEach(() => {
  dir = tempDir('jitp-mirror-');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const m = (version: number, fetchedAt = '2026-01-01T00:00:00.000Z'): RemoteMirror => ({
  schemaVersion: 1,
  backend: 'remote',
  remote: 'origin',
  fetchedAt,
  source: 'fetch',
  indexCommit: `c${version}`,
  version,
  leases: [],
  leaseCommits: {},
});

test('a newer version replaces, an older one never does, the same one refreshes fetchedAt', () => {
  writeMirror(dir, m(5));
  writeMirror(dir, m(3));
  expect(readMirror(dir, 'origin')!.version).toBe(5);
  writeMirror(dir, m(5, '2026-01-01T00:01:00.000Z'));
  expect(readMirror(dir, 'origin')!.fetchedAt).toBe('2026-01-01T00:01:00.000Z');
  writeMirror(dir, m(6));
  expect(readMirror(dir, 'origin')!.version).toBe(6);
  expect(readdirSync(dir)).toEqual(['remote-origin.json']); // no temp files left behind
});

test.each([['not json {'], ['{"schemaVersion":9}'], ['null'], ['{"schemaVersion":1,"backend":"remote","leases":{}}']])(
  'unreadable mirror %j reads as absent (callers refetch)',
  (text) => {
    writeFileSync(mirrorPath(dir, 'origin'), text);
    expect(readMirror(dir, 'origin')).toBeUndefined();
    writeMirror(dir, m(1)); // and is replaced by the next write
    expect(readMirror(dir, 'origin')!.version).toBe(1);
  },
);

test('age is measured from fetchedAt; an unparsable time is infinitely old', () => {
  expect(mirrorAgeSecs(m(1, '2026-01-01T00:00:00.000Z'), Date.parse('2026-01-01T00:00:42.000Z'))).toBe(42);
  expect(mirrorAgeSecs(m(1, 'yesterday'))).toBe(Infinity);
});

test('remote names become safe, distinct file names', () => {
  expect(mirrorPath(dir, 'team/up')).not.toBe(mirrorPath(dir, 'team_up'));
  expect(mirrorPath(dir, '../x')).toBe(join(dir, 'remote-..%2Fx.json'));
});

test('secrets of vanished leases are pruned, but not while their acquire may still be in flight', async () => {
  const { saveSecret, loadSecrets, pruneSecrets } = await import('../../src/remote/local-files.js');
  saveSecret(dir, 'origin', 'L-old', 'a'.repeat(32));
  saveSecret(dir, 'origin', 'L-live', 'b'.repeat(32));
  pruneSecrets(dir, 'origin', []);
  expect([...loadSecrets(dir, 'origin').keys()].sort()).toEqual(['L-live', 'L-old']);
  pruneSecrets(dir, 'origin', [{ id: 'L-live' } as never], Date.now() + 11 * 60_000);
  expect([...loadSecrets(dir, 'origin').keys()]).toEqual(['L-live']);
  saveSecret(dir, 'origin', '../escape', 'x'); // ids that are not plain names are never written
  expect([...loadSecrets(dir, 'origin').keys()]).toEqual(['L-live']);
});
