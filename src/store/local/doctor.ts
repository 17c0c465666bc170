// Health check and repair of the local store. Never throws on damaged files: every finding is
// a check with a status and the exact fix; `repair` only ever moves damaged files aside
// (state.json.corrupt-<time>), it never deletes data.
import { accessSync, constants, existsSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { isJitpError } from '../../platform/errors.js';
import { replay, isLiveAt, liveOverlaps } from '../../core/lease-rules.js';
import { jitpCommand, shellQuote } from '../../core/shell-quote.js';
import { EVENTS_FILE, readLog, type LogRead } from './event-log.js';
import { pidAlive } from '../../platform/pid.js';
import { LOCK_FILE, RECOVER_FILE, acquireLock, readHolder, recoverStale, staleReason } from './lock.js';
import {
  STATE_FILE,
  STATE_SCHEMA_VERSION,
  readStateBytes,
  readStateFile,
  readStateForWrite,
  type StateFile,
} from './snapshot-read.js';
import { readHeader } from './state-format.js';
import { indexMismatch } from './state-splice.js';
import { DELTA_FILE, deltaMismatch, parseDelta, readDeltaBytes } from './state-delta.js';
import { writeStateFile } from './state-write.js';

export type CheckStatus = 'ok' | 'warn' | 'problem';
export interface Check {
  name: string;
  status: CheckStatus;
  message: string;
  fix?: string;
}
export interface DoctorReport {
  storeDir: string;
  ok: boolean;
  checks: Check[];
  repaired: string[];
}

const REPAIR = 'jitp doctor --repair';
const TEMP_RE = /^\.(state\.json|state\.delta\.json|state\.bloom|lock|lock\.recover)\.(\d+)\.[0-9a-f]+\.tmp$/;
/** Whether the store's delta writes are on (local-store.ts): a rebuilt snapshot is then marked. */
const MARK = process.env.JITP_STORE_DELTA !== '0';

interface Inspection {
  checks: Check[];
  state?: StateFile;
  stateError?: { code: string; message: string };
  log?: LogRead;
  staleLock?: ReturnType<typeof readHolder>;
  staleRecover?: ReturnType<typeof readHolder>;
  deadTemps: string[];
  /** The state is sound but its index (state-format.ts) is not: readers ignore it; repair rewrites it. */
  badIndex?: string;
}

function inspect(dir: string, nowMs: number): Inspection {
  const checks: Check[] = [];
  const out: Inspection = { checks, deadTemps: [] };
  if (!existsSync(dir)) {
    checks.push({
      name: 'store',
      status: 'ok',
      message: `no lease store yet at ${dir} (created by the first \`jitp claim acquire\`)`,
    });
    return out;
  }
  try {
    accessSync(dir, constants.W_OK);
    checks.push({ name: 'store', status: 'ok', message: `lease store at ${dir}` });
  } catch {
    checks.push({ name: 'store', status: 'problem', message: `${dir} is not writable`, fix: `chmod u+w ${dir}` });
  }
  const logFile = join(dir, EVENTS_FILE);
  try {
    out.log = readLog(logFile);
  } catch (e) {
    checks.push({
      name: 'log',
      status: 'problem',
      message: `cannot read ${logFile}: ${(e as Error).message}`,
      fix: `check permissions of ${logFile}`,
    });
  }
  try {
    out.state = readStateFile(dir);
    if (out.state) {
      const live = out.state.leases.filter((l) => isLiveAt(l, nowMs)).length;
      checks.push({
        name: 'state',
        status: 'ok',
        message:
          `${join(dir, STATE_FILE)}: version ${out.state.version}, ${live} live lease(s), ` +
          `${out.state.leases.length - live} expired not yet swept`,
      });
      for (const o of liveOverlaps(out.state.leases, nowMs)) {
        const held = o.paths.map(([x, y]) => (x === y ? x : `${x} / ${y}`)).join(', ');
        checks.push({
          name: 'leases',
          status: 'problem',
          message:
            `two live leases hold the same path(s) ${held}: ${o.a.id} (issue ${o.a.issueId}, ${o.a.agentId}) and ` +
            `${o.b.id} (issue ${o.b.issueId}, ${o.b.agentId}); the hooks refuse both holders' edits there`,
          fix:
            `release the one whose work is abandoned: \`${jitpCommand('claim release', o.b.issueId)} --agent ` +
            `${shellQuote(o.b.agentId)} --impersonate\`, or \`${jitpCommand('claim evict', o.b.id)} --reason "<why>"\``,
        });
      }
    } else checks.push({ name: 'state', status: 'ok', message: 'no state file yet (empty store)' });
    const bytes = out.state ? readStateBytes(dir) : undefined;
    const h = bytes ? readHeader(bytes) : undefined;
    // The snapshot alone (its index describes its own lines), and the delta, if any (state-delta.ts).
    const snap = bytes ? readStateForWrite(dir) : undefined;
    const dbytes = bytes ? readDeltaBytes(dir) : undefined;
    const delta = dbytes && parseDelta(dbytes, join(dir, DELTA_FILE));
    const gen = snap?.st.gen ?? 0;
    if (delta)
      checks.push({
        name: 'delta',
        status: 'ok',
        message:
          delta.gen === gen
            ? `${join(dir, DELTA_FILE)}: ${delta.leases.length} lease(s) and ${delta.drop.length} removal(s) since ` +
              `the snapshot (generation ${gen})`
            : `${join(dir, DELTA_FILE)}: stale (generation ${delta.gen}, the snapshot is ${gen}): ignored, the ` +
              `next change replaces it`,
      });
    // A header (or delta) that checks out but says something else than the leases (a writer's bug:
    // the hooks and the incremental writers trust it) is as untrusted as a damaged one.
    const why = h?.kind === 'bad' ? h.why : bytes && snap ? indexMismatch(bytes, snap.st) : undefined;
    const deltaWhy = bytes && snap && delta && delta.gen === gen ? deltaMismatch(bytes, snap, delta) : undefined;
    if (deltaWhy) {
      out.badIndex = deltaWhy;
      checks.push({
        name: 'delta',
        status: 'problem',
        message:
          `${join(dir, DELTA_FILE)} does not fit ${STATE_FILE} (${deltaWhy}; edited by hand?): the hooks read ` +
          `it by lease id, a change that needs the lines it names refuses`,
        fix: `${REPAIR} (writes a new snapshot of the leases as the hooks see them)`,
      });
    }
    if (why) {
      out.badIndex = why;
      checks.push({
        name: 'index',
        status: 'warn',
        message:
          `${join(dir, STATE_FILE)}: its lease index cannot be trusted (${why}; edited by hand?): readers ` +
          `ignore it and parse every lease, the next change rewrites it`,
        fix: REPAIR,
      });
    }
  } catch (e) {
    const err = isJitpError(e) ? e : undefined;
    out.stateError = { code: err?.code ?? 'E_STORE', message: (e as Error).message };
    checks.push({
      name: 'state',
      status: 'problem',
      message: (e as Error).message,
      fix:
        err?.code === 'E_STORE_SCHEMA'
          ? (err.hint ?? 'update jit-parallel')
          : `${REPAIR} (rebuilds it from ${EVENTS_FILE})`,
    });
  }
  if (out.log) {
    const log = out.log;
    if (log.bad.length) {
      checks.push({
        name: 'log',
        status: 'warn',
        message: `${logFile}: ${log.bad.length} unreadable line(s), skipped: ${log.bad
          .slice(0, 5)
          .map((b) => `line ${b.line} (${b.error})`)
          .join('; ')}`,
        fix: 'nothing to do unless the state must be rebuilt; the lines are kept for inspection',
      });
    }
    if (log.tornTail !== null) {
      checks.push({
        name: 'log',
        status: 'ok',
        message:
          `${logFile}: unterminated last line (${log.tornTail.length} bytes) from an interrupted write; the ` +
          `next change cuts it off`,
      });
    }
    if (out.state) {
      if (log.size < out.state.logSize) {
        checks.push({
          name: 'log',
          status: 'warn',
          message:
            `${logFile} is shorter (${log.size} bytes) than the state records (${out.state.logSize}): ` +
            `history was truncated outside jitp`,
          fix: 'nothing to repair; the state file is authoritative',
        });
      } else if (log.size > out.state.logSize && log.tornTail === null) {
        checks.push({
          name: 'log',
          status: 'ok',
          message:
            `${logFile}: ${log.size - out.state.logSize} byte(s) past the last commit (a writer died before ` +
            `committing); the next change cuts them off`,
        });
      }
      const committed = log.events.filter((e) => e.offset < out.state!.logSize);
      const rebuilt = replay(committed);
      if (
        log.size >= out.state.logSize &&
        !log.bad.length &&
        (rebuilt.version !== out.state.version ||
          rebuilt.leases
            .map((l) => l.id)
            .sort()
            .join() !==
            out.state.leases
              .map((l) => l.id)
              .sort()
              .join())
      ) {
        checks.push({
          name: 'log',
          status: 'warn',
          message:
            `the event log replays to version ${rebuilt.version} with ${rebuilt.leases.length} lease(s), the ` +
            `state says version ${out.state.version} with ${out.state.leases.length}`,
          fix: 'the state file is authoritative; nothing to do unless it is damaged',
        });
      }
    }
    if (!log.bad.length && log.tornTail === null && log.size > 0)
      checks.push({ name: 'log', status: 'ok', message: `${logFile}: ${log.events.length} event(s)` });
  }
  for (const [name, key] of [
    [LOCK_FILE, 'staleLock'],
    [RECOVER_FILE, 'staleRecover'],
  ] as const) {
    const h = readHolder(join(dir, name));
    if (h.raw === undefined) continue;
    const why = staleReason(h, nowMs);
    if (why) {
      out[key] = h;
      checks.push({ name: 'lock', status: 'problem', message: `stale lock ${join(dir, name)}: ${why}`, fix: REPAIR });
    } else {
      checks.push({
        name: 'lock',
        status: 'ok',
        message:
          `${join(dir, name)} held by pid ${h.holder?.pid} (${h.holder?.op ?? '?'}) since ` + `${h.holder?.acquiredAt}`,
      });
    }
  }
  for (const f of readdirSync(dir)) {
    const m = TEMP_RE.exec(f);
    if (!m) continue;
    const pid = Number(m[2]);
    let age = 0;
    try {
      age = nowMs - statSync(join(dir, f)).mtimeMs;
    } catch {
      continue;
    }
    if (!pidAlive(pid) || age > 600_000) out.deadTemps.push(f);
  }
  if (out.deadTemps.length) {
    checks.push({
      name: 'temp',
      status: 'warn',
      message: `${out.deadTemps.length} temp file(s) left by killed writers: ${out.deadTemps.slice(0, 3).join(', ')}`,
      fix: REPAIR,
    });
  }
  return out;
}

export function diagnose(dir: string, nowMs = Date.now()): DoctorReport {
  const { checks } = inspect(dir, nowMs);
  return { storeDir: dir, ok: !checks.some((c) => c.status === 'problem'), checks, repaired: [] };
}

export function repair(dir: string, nowMs = Date.now()): DoctorReport {
  const repaired: string[] = [];
  let ins = inspect(dir, nowMs);
  if (ins.staleRecover) {
    try {
      const again = readHolder(join(dir, RECOVER_FILE));
      if (again.raw === ins.staleRecover.raw) {
        unlinkSync(join(dir, RECOVER_FILE));
        repaired.push(`removed stale ${RECOVER_FILE}`);
      }
    } catch {
      /* gone meanwhile */
    }
  }
  if (ins.staleLock && recoverStale(dir, ins.staleLock))
    repaired.push(`removed stale ${LOCK_FILE} (${staleReason(ins.staleLock, nowMs)})`);
  for (const f of ins.deadTemps) {
    try {
      unlinkSync(join(dir, f));
      repaired.push(`removed temp file ${f}`);
    } catch {
      /* gone meanwhile */
    }
  }
  if (ins.badIndex && !ins.stateError) {
    const lock = acquireLock(dir, { op: 'doctor-repair', timeoutMs: 10_000 });
    try {
      const bytes = readStateBytes(dir);
      const st = readStateFile(dir);
      const snap = readStateForWrite(dir);
      const dbytes = readDeltaBytes(dir);
      const delta = dbytes && parseDelta(dbytes, join(dir, DELTA_FILE));
      const gen = snap?.st.gen ?? 0;
      if (
        bytes &&
        st &&
        snap &&
        (readHeader(bytes).kind === 'bad' ||
          indexMismatch(bytes, snap.st) ||
          (delta && delta.gen === gen && deltaMismatch(bytes, snap, delta)))
      ) {
        // A new snapshot of the next generation: any delta is stale from then on.
        writeStateFile(dir, st, { gen: Math.max(gen, delta ? delta.gen : 0) + 1, marked: !!st.marked || MARK });
        repaired.push(`rewrote the lease index of ${STATE_FILE} from its ${st.leases.length} lease(s)`);
      }
    } finally {
      lock.release();
    }
  }
  if (ins.stateError && ins.stateError.code !== 'E_STORE_SCHEMA' && existsSync(dir)) {
    const lock = acquireLock(dir, { op: 'doctor-repair', timeoutMs: 10_000 });
    try {
      // Re-read under the lock: someone may have repaired it meanwhile.
      let stillBad = false;
      try {
        readStateFile(dir);
      } catch (e) {
        stillBad = !(isJitpError(e) && e.code === 'E_STORE_SCHEMA');
      }
      if (stillBad) {
        const log = readLog(join(dir, EVENTS_FILE));
        const rebuilt = replay(log.events);
        // Both files are moved aside: the log holds everything either held, and a delta left
        // beside the rebuilt snapshot could be taken for its own.
        const time = new Date(nowMs).toISOString().replace(/[:.]/g, '-');
        for (const f of [STATE_FILE, DELTA_FILE]) {
          const path = join(dir, f);
          if (!existsSync(path)) continue;
          const aside = `${path}.corrupt-${time}`;
          renameSync(path, aside);
          repaired.push(`moved the ${f === STATE_FILE ? 'damaged state file' : 'delta'} to ${aside}`);
        }
        writeStateFile(
          dir,
          {
            schemaVersion: STATE_SCHEMA_VERSION,
            version: rebuilt.version,
            leases: rebuilt.leases,
            logSize: log.completeBytes,
          },
          { gen: 1, marked: MARK },
        );
        repaired.push(
          `rebuilt ${STATE_FILE} from ${log.events.length} event(s) of ${EVENTS_FILE}: version ${rebuilt.version}, ` +
            `${rebuilt.leases.filter((l) => isLiveAt(l, nowMs)).length} live ` +
            `lease(s)${log.bad.length ? `; skipped unreadable lines ${log.bad.map((b) => b.line).join(', ')}` : ''}`,
        );
      }
    } finally {
      lock.release();
    }
  }
  ins = inspect(dir, nowMs);
  return { storeDir: dir, ok: !ins.checks.some((c) => c.status === 'problem'), checks: ins.checks, repaired };
}
