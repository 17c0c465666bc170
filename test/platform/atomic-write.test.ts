// writeFileAtomic: whole old or whole new file for every reader, under concurrent writers in
// real processes; exact modes; folders made on demand; nothing left behind on failure.
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempPathFor, writeFileAtomic } from '../../src/platform/atomic-write.js';
import { tempDir } from '../support/git.js';
import { bundleWorker, runWorker } from './support.js';

let dir: string;
let worker: string;
beforeAll(async () => {
  dir = tempDir('jitp-atomic-');
  worker = await bundleWorker(dir);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('replaces the content; the temp name is hidden, unique, next to the target, and gone after', () => {
    const f = join(dir, 'a.json');
    writeFileSync(f, 'old');
    writeFileAtomic(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const t1 = tempPathFor(f);
    expect(t1).toMatch(new RegExp(`^${dir}/\\.a\\.json\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
    expect(tempPathFor(f)).not.toBe(t1);
  });

  it('mode is exact whatever the umask (a secret is 0600, a hook script 0755)', () => {
    const old = process.umask(0o077);
    try {
      writeFileAtomic(join(dir, 'hook'), '#!/bin/sh\n', { mode: 0o755 });
      expect(statSync(join(dir, 'hook')).mode & 0o777).toBe(0o755);
    } finally {
      process.umask(old);
    }
    writeFileAtomic(join(dir, 'secret'), 's', { mode: 0o600, fsync: true });
    expect(statSync(join(dir, 'secret')).mode & 0o777).toBe(0o600);
  });

  it('mkdir: creates missing folders (with their mode); without it a missing folder is an error', () => {
    const f = join(dir, 'x', 'y', 'z.txt');
    expect(() => writeFileAtomic(f, '1')).toThrow(/ENOENT/);
    writeFileAtomic(f, '1', { mkdir: { mode: 0o700 } });
    expect(readFileSync(f, 'utf8')).toBe('1');
    expect(statSync(join(dir, 'x', 'y')).mode & 0o777).toBe(0o700);
  });

  it('a failure before the rename leaves the old file and no temp file', () => {
    const f = join(dir, 'keep.txt');
    writeFileSync(f, 'old');
    expect(() =>
      writeFileAtomic(f, 'new', {
        beforeRename: () => {
          throw new Error('boom');
        },
      }),
    ).toThrow('boom');
    expect(readFileSync(f, 'utf8')).toBe('old');
    expect(readdirSync(dir).filter((n) => n.startsWith('.keep.txt'))).toEqual([]);
  });

  it('the target is a folder: the error says so and no temp file is left', () => {
    const d = join(dir, 'is-a-dir');
    mkdirSync(d);
    expect(() => writeFileAtomic(d, 'x')).toThrow(/EISDIR|EEXIST|ENOTEMPTY|EPERM/);
    expect(readdirSync(dir).filter((n) => n.startsWith('.is-a-dir'))).toEqual([]);
  });

  it(
    '6 processes rewriting one 256 KiB file while it is read: every read is one whole version, no temp ' + 'left',
    async () => {
      const f = join(dir, 'race.txt');
      const chars = ['a', 'b', 'c', 'd', 'e', 'f'];
      writeFileAtomic(f, 'z'.repeat(256 * 1024));
      const writers = chars.map((ch) => runWorker(worker, ['write', f, ch, '256', '30']));
      let reads = 0;
      let torn = 0;
      let done = false;
      void Promise.all(writers).then(() => (done = true));
      while (!done) {
        const text = readFileSync(f, 'utf8');
        reads++;
        if (text.length !== 256 * 1024 || text !== text[0]!.repeat(text.length)) torn++;
        await new Promise((r) => setImmediate(r));
      }
      const results = await Promise.all(writers);
      for (const r of results) expect(r.stderr).toBe('');
      expect(reads).toBeGreaterThan(0);
      expect(torn).toBe(0);
      expect(readdirSync(dir).filter((n) => n.startsWith('.race.txt'))).toEqual([]);
    },
    60_000,
  );
});
