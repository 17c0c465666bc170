// Puts the fake GitHub CLI (fake-gh.mjs) on PATH for a test, from a copy of a recorded state,
// and reads back the calls it received and the state it was left in.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ROOT } from './paths.js';

export const GH_STATE_FIXTURE = join(ROOT, 'test/fixtures/gh/state.json');
const FAKE = join(ROOT, 'test/support/fake-gh.mjs');

export interface FakeGh {
  /** Environment for a jitp run: PATH with the fake first, and its state and log files. */
  env: Record<string, string>;
  /** Each call's argv, in order. */
  calls(): string[][];
  state(): {
    auth: boolean;
    repo: string;
    issues: Array<Record<string, unknown>>;
    pulls: Array<Record<string, unknown>>;
  };
  setAuth(on: boolean): void;
}

/** `dir` must be a fresh temp folder; `PATH` keeps git and node reachable. */
export function installFakeGh(dir: string, fixture = GH_STATE_FIXTURE): FakeGh {
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  const statePath = join(dir, 'gh-state.json');
  const log = join(dir, 'gh-calls.jsonl');
  copyFileSync(fixture, statePath);
  writeFileSync(join(bin, 'gh'), `#!/bin/sh\nexec "${process.execPath}" "${FAKE}" "$@"\n`);
  chmodSync(join(bin, 'gh'), 0o755);
  const state = () => JSON.parse(readFileSync(statePath, 'utf8'));
  return {
    env: { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}`, FAKE_GH_STATE: statePath, FAKE_GH_LOG: log },
    calls: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8')
            .trim()
            .split('\n')
            .filter(Boolean)
            .map((l) => (JSON.parse(l) as { argv: string[] }).argv)
        : [],
    state,
    setAuth(on) {
      writeFileSync(statePath, JSON.stringify({ ...state(), auth: on }));
    },
  };
}
