// Gathers the facts detectTestCommand needs from the repository's top folder.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectTestCommand, type ProjectFiles, type TestCommand } from './test-command.js';

const readText = (p: string): string | null => {
  try {
    return readFileSync(p, 'utf8');
  } catch {
    return null;
  }
};
const readJson = <T>(p: string): T | null => {
  const t = readText(p);
  if (t === null) return null;
  try {
    return JSON.parse(t) as T;
  } catch {
    return null; // a broken manifest is the project's problem; fall through to other signals
  }
};

export function projectFiles(root: string): ProjectFiles {
  let files: string[] = [];
  try {
    files = readdirSync(root);
  } catch {
    files = [];
  }
  const has = (f: string) => files.includes(f);
  return {
    files,
    packageJson: has('package.json') ? readJson(join(root, 'package.json')) : null,
    makefile: has('Makefile')
      ? readText(join(root, 'Makefile'))
      : has('makefile')
        ? readText(join(root, 'makefile'))
        : null,
    pyproject: has('pyproject.toml') ? readText(join(root, 'pyproject.toml')) : null,
    setupCfg: has('setup.cfg') ? readText(join(root, 'setup.cfg')) : null,
    composerJson: has('composer.json') ? readJson(join(root, 'composer.json')) : null,
  };
}

export const testCommandFor = (root: string, configured?: string | null): TestCommand | null =>
  detectTestCommand(projectFiles(root), configured);
