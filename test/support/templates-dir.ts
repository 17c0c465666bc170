// Vitest global setup: one temp folder per run for the repositories test/support/git.ts and
// test/remote/world.ts build once and copy, and for every tempDir() of the tests. Worker
// processes are stopped without their `exit` handlers running, so the folder is removed here,
// when the run ends.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'jitp-templates-'));
  process.env.JITP_TEST_TEMPLATES = dir;
  // The hooks' V8 code cache (src/hooks/runtime/code-cache.ts): in this run's folder, not the user's.
  process.env.JITP_CODE_CACHE_DIR = join(dir, 'v8-cache');
  return () => rmSync(dir, { recursive: true, force: true });
}
