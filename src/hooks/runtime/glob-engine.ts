// The edit hook's glob engine: the tiny matcher first (core/glob-simple.ts), picomatch (core/
// globs.ts, 40 KB) only for a glob it cannot decide. The index asks synchronously, so in
// dist/hook-pre.cjs the full engine is a synchronous require() of dist/lazy/globs.cjs, made on
// the first such question (pre-entry.ts registers it); elsewhere (the ESM hook, tests of the
// sources) it is imported up front whenever some lease may name a glob, as before.
import { tinyFirstEngine, type GlobEngine } from '../../core/lease-index-core.js';

let loadSync: (() => GlobEngine) | undefined;

/** Called once by dist/hook-pre.cjs's entry: how to load the full engine synchronously. */
export function setGlobLoader(load: () => GlobEngine): void {
  loadSync = load;
}

/** The engine for a lease index; undefined when no lease can name a glob (`mayNeed` false). */
export async function hookGlobEngine(mayNeed: boolean): Promise<GlobEngine | undefined> {
  if (!mayNeed) return undefined;
  if (loadSync) return tinyFirstEngine(loadSync);
  const full = await import('../../core/globs.js');
  return tinyFirstEngine(() => full);
}
