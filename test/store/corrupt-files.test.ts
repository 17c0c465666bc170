// Property-based fuzzing of damaged store files: readers and doctor never throw anything but
// a clear JitpError, and repair never loses the valid part of the log.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../support/git.js';
import { LocalLeaseStore } from '../../src/store/local/local-store.js';
import { readSnapshotSync } from '../../src/store/local/snapshot-read.js';
import { parseLog, readLog } from '../../src/store/local/event-log.js';
import { diagnose, repair } from '../../src/store/local/doctor.js';
import { replay } from '../../src/core/lease-rules.js';
import { isJitpError } from '../../src/platform/errors.js';

let base: string;
let golden: string;
let goldenState: string;
let goldenLog: Buffer;
let goldenDelta: string;
let goldenShape: ReturnType<typeof shape>;
let n = 0;

beforeAll(async () => {
  base = tempDir('jitp-corrupt-');
  golden = join(base, 'golden');
  const s = new LocalLeaseStore({ storeDir: golden });
  for (let i = 0; i < 6; i++)
    s.acquireSync({ issueId: `i${i}`, agentId: `agent:a${i % 2}`, paths: [`d${i}/**`], ttlSecs: 3600 });
  s.releaseSync({ issueId: 'i1', agentId: 'agent:a1' });
  s.extendSync({ issueId: 'i2', agentId: 'agent:a0' }, ['x/y']);
  const l = s.readSync().leases[0]!;
  s.bindSync(l.id, l.bindSecret!, 'sub-1');
  s.noteSync({ type: 'subagent-start', by: 'agent:a0' });
  goldenState = readFileSync(join(golden, 'state.json'), 'utf8');
  // The snapshot holds the first lease; the delta (state-delta.ts) the rest of the changes.
  goldenDelta = readFileSync(join(golden, 'state.delta.json'), 'utf8');
  goldenLog = readFileSync(join(golden, 'events.jsonl'));
  goldenShape = shape(readSnapshotSync(golden));
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

function fresh(): string {
  const d = join(base, `c${n++}`);
  mkdirSync(d);
  cpSync(golden, d, { recursive: true });
  return d;
}

const shape = (s: { version: number; leases: Array<{ id: string; paths: string[] }> }) => ({
  version: s.version,
  leases: s.leases.map((l) => `${l.id}:${l.paths.join(',')}`).sort(),
});

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.string({ maxLength: 40 }) }),
  fc.record({ kind: fc.constant('replace' as const), text: fc.oneof(fc.json(), fc.string({ maxLength: 60 })) }),
);
type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(buf: Buffer, m: Mutation): Buffer {
  if (m.kind === 'replace') return Buffer.from(m.text);
  const at = buf.length ? m.at % buf.length : 0;
  if (m.kind === 'truncate') return buf.subarray(0, at);
  if (m.kind === 'flip') {
    const b = Buffer.from(buf);
    if (b.length) b[at] = m.byte;
    return b;
  }
  return Buffer.concat([buf.subarray(0, at), Buffer.from(m.text), buf.subarray(at)]);
}

function isNewerSchema(text: string): boolean {
  try {
    const o = JSON.parse(text) as { schemaVersion?: unknown };
    return Number.isInteger(o?.schemaVersion) && (o.schemaVersion as number) > 2;
  } catch {
    return false;
  }
}

function onlyClearErrors(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    expect(isJitpError(e)).toBe(true);
    expect((e as { code: string }).code).toMatch(/^E_STORE/);
    return undefined;
  }
}

describe('damaged state file', () => {
  it('readers throw only clear errors; doctor never throws; repair restores exactly the logged state', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        const d = fresh();
        const bad = mutate(Buffer.from(goldenState), m);
        writeFileSync(join(d, 'state.json'), bad);
        const read = onlyClearErrors(() => readSnapshotSync(d));
        expect(() => diagnose(d)).not.toThrow();
        const rep = repair(d);
        if (read === undefined) {
          // "Newer" as the reader defines it: valid JSON naming a higher schema version (a damaged
          // file that merely contains `"schemaVersion":10:` is corrupt, and repair rebuilds it).
          const newer = isNewerSchema(bad.toString());
          if (!newer) {
            expect(rep.ok).toBe(true);
            expect(shape(readSnapshotSync(d))).toEqual(goldenShape);
          } else expect(rep.ok).toBe(false);
        }
        rmSync(d, { recursive: true, force: true });
      }),
      // Found by a CI-like run: `"schemaVersion":10:` is damage, not a newer schema.
      { numRuns: 150, examples: [[{ kind: 'insert', at: 18, text: '0:' }]] },
    );
  });
});

describe('damaged delta file', () => {
  it('readers throw only clear errors naming it; doctor never throws; repair restores the logged state', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        const d = fresh();
        const bad = mutate(Buffer.from(goldenDelta), m);
        writeFileSync(join(d, 'state.delta.json'), bad);
        let read: unknown;
        try {
          read = readSnapshotSync(d);
        } catch (e) {
          expect(isJitpError(e)).toBe(true);
          expect((e as { code: string }).code).toBe('E_STORE_CORRUPT');
          expect((e as Error).message).toMatch(/state\.delta\.json is corrupt/);
        }
        expect(() => diagnose(d)).not.toThrow();
        const rep = repair(d);
        // Its checksum covers every byte after it: a changed delta is damage, never a silent change.
        if (!bad.equals(Buffer.from(goldenDelta))) expect(read).toBeUndefined();
        expect(rep.ok).toBe(true);
        expect(shape(readSnapshotSync(d))).toEqual(goldenShape);
        rmSync(d, { recursive: true, force: true });
      }),
      { numRuns: 100 },
    );
  });
});

describe('damaged event log', () => {
  it('the reader keeps every intact line, reports the rest by line number, never throws', () => {
    const goldenEvents = parseLog(goldenLog).events;
    fc.assert(
      fc.property(mutation, (m) => {
        const bad = mutate(goldenLog, m);
        const r = parseLog(bad);
        const lines = bad.toString('utf8').split('\n');
        const intact = goldenEvents.filter((e) =>
          lines
            .slice(0, lines.length - 1)
            .includes(
              JSON.stringify(Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'line' && k !== 'offset'))),
            ),
        );
        // Every line of the original that survived whole is still read.
        for (const e of intact)
          expect(
            r.events.some(
              (x) =>
                x.version === e.version && x.type === e.type && JSON.stringify(x.lease) === JSON.stringify(e.lease),
            ),
          ).toBe(true);
        for (const b of r.bad) expect(b.line).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('with state AND log damaged, repair rebuilds from every intact event; writers keep working', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('insert', 'truncate'),
        fc.nat(),
        fc.string({ minLength: 1, maxLength: 30 }),
        (kind, at, text) => {
          const d = fresh();
          const pos = at % goldenLog.length;
          // Damage at a line boundary or inside a line: either way the surviving whole lines count.
          const badLog =
            kind === 'insert'
              ? Buffer.concat([
                  goldenLog.subarray(0, pos),
                  Buffer.from(`${text.replace(/\n/g, '')}\n`),
                  goldenLog.subarray(pos),
                ])
              : goldenLog.subarray(0, pos);
          writeFileSync(join(d, 'events.jsonl'), badLog);
          writeFileSync(join(d, 'state.json'), '{"garbage');
          const rep = repair(d);
          expect(rep.ok).toBe(true);
          const want = replay(readLog(join(d, 'events.jsonl')).events);
          expect(shape(readSnapshotSync(d))).toEqual(shape(want));
          // The store accepts changes again and the log stays readable.
          const s = new LocalLeaseStore({ storeDir: d });
          s.acquireSync({ issueId: 'new', agentId: 'agent:z', paths: ['zzz/**'], ttlSecs: 60 });
          const after = readLog(join(d, 'events.jsonl'));
          expect(after.tornTail).toBeNull();
          expect(after.events[after.events.length - 1]!.issueId).toBe('new');
          rmSync(d, { recursive: true, force: true });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a hand-inserted line in a healthy store is not cut off by the next writer', () => {
    const d = fresh();
    const lines = goldenLog.toString().split('\n');
    lines.splice(2, 0, 'hand edit');
    writeFileSync(join(d, 'events.jsonl'), lines.join('\n'));
    new LocalLeaseStore({ storeDir: d }).acquireSync({ issueId: 'new', agentId: 'agent:z', paths: [], ttlSecs: 60 });
    const r = readLog(join(d, 'events.jsonl'));
    expect(r.bad.map((b) => b.line)).toEqual([3]);
    expect(r.events.length).toBe(parseLog(goldenLog).events.length + 1);
  });
});
