// The real client's validator must accept the plugin and its marketplace, strictly.
import { execFileSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { CLAUDE_BIN, ROOT } from './support/paths.js';
import { claudeEnv } from './support/claude-env.js';

function validate(target: string) {
  const out = execFileSync(CLAUDE_BIN, ['plugin', 'validate', '--strict', '--json', target], {
    cwd: ROOT,
    env: claudeEnv(),
    encoding: 'utf8',
  });
  return JSON.parse(out) as { success: boolean; manifest: { type: string; errors: unknown[]; warnings: unknown[] } };
}

test('claude plugin validate --strict . (the marketplace) passes', () => {
  const r = validate('.');
  expect(r.manifest.type).toBe('marketplace');
  expect(r.manifest.errors).toEqual([]);
  expect(r.manifest.warnings).toEqual([]);
  expect(r.success).toBe(true);
});

test('claude plugin validate --strict on the plugin manifest passes', () => {
  const r = validate('.claude-plugin/plugin.json');
  expect(r.manifest.type).toBe('plugin');
  expect(r.manifest.errors).toEqual([]);
  expect(r.manifest.warnings).toEqual([]);
  expect(r.success).toBe(true);
});
