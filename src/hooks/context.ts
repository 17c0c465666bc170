// What every hook handler needs first: the repository, the store snapshot (the fast path
// stops here when nothing is live) and, only then, the configuration.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { discoverRepo, mainRootOf, storeDirOf, type RepoLocation } from '../git/discover.js';
import type { StoreSnapshot } from '../store/types.js';
import type { HookInput } from './contract.js';
import { anyLive, readSnapshotSync } from './store-access.js';

export interface HookSettings {
  policy: 'strict' | 'extend' | 'warn' | 'off';
  failure: 'open' | 'closed';
  ttl: number;
}

const DEFAULTS: HookSettings = { policy: 'extend', failure: 'open', ttl: 1800 };

export interface LiveContext {
  loc: RepoLocation;
  storeDir: string;
  snap: StoreSnapshot;
  nowMs: number;
}

/** The directory the hook acts on: the payload's cwd, else the project dir, else our own cwd. */
export function hookCwd(input: HookInput | undefined, env: NodeJS.ProcessEnv): string {
  const c = input && typeof input.cwd === 'string' && input.cwd ? input.cwd : undefined;
  return c ?? env.CLAUDE_PROJECT_DIR ?? process.cwd();
}

/**
 * undefined = nothing to do (not a repository, or no live lease): the caller returns at once.
 * Throws StoreUnreadable when the state cannot be read.
 */
export function liveContext(cwd: string, nowMs = Date.now()): LiveContext | undefined {
  const loc = discoverRepo(cwd);
  if (!loc) return undefined;
  const storeDir = storeDirOf(loc);
  const snap = readSnapshotSync(storeDir);
  if (!anyLive(snap, nowMs)) return undefined;
  return { loc, storeDir, snap: snap!, nowMs };
}

/** Effective settings; the YAML parser and schema load only when a config file exists. */
export async function hookSettings(loc: RepoLocation, env: NodeJS.ProcessEnv): Promise<HookSettings> {
  const root = mainRootOf(loc);
  if (!env.JITP_CONFIG && !existsSync(join(root, '.jit-parallel.yaml')) && !existsSync(join(loc.worktreeRoot, '.jit-parallel.yaml'))) return DEFAULTS;
  const { loadConfig } = await import('../config/load.js');
  // A worktree carries its own copy of the file (it is committed); prefer the one the agent sees.
  const base = existsSync(join(loc.worktreeRoot, '.jit-parallel.yaml')) ? loc.worktreeRoot : root;
  const { config } = loadConfig(base, env);
  return { policy: config.policy, failure: config.failure, ttl: config.ttl };
}
