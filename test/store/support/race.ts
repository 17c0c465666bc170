// Helpers for the multi-process race tests: bundle the worker once (fast start for many
// processes), run N of them, and check the side files for overlapping holds.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { readSnapshotSync } from '../../../src/store/local/snapshot-read.js';
import { readLog } from '../../../src/store/local/event-log.js';
import { basename, dirname, join } from 'node:path';
import { bundleScript } from '../../support/bundle.js';

/**
 * One esbuild bundle per test file: each racing process then starts on plain JavaScript. Under
 * `node --import tsx` every process transpiled the whole TypeScript graph again, which cost
 * more CPU than the race itself.
 */
export const bundleWorker = (outDir: string, entry = 'test/store/support/race-worker.ts'): Promise<string> =>
  bundleScript(entry, outDir, entry.split('/').at(-1)!.replace(/\.ts$/, ''));

export interface WorkerResult {
  grants: number;
  releases: number;
  held: number;
  lost: number;
  errors: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

export function runWorker(worker: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<WorkerResult> {
  return new Promise((resolvePromise) => {
    const p = spawn(process.execPath, [worker, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code, signal) => {
      let parsed = { grants: 0, releases: 0, held: 0, lost: 0, errors: [] as string[] };
      try {
        parsed = JSON.parse(out);
      } catch {
        /* crashed */
      }
      resolvePromise({ ...parsed, code, signal, stderr: err });
    });
  });
}

export interface Hold {
  key: string;
  agent: string;
  enter: bigint;
  exit: bigint;
}

/** Reads every `side-*.txt` in `dir` and returns the holds plus any overlapping pair. */
export function checkOverlaps(dir: string): { holds: Hold[]; overlaps: Array<[Hold, Hold]> } {
  const holds: Hold[] = [];
  for (const f of readdirSync(dir).filter((x) => x.startsWith('side-'))) {
    const open = new Map<string, { agent: string; enter: bigint }>();
    for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
      if (!line) continue;
      const [kind, key, agent, ts] = line.split(' ') as [string, string, string, string];
      if (kind === 'enter') open.set(key, { agent, enter: BigInt(ts) });
      else if (kind === 'exit') {
        const o = open.get(key);
        if (o) holds.push({ key, agent, enter: o.enter, exit: BigInt(ts) });
        open.delete(key);
      }
    }
  }
  const overlaps: Array<[Hold, Hold]> = [];
  const byKey = new Map<string, Hold[]>();
  for (const h of holds) byKey.set(h.key, [...(byKey.get(h.key) ?? []), h]);
  for (const hs of byKey.values()) {
    hs.sort((a, b) => (a.enter < b.enter ? -1 : a.enter > b.enter ? 1 : 0));
    for (let i = 1; i < hs.length; i++) if (hs[i]!.enter < hs[i - 1]!.exit) overlaps.push([hs[i - 1]!, hs[i]!]);
  }
  return { holds, overlaps };
}

export const touch = (f: string) => writeFileSync(f, '');

/**
 * Starting line: touches `go` once `n` workers have written `<go>.<pid>.ready`, so every racer
 * is up and polling before any starts (a fixed delay let slow starters on a loaded machine
 * miss the race). Gives up waiting after a minute and starts whoever is there.
 */
export async function startWhenReady(go: string, n: number): Promise<void> {
  const dir = dirname(go);
  const prefix = `${basename(go)}.`;
  const until = Date.now() + 60_000;
  while (readdirSync(dir).filter((f) => f.startsWith(prefix) && f.endsWith('.ready')).length < n && Date.now() < until)
    await new Promise((r) => setTimeout(r, 10));
  touch(go);
}

export async function raceRun(
  base: string,
  worker: string,
  mode: 'store' | 'nolock',
  procs: number,
  iters: number,
  issues: string[],
  env: NodeJS.ProcessEnv = {},
  /** Called with the store folder before the writers start (readers racing them start here). */
  beside?: (storeDir: string) => void,
) {
  const dir = join(base, `${mode}-${procs}x${iters}-${Math.random().toString(36).slice(2)}`);
  const storeDir = join(dir, 'store');
  mkdirSync(storeDir, { recursive: true });
  beside?.(storeDir);
  const go = join(dir, 'go');
  const runs = Array.from({ length: procs }, (_, i) =>
    runWorker(
      worker,
      [mode, storeDir, `agent:p${i}`, String(iters), issues.join(','), join(dir, `side-${i}.txt`), go],
      env,
    ),
  );
  await startWhenReady(go, procs);
  const results = await Promise.all(runs);
  const { holds, overlaps } = checkOverlaps(dir);
  let version = -1;
  let logVersions: number[] = [];
  try {
    version = readSnapshotSync(storeDir).version;
    logVersions = readLog(join(storeDir, 'events.jsonl')).events.map((e) => e.version);
  } catch {
    version = -1; // the no-lock control may leave a store the checks below reject anyway
  }
  const commits = results.reduce((n, r) => n + r.grants + r.releases, 0);
  return { results, holds, overlaps, version, commits, logVersions };
}
