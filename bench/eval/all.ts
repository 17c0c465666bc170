// npm run eval:plan [-- <manifest.json>…] [--before <date>] [--json] [--verbose]: the issue-level
// and the commit-level evaluation with the same arguments.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
for (const script of ['plan-eval.ts', 'commit-eval.ts']) {
  const r = spawnSync(process.execPath, [...process.execArgv, join(here, script), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
