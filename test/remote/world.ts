// A bare repository as "the remote" and several clones as "machines", all in one temp dir.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { stateTextOf } from '../../src/remote/layout.js';
import type { Lease } from '../../src/core/model.js';
import { GIT_ENV, git, tempDir } from '../support/git.js';

export interface World {
  base: string;
  bare: string;
  clones: string[];
  cleanup(): void;
}

export function makeWorld(nClones: number): World {
  const base = tempDir('jitp-remote-');
  const bare = join(base, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare], { env: { ...process.env, ...GIT_ENV } });
  const seed = join(base, 'seed');
  execFileSync('git', ['init', '-q', '-b', 'main', seed], { env: { ...process.env, ...GIT_ENV } });
  git(seed, 'commit', '-q', '--allow-empty', '-m', 'initial');
  git(seed, 'push', '-q', bare, 'main');
  const clones: string[] = [];
  for (let i = 0; i < nClones; i++) {
    const c = join(base, `m${i}`);
    execFileSync('git', ['clone', '-q', bare, c], { env: { ...process.env, ...GIT_ENV } });
    clones.push(c);
  }
  return { base, bare, clones, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

/** The lease state an index commit carries (its message's JSON paragraph), read in the bare repository itself. */
export function remoteState(
  bare: string,
  ref: string,
): { schemaVersion: number; version: number; leases: Lease[]; leaseCommits: Record<string, string> } {
  const text = stateTextOf(git(bare, 'cat-file', 'commit', ref));
  if (!text) throw new Error(`${ref} carries no lease state`);
  return JSON.parse(text);
}
