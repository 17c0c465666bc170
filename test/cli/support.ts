// Runs `jitp` in-process (src/cli/main.ts, the same code dist/jitp.mjs bundles) with captured output.
import { run } from '../../src/cli/main.js';

export async function jitp(
  cwd: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  opts: { stdoutTty?: boolean; columns?: number } = {},
) {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env: { HOME: cwd, PATH: process.env.PATH, JIT_AGENT_ID: 'agent:alice', ...env } as NodeJS.ProcessEnv,
    cwd,
    interactive: false,
    ...(opts.stdoutTty !== undefined ? { stdoutTty: opts.stdoutTty } : {}),
    ...(opts.columns !== undefined ? { columns: opts.columns } : {}),
  });
  return { code, stdout, stderr, json: () => JSON.parse(stdout) };
}
