#!/usr/bin/env node
// `npm test`'s first step: the type check and the format check side by side (each is mostly one
// core's work for ~10 s, so together they take the time of the slower one). Both run to the end
// and both outputs are shown; the step fails if either fails.
import { spawn } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const run = (script) =>
  new Promise((resolve) => {
    const p = spawn(npm, ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (out += d));
    p.on('error', (e) => resolve({ script, code: 1, out: String(e) }));
    p.on('close', (code) => resolve({ script, code: code ?? 1, out }));
  });

const results = await Promise.all(['typecheck', 'format:check'].map(run));
for (const r of results) {
  // Shown whole, one check after the other, so the two outputs never interleave.
  if (r.out) process.stdout.write(r.out);
  if (r.code !== 0) console.error(`npm run ${r.script} failed (exit ${r.code})`);
}
process.exit(results.some((r) => r.code !== 0) ? 1 : 0);
