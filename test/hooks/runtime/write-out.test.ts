// The hooks write their answer with writeSync (runtime/run.ts writeOut): process.stdout's stream
// costs about 3 ms to set up. A pipe that is non-blocking and full (EAGAIN) must still get every
// byte: the rest goes through the stream. The child makes its stdout non-blocking (by creating
// process.stdout, as libuv does for pipes) and the parent reads only after it has filled the pipe.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { tempDir } from '../../support/git.js';
import { ROOT } from '../../support/paths.js';

const child = (text: string) =>
  `import { writeOut } from ${JSON.stringify(join(ROOT, 'src/hooks/runtime/run.ts'))};\n` +
  `void process.stdout; void process.stderr;\n` +
  `writeOut(1, ${text});\nwriteOut(2, 'done\\n');\n`;

function run(script: string, delayMs: number): Promise<{ out: string; err: string; code: number | null }> {
  const dir = tempDir('jitp-writeout-');
  const file = join(dir, 'child.ts');
  writeFileSync(file, script);
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    p.stdout.pause();
    setTimeout(() => {
      p.stdout.on('data', (c: Buffer) => out.push(c));
      p.stdout.resume();
    }, delayMs);
    p.stderr.on('data', (c: Buffer) => err.push(c));
    p.on('close', (code) =>
      resolve({ out: Buffer.concat(out).toString('utf8'), err: Buffer.concat(err).toString('utf8'), code }),
    );
  });
}

test('a full non-blocking pipe still gets the whole answer, in order', async () => {
  // 1 MB, far past a pipe's 64 KB: writeSync fills it, then meets EAGAIN.
  const r = await run(
    child(`Array.from({ length: 20000 }, (_, i) => \`line \${i} \${'x'.repeat(40)}\\n\`).join('')`),
    1500,
  );
  expect(r.code, r.err).toBe(0);
  const lines = r.out.split('\n');
  expect(lines).toHaveLength(20001);
  expect(lines[0]).toBe(`line 0 ${'x'.repeat(40)}`);
  expect(lines[19999]).toBe(`line 19999 ${'x'.repeat(40)}`);
  expect(r.err).toBe('done\n');
}, 30_000);

test('a short answer arrives whole, UTF-8 intact', async () => {
  const r = await run(child(`'{"systemMessage":"jit-parallel: déjà held ✓"}'`), 0);
  expect(r.code, r.err).toBe(0);
  expect(JSON.parse(r.out)).toEqual({ systemMessage: 'jit-parallel: déjà held ✓' });
}, 30_000);
