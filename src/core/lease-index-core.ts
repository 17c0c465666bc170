// Which live lease holds a repo-relative path. Built once per hook process from the store
// snapshot: literal paths go into a Map (the common case: leases list files), globs are
// compiled on first use (core/globs caches them), so a 2,000-path store answers in microseconds.
// The glob engine is passed in, so the edit hook loads picomatch only when a live lease has a
// glob (lease-index.ts binds core/globs for everyone else).
import { literallyDisjoint, simpleMatch } from './glob-simple.js';
import type { Lease } from './model.js';

export interface GlobEngine {
  matches(path: string, glob: string): boolean;
  globsOverlap(a: string, b: string): boolean;
}

const GLOB = /[*?[\]{}]/;

/**
 * An engine that answers the simple globs itself (core/glob-simple.ts: `pkg/**`, `src/*.ts`,
 * `**\/name`, same answers as picomatch) and calls `load` for the full one (picomatch, 40 KB)
 * only for a question it cannot decide: most hook calls then never load it.
 */
export function tinyFirstEngine(load: () => GlobEngine): GlobEngine {
  let full: GlobEngine | undefined;
  return {
    matches: (path, glob) => simpleMatch(path, glob) ?? (full ??= load()).matches(path, glob),
    globsOverlap: (a, b) => a === b || (!literallyDisjoint(a, b) && (full ??= load()).globsOverlap(a, b)),
  };
}

export interface LeaseIndex {
  /** Live leases, in store order. */
  readonly leases: readonly Lease[];
  /** Live leases whose paths match `rel` (normally zero or one). */
  holdersOf(rel: string): Lease[];
  /** Live leases holding anything at or under the folder `dirRel` (`.` = the whole repo). */
  holdersUnder(dirRel: string): Lease[];
  /** No lease is live (cheaper than `leases.length === 0`, which may parse every lease). */
  readonly empty: boolean;
  /** Some live lease names a path strictly below `rel` (a file or glob inside it). */
  hasBelow(rel: string): boolean;
}

interface GlobEntry {
  lease: Lease;
  glob: string;
  /** Literal leading folders of the glob (`src/a` for `src/a/**\/*.ts`), '' when none. */
  prefix: string;
}

function literalPrefix(glob: string): string {
  const segs = glob.split('/');
  const i = segs.findIndex((s) => GLOB.test(s));
  return segs.slice(0, i < 0 ? segs.length : i).join('/');
}

/** True when some live lease names a glob, i.e. the index needs a GlobEngine. */
export const needsGlobEngine = (leases: readonly Lease[], nowMs: number): boolean =>
  leases.some((l) => Date.parse(l.expiresAt) > nowMs && l.paths.some((p) => GLOB.test(p)));

export function buildLeaseIndexWith(
  leases: readonly Lease[],
  nowMs: number,
  engine: GlobEngine | undefined,
): LeaseIndex {
  const live = leases.filter((l) => Date.parse(l.expiresAt) > nowMs);
  const literal = new Map<string, Lease[]>();
  const globs: GlobEntry[] = [];
  for (const lease of live) {
    for (const p of lease.paths) {
      if (GLOB.test(p)) {
        if (!engine) throw new Error('buildLeaseIndexWith: a lease names a glob but no glob engine was given');
        globs.push({ lease, glob: p, prefix: literalPrefix(p) });
      } else {
        const list = literal.get(p);
        if (list) list.push(lease);
        else literal.set(p, [lease]);
      }
    }
  }
  const add = (out: Lease[], l: Lease) => {
    if (!out.includes(l)) out.push(l);
  };
  return {
    leases: live,
    empty: live.length === 0,
    hasBelow: (rel) => live.some((l) => l.paths.some((p) => p.startsWith(`${rel}/`))),
    holdersOf(rel) {
      const out: Lease[] = [];
      for (const l of literal.get(rel) ?? []) add(out, l);
      // A lease on a folder given literally (`src/auth`) covers what is inside it.
      for (let i = rel.lastIndexOf('/'); i > 0; i = rel.lastIndexOf('/', i - 1)) {
        for (const l of literal.get(rel.slice(0, i)) ?? []) add(out, l);
      }
      for (const g of globs) {
        if (g.prefix && rel !== g.prefix && !rel.startsWith(`${g.prefix}/`)) continue;
        if (engine!.matches(rel, g.glob)) add(out, g.lease);
      }
      return out;
    },
    holdersUnder(dirRel) {
      const out: Lease[] = [];
      const whole = dirRel === '.' || dirRel === '';
      const under = (p: string) => whole || p === dirRel || p.startsWith(`${dirRel}/`);
      for (const [p, ls] of literal) if (under(p) || dirRel.startsWith(`${p}/`)) for (const l of ls) add(out, l);
      for (const g of globs) {
        if (whole || engine!.globsOverlap(`${dirRel}/**`, g.glob)) add(out, g.lease);
      }
      return out;
    },
  };
}

/**
 * Where a lazy index gets its leases: a store view that finds the leases naming some paths
 * without parsing the others (store/local/state-view.ts). `select` may return more than asked
 * (the index filters by path), never less.
 */
export interface LeaseSource {
  select(q: { files?: readonly string[]; dirs?: readonly string[] }, nowMs: number): Lease[];
  /** Every live lease (parses them all: only for the rare questions about all of them). */
  all(nowMs: number): Lease[];
  anyLive(nowMs: number): boolean;
}

/**
 * The index of a store too big to parse per call: each question selects the few leases that can
 * answer it and indexes only those, so an edit's cost does not grow with the number of leases.
 * `leases` (all of them) is parsed only when read.
 */
export function lazyLeaseIndex(src: LeaseSource, nowMs: number, engine: GlobEngine | undefined): LeaseIndex {
  let all: Lease[] | undefined;
  const of = (q: { files?: readonly string[]; dirs?: readonly string[] }) =>
    buildLeaseIndexWith(src.select(q, nowMs), nowMs, engine);
  return {
    get leases() {
      return (all ??= src.all(nowMs));
    },
    empty: !src.anyLive(nowMs),
    hasBelow: (rel) => of({ dirs: [rel] }).hasBelow(rel),
    holdersOf: (rel) => of({ files: [rel] }).holdersOf(rel),
    holdersUnder: (dirRel) => of({ dirs: [dirRel] }).holdersUnder(dirRel),
  };
}
