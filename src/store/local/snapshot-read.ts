// The one-read, no-lock view of the lease store. Hooks call this on every edit, so it imports
// nothing heavy (no zod, no yaml, no picomatch): a missing store is "no leases" at once, and
// the state file is always a whole old or new version because writers rename it into place.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { JitpError } from '../../platform/errors.js';
import type { Lease, StoreSnapshot } from '../../core/model.js';
import { CLOSE_LINE, parseLeaseLine, readHeader, stripLineSum, type SourceLines } from './state-format.js';
import { corrupt, isInt, leaseProblem } from './state-check.js';
import { mergeDelta, withDelta, type Delta } from './state-delta.js';

export { corrupt, leaseProblem };

export const STATE_FILE = 'state.json';
export const STATE_SCHEMA_VERSION = 1;
/** Schema 2: a marked snapshot (state-format.ts MARKED_PREFIX), its leases under `base`; a delta may apply. */
export const MARKED_SCHEMA_VERSION = 2;

/** The state file: a snapshot plus the number of event-log bytes it commits. */
export interface StateFile extends StoreSnapshot {
  logSize: number;
  /** The snapshot's generation (state-delta.ts); 0 in files of older jitp. */
  gen?: number;
  /** A marked snapshot (schema 2): the next snapshot is marked too. */
  marked?: boolean;
}

/** Parses and validates the state file's text; throws a JitpError naming `file` and the fix. */
export function parseState(text: string, file: string): StateFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw corrupt(file, `not valid JSON (${(e as Error).message})`);
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw corrupt(file, 'not a JSON object');
  const o = v as Record<string, unknown>;
  const marked = o.schemaVersion === MARKED_SCHEMA_VERSION;
  if (o.schemaVersion !== STATE_SCHEMA_VERSION && !marked) {
    if (isInt(o.schemaVersion) && o.schemaVersion > MARKED_SCHEMA_VERSION) {
      throw new JitpError(
        'E_STORE_SCHEMA',
        `the lease store state ${file} has schema version ${o.schemaVersion}; this jitp understands ` +
          `${MARKED_SCHEMA_VERSION}`,
        {
          hint:
            'a newer jit-parallel wrote it: update the plugin (`claude plugin update jit-parallel`) in every ' +
            'session that shares this repository',
          details: { file, schemaVersion: o.schemaVersion },
        },
      );
    }
    throw corrupt(file, `unknown schemaVersion ${JSON.stringify(o.schemaVersion)}`);
  }
  if (!isInt(o.version)) throw corrupt(file, 'missing or bad "version"');
  if (!isInt(o.logSize)) throw corrupt(file, 'missing or bad "logSize"');
  if (o.gen !== undefined && !isInt(o.gen)) throw corrupt(file, 'bad "gen"');
  const key = marked ? 'base' : 'leases';
  const list = o[key];
  if (!Array.isArray(list)) throw corrupt(file, `"${key}" is not a list`);
  // A layout 2 line's checksum is not part of the lease (state-format.ts).
  for (const l of list) if (l && typeof l === 'object') delete (l as { lineSum?: unknown }).lineSum;
  const ids = new Set<string>();
  list.forEach((l, i) => {
    const why = leaseProblem(l);
    if (why) throw corrupt(file, `lease #${i + 1}: ${why}`);
    const id = (l as Lease).id;
    if (ids.has(id)) throw corrupt(file, `lease ${id} appears twice`);
    ids.add(id);
  });
  return {
    schemaVersion: STATE_SCHEMA_VERSION,
    version: o.version,
    logSize: o.logSize,
    leases: list as Lease[],
    gen: (o.gen as number | undefined) ?? 0,
    marked,
  };
}

/** The state file's bytes; undefined when it does not exist (or the store folder does not). */
export function readStateBytes(storeDir: string): Buffer | undefined {
  const file = join(storeDir, STATE_FILE);
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // The state file is created before the first log line and only ever replaced by rename,
      // so a log without a state file means the state was deleted, not a crash.
      let logBytes = 0;
      try {
        logBytes = statSync(join(storeDir, 'events.jsonl')).size;
      } catch {
        logBytes = 0;
      }
      if (logBytes > 0) {
        // Read again: the first writer of a new store may have created both between our read and
        // the stat (seen by a reader racing the writers). Missing now, with a log: deleted.
        try {
          return readFileSync(file);
        } catch {
          throw corrupt(file, `the file is missing but the event log has ${logBytes} bytes`);
        }
      }
      return undefined;
    }
    throw new JitpError('E_STORE', `cannot read the lease store state ${file}: ${(e as Error).message}`, {
      hint: `check the permissions of ${storeDir}`,
      details: { file },
    });
  }
}

/** A state read for a write: the leases, each with its line when it came from one. */
export interface StateForWrite {
  st: StateFile;
  lines?: SourceLines;
}

/**
 * Reads the state for a writer, checking all of it (every line's checksum in layout 2). A layout 2
 * file is parsed line by line and each lease keeps its line, so the writer copies the unchanged
 * ones instead of serialising every lease again; the leases are frozen, so a rule that changed one
 * in place (instead of making a new one) would throw rather than leave its old line behind.
 * Layout 1 is parsed line by line too but its lines (without checksums) are not copied; other
 * files are parsed whole. Both get new lines: the next write is layout 2.
 */
export function readStateForWrite(storeDir: string): StateForWrite | undefined {
  const buf = readStateBytes(storeDir);
  return buf && stateForWriteOf(buf, join(storeDir, STATE_FILE));
}

/** readStateForWrite of bytes already read (`file` names them in errors). */
export function stateForWriteOf(buf: Buffer, file: string): StateForWrite {
  const h = readHeader(buf);
  if (h.kind !== 'ok') return { st: parseState(buf.toString('utf8'), file) };
  const at = new Map<Lease, { start: number; end: number }>();
  const leases: Lease[] = [];
  const ids = new Set<string>();
  const end = buf.length - CLOSE_LINE.length;
  for (let p = h.bodyStart; p < end;) {
    const nl = buf.indexOf(0x0a, p);
    if (nl < 0 || nl > end) throw corrupt(file, `lease line at byte ${p} is not ended`);
    const stop = buf[nl - 1] === 0x2c ? nl - 1 : nl;
    let v: unknown;
    if (h.layout === 2) {
      const r = parseLeaseLine(buf, p, stop);
      if ('why' in r) throw corrupt(file, `lease #${leases.length + 1}: ${r.why}`);
      v = r.v;
    } else {
      try {
        v = JSON.parse(buf.toString('utf8', p, stop));
      } catch (e) {
        throw corrupt(file, `lease #${leases.length + 1}: ${(e as Error).message}`);
      }
      if (v && typeof v === 'object') v = stripLineSum(v);
    }
    const why = leaseProblem(v);
    if (why) throw corrupt(file, `lease #${leases.length + 1}: ${why}`);
    const l = v as Lease;
    if (ids.has(l.id)) throw corrupt(file, `lease ${l.id} appears twice`);
    ids.add(l.id);
    Object.freeze(l.paths);
    if (l.meta) Object.freeze(l.meta);
    leases.push(Object.freeze(l));
    at.set(l, { start: p, end: stop });
    p = nl + 1;
  }
  if (leases.length !== h.header.index.count)
    throw corrupt(file, `${leases.length} lease lines, the header says ${h.header.index.count}`);
  const { version, logSize, gen } = h.header;
  const st: StateFile = { schemaVersion: STATE_SCHEMA_VERSION, version, logSize, leases, gen, marked: h.marked };
  return h.layout === 2 ? { st, lines: { src: buf, at } } : { st };
}

/** The store's state: the snapshot with its delta applied (its version, log size and leases). */
export function applyDelta(st: StateFile, d: Delta | undefined): StateFile {
  return d ? { ...st, version: d.version, logSize: d.logSize, leases: mergeDelta(st.leases, d) } : st;
}

/**
 * Reads the state file whole and checks all of it (every layout), with the delta of its generation
 * applied (state-delta.ts); undefined when it does not exist.
 */
export function readStateFile(storeDir: string): StateFile | undefined {
  const r = withDelta(storeDir, () => readStateForWrite(storeDir)?.st);
  return r && applyDelta(r.snap, r.delta);
}

/** The last committed snapshot, never blocking; a missing store means no leases. */
export function readSnapshotSync(storeDir: string): StoreSnapshot {
  const s = readStateFile(storeDir);
  if (!s) return { schemaVersion: STATE_SCHEMA_VERSION, version: 0, leases: [] };
  return { schemaVersion: s.schemaVersion, version: s.version, leases: s.leases };
}
