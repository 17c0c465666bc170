// Every runtime dependency is imported somewhere under src/ (a listed package nobody imports is
// weight every user installs for nothing), and every package src/ imports is listed.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { importGraph } from './support/import-graph.js';
import { ROOT } from './support/paths.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};
const deps = Object.keys(pkg.dependencies ?? {});

/**
 * Listed but not imported yet, each with who decides. The test fails once one of them is
 * imported (take it off this list) or when the list names a package no longer listed.
 */
const PENDING: Record<string, string> = {};

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');
const imported = new Set(
  importGraph(ROOT)
    .filter((e) => !e.to.startsWith('src/') && !e.to.startsWith('node:') && !builtinModules.includes(e.to))
    .filter((e) => e.kind !== 'type')
    .map((e) => packageOf(e.to)),
);

it('every dependency is imported by src/ (or pending, with who decides)', () => {
  expect(deps.filter((d) => !imported.has(d) && !(d in PENDING))).toEqual([]);
});

it('the pending list is true: its packages are listed and still unimported', () => {
  for (const p of Object.keys(PENDING)) {
    expect(deps, `${p} is no longer a dependency: drop it from PENDING`).toContain(p);
    expect(imported.has(p), `${p} is imported now: drop it from PENDING`).toBe(false);
  }
});

it('every package src/ imports at run time is a dependency, not a dev dependency', () => {
  expect([...imported].filter((p) => !deps.includes(p)).sort()).toEqual([]);
});
