// Bundles test/platform/worker.ts once per test file (a real process starts in milliseconds
// from one .mjs file) and runs it.
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../support/paths.js';

export async function bundleWorker(outDir: string): Promise<string> {
  const out = join(outDir, 'platform-worker.mjs');
  await build({
    entryPoints: [join(ROOT, 'test/platform/worker.ts')],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
  });
  return out;
}

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function startWorker(worker: string, args: string[], opts: { uid?: number; gid?: number } = {}): ChildProcess {
  return spawn(process.execPath, [worker, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
}

export function runWorker(worker: string, args: string[], opts: { uid?: number; gid?: number } = {}): Promise<Ran> {
  return new Promise((res) => {
    const p = startWorker(worker, args, opts);
    let stdout = '';
    let stderr = '';
    p.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
    p.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    p.on('close', (code) => res({ code, stdout, stderr }));
  });
}
