// Environment for running the real `claude` binary offline in tests.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './git.js';

export function claudeEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const home = tempDir('jitp-home-');
  mkdirSync(join(home, '.claude'), { recursive: true });
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Never let a developer's own login, key or session leak into a test run.
  for (const k of Object.keys(env)) if (k.startsWith('CLAUDE') || k.startsWith('ANTHROPIC')) delete env[k];
  return {
    ...env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    ...extra,
  };
}
