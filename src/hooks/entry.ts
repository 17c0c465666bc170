// Entry of dist/hook.mjs: `node dist/hook.mjs <event>` with the hook JSON on stdin.
// Keep this file's static imports minimal: it runs on every edit. Handlers load lazily.
import type { HookHandler, HookOutcome } from './contract.js';

// event argument -> lazy handler module (each exports `handler`).
const handlers: Record<string, () => Promise<{ handler: HookHandler }>> = {};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function emit(out: HookOutcome): void {
  if (out.json) process.stdout.write(JSON.stringify(out.json));
  else if (out.stdout) process.stdout.write(out.stdout);
  if (out.stderr) process.stderr.write(out.stderr);
  process.exitCode = out.exitCode === 2 ? 2 : 0;
}

const event = process.argv[2] ?? '';
const load = handlers[event];
if (!load) {
  emit({}); // unknown event: say nothing, allow (never exit 1)
} else {
  const raw = await readStdin();
  let input;
  try {
    input = JSON.parse(raw);
  } catch {
    input = undefined;
  }
  const { handler } = await load();
  emit(await handler(input ?? { __malformed: raw }, process.env));
}
