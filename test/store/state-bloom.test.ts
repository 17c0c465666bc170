// The writers' filter of the snapshot's strings (src/store/local/state-bloom.ts): never a false "not
// there" (a change would miss a holder), rarely a false "maybe" (a scan for nothing), and used only
// for the snapshot it names.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as rules from '../../src/core/lease-rules.js';
import { LocalLeaseStore } from '../../src/store/local/local-store.js';
import { BLOOM_FILE, bloomOf, readBloom, serializeBloom } from '../../src/store/local/state-bloom.js';
import { readStateForWrite } from '../../src/store/local/snapshot-read.js';
import { SUM2_END } from '../../src/store/local/state-format.js';
import { tempDir } from '../support/git.js';

const root = tempDir('jitp-bloom-');
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the filter', () => {
  it('holds every lease id, issue id and path (random stores), and says "maybe" to few others', () => {
    let falseMaybe = 0;
    let asked = 0;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 6 })), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.array(fc.string({ minLength: 1, maxLength: 12 }), { maxLength: 40 }),
        (wanted, others) => {
          let s = rules.emptySnapshot();
          wanted.forEach(([paths], i) => {
            try {
              s = rules.acquire(
                s,
                { issueId: `ä-${i}`, agentId: 'agent:x', paths, ttlSecs: 60 },
                { nowMs: 0 },
              ).snapshot;
            } catch {
              /* a path the rules refuse, or held: not taken */
            }
          });
          const b = bloomOf(serializeBloom(3, 'abcd0123', s.leases), 3, 'abcd0123')!;
          for (const l of s.leases) {
            for (const x of [l.id, l.issueId, ...l.paths]) expect(b.mayHave(x), x).toBe(true);
          }
          const known = new Set(s.leases.flatMap((l) => [l.id, l.issueId, ...l.paths]));
          for (const o of others)
            if (!known.has(o)) {
              asked++;
              if (b.mayHave(o)) falseMaybe++;
            }
        },
      ),
      { numRuns: 200 },
    );
    expect(falseMaybe / asked).toBeLessThan(0.05);
  });

  it('is used only for the snapshot it names, and only whole', () => {
    const buf = serializeBloom(3, 'abcd0123', []);
    expect(bloomOf(buf, 3, 'abcd0123')).toBeDefined();
    expect(bloomOf(buf, 4, 'abcd0123')).toBeUndefined();
    expect(bloomOf(buf, 3, 'abcd0124')).toBeUndefined();
    const bad = Buffer.from(buf);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    expect(bloomOf(bad, 3, 'abcd0123')).toBeUndefined();
    expect(bloomOf(buf.subarray(0, buf.length - 1), 3, 'abcd0123')).toBeUndefined();
    expect(bloomOf(Buffer.from('{'), 3, 'abcd0123')).toBeUndefined();
  });

  it('a store writes it with each new snapshot; a stale or damaged one is ignored, answers unchanged', () => {
    const dir = join(root, 's');
    const st = new LocalLeaseStore({ storeDir: dir });
    for (let i = 0; i < 20; i++) st.acquireSync({ issueId: `i${i}`, agentId: 'agent:o', paths: [`p${i}/a.ts`] });
    new LocalLeaseStore({ storeDir: dir, incremental: false }).noteSync({ type: 'fold', by: 'x' });
    const snap = readFileSync(join(dir, 'state.json'));
    const gen = readStateForWrite(dir)!.st.gen!;
    const sum = snap.toString('latin1', SUM2_END - 9, SUM2_END - 1);
    const b = readBloom(dir, gen, sum)!;
    expect(b.mayHave('p7/a.ts')).toBe(true);
    expect(b.mayHave('i7')).toBe(true);
    // Damaged: not used; the change searches and still finds the holder.
    const file = join(dir, BLOOM_FILE);
    writeFileSync(file, Buffer.alloc(readFileSync(file).length));
    expect(readBloom(dir, gen, sum)).toBeUndefined();
    expect(() => st.acquireSync({ issueId: 'x', agentId: 'agent:x', paths: ['p7/a.ts'] })).toThrow(/held/);
    expect(st.lastPath).toBe('delta');
  });
});
