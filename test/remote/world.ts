// A bare repository as "the remote" and several clones as "machines", all in one temp dir.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stateTextOf } from '../../src/remote/layout.js';
import type { Lease } from '../../src/core/model.js';
import { GIT_ENV, git, tempDir, templateDir } from '../support/git.js';

export interface World {
  base: string;
  bare: string;
  clones: string[];
  cleanup(): void;
}

export function makeWorld(nClones: number): World {
  // Built once per worker for each number of clones (~0.35 s of CPU: init, push and a clone per
  // machine each start several git processes), then copied; a copy's clones get their origin URL
  // pointed at the copy's own bare repository, the one thing in them that names the folder (their
  // reflogs' "clone: from" lines still name the template's: nothing reads them).
  let template = templates.get(nClones);
  if (!template || !existsSync(template)) {
    template = buildWorld(nClones);
    templates.set(nClones, template);
  }
  const base = tempDir('jitp-remote-');
  cpSync(template, base, { recursive: true, verbatimSymlinks: true });
  const bare = join(base, 'remote.git');
  const clones: string[] = [];
  for (let i = 0; i < nClones; i++) {
    const c = join(base, `m${i}`);
    const config = join(c, '.git', 'config');
    writeFileSync(config, readFileSync(config, 'utf8').split(join(template, 'remote.git')).join(bare));
    clones.push(c);
  }
  return { base, bare, clones, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

const templates = new Map<number, string>();
process.once('exit', () => {
  for (const t of templates.values()) rmSync(t, { recursive: true, force: true });
});

function buildWorld(nClones: number): string {
  const base = templateDir('jitp-remote-template-');
  const bare = join(base, 'remote.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare], { env: { ...process.env, ...GIT_ENV } });
  const seed = join(base, 'seed');
  execFileSync('git', ['init', '-q', '-b', 'main', seed], { env: { ...process.env, ...GIT_ENV } });
  git(seed, 'commit', '-q', '--allow-empty', '-m', 'initial');
  git(seed, 'push', '-q', bare, 'main');
  for (let i = 0; i < nClones; i++)
    execFileSync('git', ['clone', '-q', bare, join(base, `m${i}`)], { env: { ...process.env, ...GIT_ENV } });
  return base;
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
