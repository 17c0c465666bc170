// Vitest global setup: one line per run saying whether the real-client tests run, and how to
// enable them when they skip. JITP_REQUIRE_CLIENT=1 (CI) turns a missing client into a failure,
// so a broken `npm run setup:client` can never pass as a green run with those tests skipped.
import { CLAUDE_BIN, CLIENT_HOWTO } from './paths.js';

export default function setup(): void {
  if (CLAUDE_BIN) {
    console.log(`real-client tests: using ${CLAUDE_BIN}`);
    return;
  }
  if (process.env.JITP_REQUIRE_CLIENT)
    throw new Error(`JITP_REQUIRE_CLIENT is set but no claude client was found: ${CLIENT_HOWTO}`);
  console.log(`real-client tests SKIPPED (no claude client): to run them, ${CLIENT_HOWTO}`);
}
