// `events.jsonl`: one JSON event per line, append-only, written only under the store lock.
// Writers first make sure the file ends with `\n` so a fragment left by a killed writer can
// never swallow the next record; readers skip an unterminated last line and report bad
// interior lines with their line numbers instead of throwing.
import { closeSync, fstatSync, ftruncateSync, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import type { LeaseEvent } from '../../core/lease-rules.js';
import { crashArmed, crashPoint } from './crash.js';

export const EVENTS_FILE = 'events.jsonl';

export interface BadLine {
  line: number;
  error: string;
  text: string;
}

export interface LogRead {
  events: Array<LeaseEvent & { line: number; offset: number }>;
  bad: BadLine[];
  /** An unterminated last line (a writer died mid-append), not counted as bad. */
  tornTail: string | null;
  /** Bytes up to the end of the last complete line. */
  completeBytes: number;
  size: number;
}

function checkEvent(x: unknown): string | undefined {
  if (!x || typeof x !== 'object' || Array.isArray(x)) return 'not a JSON object';
  const e = x as Record<string, unknown>;
  if (typeof e.type !== 'string') return 'missing "type"';
  if (typeof e.version !== 'number' || !Number.isInteger(e.version) || e.version < 0) return 'missing or bad "version"';
  if (typeof e.at !== 'string') return 'missing "at"';
  if (
    e.lease !== undefined &&
    (typeof e.lease !== 'object' || e.lease === null || typeof (e.lease as { id?: unknown }).id !== 'string')
  )
    return 'bad "lease"';
  return undefined;
}

export function parseLog(buf: Buffer): LogRead {
  const events: LogRead['events'] = [];
  const bad: BadLine[] = [];
  let tornTail: string | null = null;
  let pos = 0;
  let line = 0;
  let completeBytes = 0;
  while (pos < buf.length) {
    line++;
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) {
      tornTail = buf.subarray(pos).toString('utf8');
      break;
    }
    const raw = buf.subarray(pos, nl).toString('utf8');
    const offset = pos;
    pos = nl + 1;
    completeBytes = pos;
    if (raw.trim() === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(raw);
    } catch (e) {
      bad.push({ line, error: (e as Error).message, text: raw.slice(0, 200) });
      continue;
    }
    const why = checkEvent(v);
    if (why) bad.push({ line, error: why, text: raw.slice(0, 200) });
    else events.push({ ...(v as LeaseEvent), line, offset });
  }
  return { events, bad, tornTail, completeBytes, size: buf.length };
}

export function readLog(file: string): LogRead {
  let buf: Buffer;
  try {
    buf = readFileSync(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT')
      return { events: [], bad: [], tornTail: null, completeBytes: 0, size: 0 };
    throw e;
  }
  return parseLog(buf);
}

/**
 * Is everything past `commitSize` what a writer killed before its state rename leaves behind:
 * whole lines of events newer than the committed version, then maybe one torn line? Anything
 * else (the log was edited by hand) must not be cut off.
 */
function isUncommittedTail(fd: number, commitSize: number, size: number, committedVersion: number): boolean {
  if (commitSize > 0) {
    const b = Buffer.alloc(1);
    readSync(fd, b, 0, 1, commitSize - 1);
    if (b[0] !== 0x0a) return false;
  }
  const tail = Buffer.alloc(size - commitSize);
  readSync(fd, tail, 0, tail.length, commitSize);
  const parsed = parseLog(tail);
  return parsed.bad.length === 0 && parsed.events.every((e) => e.version > committedVersion);
}

/**
 * Appends `events` to the log open at `fd`, first cutting off an uncommitted tail past
 * `commitSize` (the bytes the state file says are committed) left by a writer that died
 * before its state rename. Returns the new size. Does not fsync: the state file is the commit
 * point (see docs/store.md, "Crash consistency").
 */
export function appendEvents(
  fd: number,
  commitSize: number,
  committedVersion: number,
  events: readonly LeaseEvent[],
): number {
  let size = fstatSync(fd).size;
  if (size > commitSize && isUncommittedTail(fd, commitSize, size, committedVersion)) {
    ftruncateSync(fd, commitSize);
    size = commitSize;
  }
  let prefix = '';
  if (size > 0) {
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    if (last[0] !== 0x0a) prefix = '\n';
  }
  const data = Buffer.from(prefix + events.map((e) => JSON.stringify(e)).join('\n') + '\n', 'utf8');
  if (crashArmed('log-torn')) {
    writeSync(fd, data, 0, Math.max(1, data.length >> 1), size);
    crashPoint('log-torn');
  }
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off, size + off);
  crashPoint('log-appended');
  return size + data.length;
}

export function openLog(file: string): number {
  return openSync(file, 'a+');
}

export { closeSync };
