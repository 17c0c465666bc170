#!/usr/bin/env node
// `npm run setup:client`: installs the pinned Claude Code client (package.json
// config.claudeClient) into .cache/claude-client/, where the real-client tests find it. It is
// not a dependency: `npm ci` stays small (the client is ~360 MB and wants Node 22), and the
// tests that need it skip, saying how to enable them, when it is absent.
// JITP_TEST_CLAUDE_BIN=<path to a claude binary> uses another client instead.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).config.claudeClient;
const dir = join(root, '.cache', 'claude-client');
const bin = join(dir, 'node_modules', '.bin', 'claude');
const installed = () => {
  try {
    return JSON.parse(readFileSync(join(dir, 'node_modules', '@anthropic-ai', 'claude-code', 'package.json'), 'utf8'))
      .version;
  } catch {
    return null;
  }
};

if (installed() === version && existsSync(bin)) {
  console.log(`claude ${version} already in ${bin}`);
  process.exit(0);
}
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ private: true, description: 'npm run setup:client' })}\n`);
console.log(`installing @anthropic-ai/claude-code@${version} into ${dir} …`);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const r = spawnSync(
  npm,
  ['install', '--no-save', '--no-package-lock', '--no-audit', '--no-fund', `@anthropic-ai/claude-code@${version}`],
  { cwd: dir, stdio: 'inherit' },
);
if (r.status !== 0 || installed() !== version || !existsSync(bin)) {
  console.error(`setup:client: the install failed (exit ${r.status}); the real-client tests will skip.`);
  process.exit(1);
}
const v = spawnSync(bin, ['--version'], { encoding: 'utf8', env: { ...process.env, DISABLE_AUTOUPDATER: '1' } });
console.log(`claude ${v.stdout.trim() || version} ready: ${bin}`);
