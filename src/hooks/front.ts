// Entry of dist/hook.cjs, the command hooks.json runs. Node starts a CommonJS file ~10 ms
// faster than an ES module (no ESM loader), and every edit of every user pays this start-up:
// so the "no parallel work active" answer is given here, in CommonJS, and only when a lease
// may be live (or a mirror needs a refresh) is the full ESM hook (dist/hook.mjs) loaded,
// handed the input already read.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fastCheck } from './fast-path.js';
import { HANDOFF_KEY, NEEDS_LIVE } from './front-shared.js';

function readStdinSync(): string | undefined {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return undefined; // non-blocking stdin (EAGAIN): let the ESM hook read it the slow way
  }
}

const event = process.argv[2] ?? '';
const raw = readStdinSync();
let quiet = false;
if (raw !== undefined && NEEDS_LIVE.has(event)) {
  try {
    const input = JSON.parse(raw) as { cwd?: unknown } | null;
    if (input && typeof input === 'object' && !Array.isArray(input)) {
      const cwd = typeof input.cwd === 'string' && input.cwd ? input.cwd : process.env.CLAUDE_PROJECT_DIR ?? process.cwd();
      const fast = fastCheck(cwd);
      // Session start always refreshes mirrors; stale mirrors need a refresh: both go on.
      quiet = !fast.live && fast.stale.length === 0 && (event !== 'session-start' || fast.mirrors.length === 0);
    }
  } catch {
    quiet = false; // malformed input: the full hook applies the failure policy
  }
}
if (quiet) {
  process.exitCode = 0; // nothing live: say nothing, the edit goes ahead
} else {
  (globalThis as Record<string, unknown>)[HANDOFF_KEY] = raw;
  import(pathToFileURL(join(__dirname, 'hook.mjs')).href).catch((e: unknown) => {
    // Cannot even load the hook: fail open visibly, never a stray exit 1.
    process.stdout.write(JSON.stringify({ systemMessage: `jit-parallel: hook failed to load (${String(e)}); not checked, allowed.` }));
    process.exitCode = 0;
  });
}
