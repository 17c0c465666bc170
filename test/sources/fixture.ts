// The real jit store (test/fixtures/jit-real/.jit, kept in the repository with its licence
// notice). JITP_JIT_FIXTURE points the tests at another copy, e.g. a newer export.
import { JIT_FIXTURE } from '../support/paths.js';

export function jitFixture(): string {
  return process.env.JITP_JIT_FIXTURE || JIT_FIXTURE;
}
