// The question every edit asks first: is any lease live in this repository, locally or in a
// mirror of a remote's leases? Answered with the least work (find the repo by stat, list the
// store folder once, read only the small files it holds), statically bundled into
// dist/hook.mjs so the handler chunks load only when parallel work is active.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { findRepo, storeDirOf, type RepoLocation } from '../../workspace/repo.js';
import { quickConfigValue } from './config-cache.js';
import { DELTA_FILE, STATE_HANDOFF, deltaDoc, readHeader, type StateHandoff } from '../../store/local/state-format.js';

export interface FastAnswer {
  /** False only when it is certain that nothing is live. */
  live: boolean;
  /** Remote mirrors older than remoteMirrorMaxAge (remote names): refresh them in the background. */
  stale: string[];
  /** Every remote with a mirror here. */
  mirrors: string[];
  /** Each mirror's fetchedAt (ms since epoch; NaN when unreadable). */
  fetchedAtMs?: Map<string, number>;
  loc?: RepoLocation;
  storeDir?: string;
  /** remoteMirrorMaxAge (s) as the config says, when a mirror was looked at and it is known without the loader. */
  maxAgeSecs?: number;
}

const MIRROR_FILE = /^remote-(.+)\.json$/;
export const DEFAULT_MIRROR_MAX_AGE = 60;

/**
 * `remoteMirrorMaxAge` in seconds, without the YAML parser (it would cost more than the whole fast
 * path): the config's line scan, else the loader's cached answer (config-cache.ts); undefined when
 * neither knows, and the mirrors then count as stale (the full hook asks the loader).
 */
export const mirrorMaxAgeOf = (loc: RepoLocation, env: NodeJS.ProcessEnv): number | undefined =>
  quickConfigValue(loc, 'remoteMirrorMaxAge', env);

const anyLiveIn = (leases: unknown, nowMs: number): boolean =>
  !Array.isArray(leases) ||
  leases.some((l: { expiresAt?: unknown }) => typeof l?.expiresAt !== 'string' || !(Date.parse(l.expiresAt) <= nowMs));

export function fastCheck(cwd: string, nowMs = Date.now(), env: NodeJS.ProcessEnv = process.env): FastAnswer {
  const loc = findRepo(cwd);
  if (!loc) return { live: false, stale: [], mirrors: [] };
  const storeDir = storeDirOf(loc);
  let names: string[];
  try {
    names = readdirSync(storeDir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    // No store folder: parallel work was never started in this clone (the common case).
    return { live: code !== 'ENOENT' && code !== 'ENOTDIR', stale: [], mirrors: [], loc, storeDir };
  }
  const out: FastAnswer = { live: false, stale: [], mirrors: [], loc, storeDir };
  let maxAgeRead = false;
  if (names.includes('state.json')) {
    try {
      // The indexed layout says when its last lease ends in its checksummed header: no parse of
      // the leases (state-format.ts). An older file is parsed whole; a wrong checksum goes on.
      const file = join(storeDir, 'state.json');
      const buf = readFileSync(file);
      const h = readHeader(buf);
      (globalThis as Record<symbol, StateHandoff>)[STATE_HANDOFF] = { file, buf, header: h };
      if (h.kind === 'ok') {
        out.live = h.header.index.liveUntil > nowMs;
        // A delta of this snapshot's generation holds the store's liveUntil (state-delta.ts); an
        // older one is stale; a newer or damaged one: the handler reads both again and decides.
        if (names.includes(DELTA_FILE)) {
          const d = deltaDoc(readFileSync(join(storeDir, DELTA_FILE)));
          if (typeof d === 'string' || !((d.gen as number) <= h.header.gen)) out.live = true;
          else if (d.gen === h.header.gen) out.live = !((d.liveUntil as number) <= nowMs);
        }
      } else if (h.kind === 'bad') out.live = true;
      else if (anyLiveIn((JSON.parse(buf.toString('utf8')) as { leases?: unknown })?.leases, nowMs)) out.live = true;
    } catch {
      out.live = true; // unreadable or unparsable: let the handler report it
    }
  } else if (names.includes('events.jsonl')) {
    try {
      // A log without a state file: the state was deleted; let the handler report it.
      if (statSync(join(storeDir, 'events.jsonl')).size > 0) out.live = true;
    } catch {
      /* removed meanwhile */
    }
  }
  for (const n of names) {
    const m = MIRROR_FILE.exec(n);
    if (!m) continue;
    let mirror: { remote?: unknown; fetchedAt?: unknown; leases?: unknown };
    try {
      mirror = JSON.parse(readFileSync(join(storeDir, n), 'utf8'));
    } catch {
      continue; // a mirror that cannot be read counts as none (the handler and `jitp claim sync` say more)
    }
    if (anyLiveIn(mirror?.leases, nowMs)) out.live = true;
    const remote = typeof mirror?.remote === 'string' ? mirror.remote : decodeURIComponent(m[1]!);
    out.mirrors.push(remote);
    if (!maxAgeRead) {
      maxAgeRead = true;
      const maxAge = mirrorMaxAgeOf(loc, env);
      if (maxAge !== undefined) out.maxAgeSecs = maxAge;
    }
    const at = typeof mirror?.fetchedAt === 'string' ? Date.parse(mirror.fetchedAt) : NaN;
    (out.fetchedAtMs ??= new Map()).set(remote, at);
    if (out.maxAgeSecs === undefined || !(nowMs - at <= out.maxAgeSecs * 1000)) out.stale.push(remote);
  }
  return out;
}

/** Compatibility form of fastCheck for callers that only need the yes/no. */
export const mayBeLive = (cwd: string, nowMs = Date.now()): boolean => fastCheck(cwd, nowMs).live;
