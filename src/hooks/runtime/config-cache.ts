// The hooks' view of `.jit-parallel.yaml` without its YAML parser and schema (yaml + zod: about
// 50 ms to load, on every live edit of a repository that has the file). The settings a config
// file gives are a pure function of its text (config/load.ts, configFromText), of its name
// (error messages only) and of the schema, i.e. of this build; so they are kept in the store
// folder keyed by exactly those, and reused only when all three match byte for byte. Any
// other case (a changed file, another build, a damaged or missing cache) runs the real loader
// on the same text and stores its answer. Invalid configurations are never stored: they go
// through the loader, and its error, every time.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../platform/atomic-write.js';
import { BUILD_ID } from './front-shared.js';
import { readConfigOf, scanConfig, type ScannedConfig, type ScannedKey } from '../../workspace/config-file.js';
import { storeDirOf, type RepoLocation } from '../../workspace/repo.js';

export const CONFIG_CACHE_FILE = 'hook-config.json';
/** Entries kept (one per config file: the main checkout's and each worktree's copy). */
const MAX_ENTRIES = 16;

export interface CachedSettings {
  policy: 'strict' | 'extend' | 'warn' | 'off';
  failure: 'open' | 'closed';
  ttl: number;
  remoteTimeout: number;
}

interface CacheFile {
  build: string;
  /** `values`: the keys the line scan reads (config/scan.ts), as the loader gave them. */
  entries: Record<string, { text: string; settings: CachedSettings; values?: ScannedConfig }>;
}

const POLICIES = new Set(['strict', 'extend', 'warn', 'off']);
const posInt = (x: unknown) => typeof x === 'number' && Number.isInteger(x) && x > 0;

function validSettings(s: unknown): s is CachedSettings {
  const x = s as CachedSettings | null;
  return (
    !!x &&
    typeof x === 'object' &&
    POLICIES.has(x.policy) &&
    (x.failure === 'open' || x.failure === 'closed') &&
    posInt(x.ttl) &&
    posInt(x.remoteTimeout)
  );
}

function validValues(v: unknown): v is ScannedConfig {
  const x = v as ScannedConfig | null;
  return (
    !!x &&
    typeof x === 'object' &&
    (x.remote === null || typeof x.remote === 'string') &&
    typeof x.remoteMirrorMaxAge === 'number' &&
    x.remoteMirrorMaxAge >= 0 &&
    (x.failure === 'open' || x.failure === 'closed')
  );
}

function readCache(storeDir: string): CacheFile | undefined {
  try {
    const c = JSON.parse(readFileSync(join(storeDir, CONFIG_CACHE_FILE), 'utf8')) as CacheFile;
    return c && c.build === BUILD_ID && c.entries && typeof c.entries === 'object' ? c : undefined;
  } catch {
    return undefined; // none yet, or damaged: the loader answers and rewrites it
  }
}

/** The settings stored for exactly this file name and text by this build, if any. */
export function cachedSettings(storeDir: string, file: string, text: string): CachedSettings | undefined {
  const e = readCache(storeDir)?.entries[file];
  return e && e.text === text && validSettings(e.settings) ? e.settings : undefined;
}

/** A scanned key's value stored for exactly this file name and text by this build, if any. */
export function cachedValue<K extends ScannedKey>(
  storeDir: string,
  file: string,
  text: string,
  key: K,
): ScannedConfig[K] | undefined {
  const e = readCache(storeDir)?.entries[file];
  return e && e.text === text && validValues(e.values) ? e.values[key] : undefined;
}

/**
 * A key the line scan reads, without the YAML parser: the scan's answer when it is sure, else
 * the loader's cached answer for this very text; undefined when neither knows (the caller asks
 * the loader, or plays safe). `at`: the repository (a bare folder outside one: no cache).
 */
export function quickConfigValue<K extends ScannedKey>(
  at: RepoLocation | string | undefined,
  key: K,
  env: NodeJS.ProcessEnv,
): ScannedConfig[K] | undefined {
  const found = readConfigOf(at, env);
  if (found.error) return undefined;
  const sure = scanConfig(found.text, key);
  if (sure !== undefined || found.text === undefined || typeof at !== 'object') return sure;
  return cachedValue(storeDirOf(at), found.file, found.text, key);
}

/** Stores what the loader gave for this text; never throws (the cache only saves time). */
export function storeSettings(
  storeDir: string,
  file: string,
  text: string,
  settings: CachedSettings,
  values?: ScannedConfig,
): void {
  const entries = { ...readCache(storeDir)?.entries };
  delete entries[file]; // re-added last: the most recent entries are kept
  entries[file] = {
    text,
    settings: {
      policy: settings.policy,
      failure: settings.failure,
      ttl: settings.ttl,
      remoteTimeout: settings.remoteTimeout,
    },
    ...(values
      ? { values: { remote: values.remote, remoteMirrorMaxAge: values.remoteMirrorMaxAge, failure: values.failure } }
      : {}),
  };
  const keep = Object.keys(entries).slice(-MAX_ENTRIES);
  const out: CacheFile = { build: BUILD_ID, entries: Object.fromEntries(keep.map((k) => [k, entries[k]!])) };
  try {
    // Whole file or nothing (readers never see half of it); a unique temp name per writer, as
    // parallel sub-agents' hooks write it at once.
    writeFileAtomic(join(storeDir, CONFIG_CACHE_FILE), JSON.stringify(out));
  } catch {
    /* the cache only saves time */
  }
}
