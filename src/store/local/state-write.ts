// Commits a new state file: unique temp name, data fsynced, renamed over state.json. The rename
// is the commit point: readers see the whole old file or the whole new one, never a mix. The
// optional folder fsync (strict durability) is left to the caller, who does it after
// unlocking (see LocalLeaseStore.transact).
import { join } from 'node:path';
import { fsyncDir, writeFileAtomic } from '../../platform/atomic-write.js';
import { crashPoint } from './crash.js';
import { STATE_FILE, type StateFile } from './snapshot-read.js';
import { SUM2_END, serializeIndexed, type SnapshotForm, type SourceLines } from './state-format.js';
import { writeBloom } from './state-bloom.js';
import { DELTA_FILE } from './state-delta.js';

/**
 * Folder fsync after the rename: on only with `JITP_STRICT_DURABILITY=1`. Without it a crash of
 * any process still leaves exactly the old or the new state (the rename is atomic and the new
 * file's data is fsynced before it), and the rename reaches the disk with the next journal
 * commit: the next change's data fsync, or the file system's commit timer (ext4: 5 s). Only a
 * power cut inside that window can lose the last acknowledged change, and it then loses it
 * whole. The extra fsync per change cost 1.4x-3x throughput on the benchmark disk.
 */
const DIR_FSYNC = process.env.JITP_STRICT_DURABILITY === '1';

/** The indexed layout (state-format.ts): one JSON document, a lease per line, checksummed. */
export const serializeState = (st: StateFile, lines?: SourceLines, form?: SnapshotForm): Buffer =>
  serializeIndexed(st, lines, form);

/** `gen`, `marked`: the new snapshot's generation (state-delta.ts) and schema (state-format.ts MARKED_PREFIX). */
export function writeStateFile(
  storeDir: string,
  st: StateFile,
  opts: { dirFsync?: boolean; lines?: SourceLines } & SnapshotForm = {},
): void {
  const bytes = serializeState(st, opts.lines, opts);
  // The writers' filter of the snapshot's strings (state-bloom.ts), named after it: before its rename.
  if (opts.marked) writeBloom(storeDir, opts.gen ?? 0, bytes.toString('latin1', SUM2_END - 9, SUM2_END - 1), st.leases);
  writeFileAtomic(join(storeDir, STATE_FILE), bytes, {
    fsync: true,
    beforeRename: () => crashPoint('temp-written'),
  });
  crashPoint('renamed');
  if (opts.dirFsync !== false) syncDirIfEnabled(storeDir);
}

/** Commits state bytes made elsewhere (state-splice.ts), exactly as writeStateFile commits its own. */
export function writeStateBytes(storeDir: string, bytes: Uint8Array | readonly Uint8Array[]): void {
  writeFileAtomic(join(storeDir, STATE_FILE), bytes, { fsync: true, beforeRename: () => crashPoint('temp-written') });
  crashPoint('renamed');
}

/** Commits a new delta (state-delta.ts): the same temp file + fsync + rename, and the same crash points. */
export function writeDeltaBytes(storeDir: string, bytes: Uint8Array): void {
  writeFileAtomic(join(storeDir, DELTA_FILE), bytes, { fsync: true, beforeRename: () => crashPoint('temp-written') });
  crashPoint('renamed');
}

export function syncDirIfEnabled(storeDir: string): void {
  if (DIR_FSYNC) fsyncDir(storeDir);
}
