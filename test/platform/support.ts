// Bundles test/platform/worker.ts once per test file and runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import { bundleScript } from '../support/bundle.js';

export const bundleWorker = (outDir: string): Promise<string> =>
  bundleScript('test/platform/worker.ts', outDir, 'platform-worker');

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
