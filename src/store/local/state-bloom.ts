// A Bloom filter of the snapshot's strings (`state.bloom`), for the writers' delta path only. A
// change searches state.json's bytes for the issue, the lease id and each path it asks for, and each
// search is a scan of the whole body: about 150 us at 1,000 leases (530 KB; the needles' characters,
// `"`, `/`, `.`, letters, are everywhere in JSON, so the search skips little), three of them for an
// acquire of two files. Most needles of a new acquire are in no line at all. The filter says so
// without the scan: every lease id, issue id and path of the snapshot is in it, so "not in the
// filter" means no lease holds that path, has that issue or that id, which is all a search finds
// that matters. "Maybe" means: search, as before.
//
// It is derived data and optional. It is written just before its snapshot's rename (temp + rename,
// not fsynced) and names that snapshot: its generation and its header checksum. A filter that does
// not name the snapshot on disk (a crash between the two renames, a snapshot written by the splice,
// a damaged file) is not used: the writer searches every needle. Hooks never read it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lease } from '../../core/model.js';
import { writeFileAtomic } from '../../platform/atomic-write.js';

export const BLOOM_FILE = 'state.bloom';
/** About 1% false "maybe" at 10 bits per string, 7 hashes. */
const BITS_PER = 10;
const K = 7;

export interface Bloom {
  mayHave(s: string): boolean;
}

/** Two 32-bit hashes of `s` (FNV-1a over its UTF-16 units, two offsets), for double hashing. */
function hashes(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, (b >>> 0) | 1];
}

/**
 * The strings a writer searches a snapshot for (state-splice.ts scan): lease ids, issue ids and
 * paths. A search may also find a line through another field holding the same string (an agent id,
 * a hand-off record), but such a line matters to no rule: they decide on the issue's lease, the
 * lease by id and the leases whose paths overlap.
 */
function needles(l: Lease, out: string[]): void {
  out.push(l.id, l.issueId);
  for (const p of l.paths) out.push(p);
}

/** FNV-1a over 32-bit words (a quarter of the steps of the byte-wise checksum): the filter's integrity. */
function wordSum(b: Buffer): string {
  const n = b.length >> 2;
  const w =
    b.byteOffset % 4 === 0
      ? new Uint32Array(b.buffer, b.byteOffset, n)
      : new Uint32Array(Uint8Array.from(b).buffer, 0, n);
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ w[i]!, 0x01000193);
  for (let i = n * 4; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

function bitsOf(leases: readonly Lease[]): Buffer {
  const all: string[] = [];
  for (const l of leases) needles(l, all);
  const m = Math.max(64, all.length * BITS_PER);
  const bits = Buffer.alloc(((m + 31) >> 5) * 4);
  const n = bits.length * 8;
  for (const s of all) {
    const [a, b] = hashes(s);
    for (let i = 0; i < K; i++) {
      const p = (a + Math.imul(i, b)) >>> 0;
      const q = p % n;
      bits[q >> 3]! |= 1 << (q & 7);
    }
  }
  return bits;
}

/** The file: a JSON line naming its snapshot (generation, header checksum) and its bits' checksum, then the bits. */
export function serializeBloom(gen: number, snapshotSum: string, leases: readonly Lease[]): Buffer {
  const bits = bitsOf(leases);
  // The bits start at a multiple of 4 bytes (spaces pad the head line), so a reader sums them as words.
  let head = JSON.stringify({ gen, snapshotSum, sum: wordSum(bits) });
  head = head.padEnd(head.length + ((4 - ((head.length + 1) % 4)) % 4));
  return Buffer.concat([Buffer.from(`${head}\n`, 'latin1'), bits]);
}

/** Writes the filter of the snapshot about to be renamed into place (see the top of this file). */
export function writeBloom(storeDir: string, gen: number, snapshotSum: string, leases: readonly Lease[]): void {
  writeFileAtomic(join(storeDir, BLOOM_FILE), serializeBloom(gen, snapshotSum, leases));
}

/** The filter of the snapshot of generation `gen` whose header checksum is `snapshotSum`; undefined: none that fits. */
export function readBloom(storeDir: string, gen: number, snapshotSum: string): Bloom | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(join(storeDir, BLOOM_FILE));
  } catch {
    return undefined;
  }
  return bloomOf(buf, gen, snapshotSum);
}

export function bloomOf(buf: Buffer, gen: number, snapshotSum: string): Bloom | undefined {
  const nl = buf.indexOf(0x0a);
  if (nl < 0) return undefined;
  let h: { gen?: unknown; snapshotSum?: unknown; sum?: unknown };
  try {
    h = JSON.parse(buf.toString('latin1', 0, nl)) as typeof h;
  } catch {
    return undefined;
  }
  const bits = buf.subarray(nl + 1);
  if (h.gen !== gen || h.snapshotSum !== snapshotSum || !bits.length || h.sum !== wordSum(bits)) return undefined;
  const n = bits.length * 8;
  return {
    mayHave(s) {
      const [a, b] = hashes(s);
      for (let i = 0; i < K; i++) {
        const q = ((a + Math.imul(i, b)) >>> 0) % n;
        if (!(bits[q >> 3]! & (1 << (q & 7)))) return false;
      }
      return true;
    },
  };
}
