// A real process for the platform tests, bundled once by esbuild (support/bundle.ts). Modes:
//   write <file> <char> <kb> <rounds>    writeFileAtomic of <kb> KiB of <char>, <rounds> times
//   lock <lock> <side> <rounds> [go]      takes the lock <rounds> times, logging enter/exit to <side>
//   hold <lock>                           takes the lock and prints `held`, then waits to be killed
//   alive <pid>                           prints pidAlive(pid)
import { appendFileSync, existsSync } from 'node:fs';
import { writeFileAtomic } from '../../src/platform/atomic-write.js';
import { acquireLockSync } from '../../src/platform/file-lock.js';
import { pidAlive } from '../../src/platform/pid.js';
import { sleepMs } from '../../src/platform/sleep.js';

const [mode, a, b, c, d] = process.argv.slice(2);
const t = () => process.hrtime.bigint().toString();

if (mode === 'write') {
  const body = b!.repeat(Number(c) * 1024);
  for (let i = 0; i < Number(d); i++) writeFileAtomic(a!, body);
} else if (mode === 'lock') {
  if (d) while (!existsSync(d)) sleepMs(1);
  for (let i = 0; i < Number(c); i++) {
    const held = acquireLockSync(a!, { timeoutMs: 30_000, maxHoldMs: 30_000, op: 'test' });
    appendFileSync(b!, `enter ${process.pid} ${t()}\n`);
    sleepMs(2);
    appendFileSync(b!, `exit ${process.pid} ${t()}\n`);
    held.release();
  }
} else if (mode === 'hold') {
  acquireLockSync(a!, { timeoutMs: 30_000, maxHoldMs: 30_000, op: 'holding' });
  process.stdout.write('held\n');
  setInterval(() => undefined, 1_000);
} else if (mode === 'alive') {
  process.stdout.write(String(pidAlive(Number(a))));
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exitCode = 2;
}
