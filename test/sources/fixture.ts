// The real jit store lives in `<workspace>/shared/fixtures/jit-real`; a worktree sits
// deeper than the main checkout, so look upwards instead of at one fixed `../shared`.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { JIT_FIXTURE, ROOT } from '../support/paths.js';

export function jitFixture(): string {
  if (process.env.JITP_JIT_FIXTURE) return process.env.JITP_JIT_FIXTURE;
  if (existsSync(JIT_FIXTURE)) return JIT_FIXTURE;
  for (let d = ROOT; dirname(d) !== d; d = dirname(d)) {
    const p = join(d, 'shared/fixtures/jit-real/.jit');
    if (existsSync(p)) return p;
  }
  throw new Error(`jit fixture not found above ${ROOT}; set JITP_JIT_FIXTURE`);
}
