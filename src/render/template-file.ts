// Finds references/agent-prompt-template.md, the one source of the sub-agent prompt, at run
// time. The bundle lives in <plugin>/dist/ (chunks in dist/chunks/), the sources in
// <repo>/src/render/; both sit under the plugin root that ships references/, so walking up
// from this module finds it without a copy inside the bundle that could drift.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JitpError } from '../platform/errors.js';

export const TEMPLATE_REL = 'references/agent-prompt-template.md';

export function findTemplate(env: NodeJS.ProcessEnv = process.env): string {
  const tried: string[] = [];
  // Our own ancestors first (never another plugin's file); JITP_PLUGIN_ROOT for odd layouts.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, TEMPLATE_REL);
    tried.push(p);
    if (existsSync(p)) return p;
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  if (env.JITP_PLUGIN_ROOT) {
    const p = join(env.JITP_PLUGIN_ROOT, TEMPLATE_REL);
    tried.push(p);
    if (existsSync(p)) return p;
  }
  throw new JitpError('E_TEMPLATE', `cannot find ${TEMPLATE_REL} (looked at ${tried.join(', ')})`, {
    hint:
      'the plugin install is incomplete: reinstall it (`claude plugin install jit-parallel@jit-parallel`), or ' +
      'set JITP_PLUGIN_ROOT to the plugin folder',
  });
}

export function loadTemplate(env: NodeJS.ProcessEnv = process.env): { path: string; text: string } {
  const path = findTemplate(env);
  return { path, text: readFileSync(path, 'utf8') };
}
