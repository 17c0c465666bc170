// src/workspace is the one door: no other module finds the repository, reads the
// configuration, opens a lease store or an issue source by itself (the layer that defines each
// factory excepted). Walks every import of src/ (static, re-export and dynamic) and fails on a
// value import of a factory from outside the door, so a new command or hook cannot quietly
// open a second, differently chosen store again.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from '../support/paths.js';

const SRC = join(ROOT, 'src');
const files = readdirSync(SRC, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

interface Edge {
  from: string;
  to: string;
  names: string;
  typeOnly: boolean;
}

/** `{ type A, type B }`: every name imported for its type only. */
const onlyTypes = (clause: string): boolean =>
  /^\{[\s\S]*\}$/.test(clause.trim()) &&
  clause
    .replace(/[{}]/g, '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean)
    .every((n) => n.startsWith('type '));

function edgesOf(file: string): Edge[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const out: Edge[] = [];
  const add = (spec: string, names: string, typeOnly: boolean) => {
    if (!spec.startsWith('.')) return;
    const to = relative(SRC, resolve(dirname(join(SRC, file)), spec)).replace(/\.js$/, '.ts');
    out.push({ from: file, to, names, typeOnly });
  };
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?([^;]*?)\s+from\s+'([^']+)'/gms))
    add(m[3]!, m[2]!, !!m[1] || onlyTypes(m[2]!));
  for (const m of text.matchAll(/import\(\s*'([^']+)'\s*\)/g)) add(m[1]!, '*', false);
  return out;
}
const edges = files.flatMap(edgesOf);

/** Module -> the folders allowed to import a value from it (besides its own folder). */
const FACTORIES: { module: string; names?: RegExp; allowed: string[] }[] = [
  { module: 'git/discover.ts', names: /\bdiscoverRepo\b/, allowed: ['workspace/'] },
  { module: 'config/load.ts', allowed: ['workspace/'] },
  { module: 'config/locate.ts', allowed: ['workspace/'] },
  { module: 'config/scan.ts', allowed: ['workspace/'] },
  { module: 'store/open.ts', allowed: ['workspace/'] },
  { module: 'store/local/local-store.ts', allowed: ['workspace/', 'store/'] },
  { module: 'store/remote.ts', allowed: ['workspace/', 'store/'] },
  { module: 'sources/detect.ts', allowed: ['workspace/'] },
];

function violations(all: Edge[], f: (typeof FACTORIES)[number]): string[] {
  const own = f.module.slice(0, f.module.indexOf('/') + 1);
  return all
    .filter(
      (e) =>
        e.to === f.module &&
        !e.typeOnly &&
        (!f.names || e.names === '*' || f.names.test(e.names)) &&
        !e.from.startsWith(own) &&
        !f.allowed.some((a) => e.from.startsWith(a)),
    )
    .map((e) => `${e.from} imports ${e.names.replace(/\s+/g, ' ')} from ${e.to}`);
}

test('the walk sees real imports, tells type-only ones apart, and flags a planted violation', () => {
  // Not vacuous: each factory is imported (as a value) somewhere, e.g. by the door.
  for (const f of FACTORIES)
    expect(
      edges.some((e) => e.to === f.module && !e.typeOnly),
      f.module,
    ).toBe(true);
  expect(edges.find((e) => e.from === 'workspace/open.ts' && e.to === 'sources/types.ts')?.typeOnly).toBe(true);
  expect(edges.find((e) => e.from === 'workspace/repo.ts' && e.to === 'git/discover.ts')?.typeOnly).toBe(false);
  const planted = [
    { from: 'dispatch/leases.ts', to: 'store/open.ts', names: '{ openLocalStore }', typeOnly: false },
    { from: 'hooks/run.ts', to: 'git/discover.ts', names: '{ discoverRepo, storeDirOf }', typeOnly: false },
    { from: 'cli/commands/x.ts', to: 'sources/detect.ts', names: '*', typeOnly: false },
  ];
  expect(FACTORIES.flatMap((f) => violations(planted, f))).toHaveLength(3);
  // storeDirOf/mainRootOf are plain path functions: anyone may use them.
  const harmless = [{ from: 'hooks/run.ts', to: 'git/discover.ts', names: '{ storeDirOf }', typeOnly: false }];
  expect(FACTORIES.flatMap((f) => violations(harmless, f))).toEqual([]);
});

test.each(FACTORIES.map((f) => [f.module, f] as const))('only the door takes values from %s', (_, f) => {
  expect(violations(edges, f)).toEqual([]);
});

test('nothing outside the store and the door constructs a store backend', () => {
  const bad = files.filter(
    (f) =>
      !f.startsWith('store/') &&
      !f.startsWith('workspace/') &&
      /new\s+(LocalLeaseStore|RemoteLeaseStore)\s*\(/.test(readFileSync(join(SRC, f), 'utf8')),
  );
  expect(bad).toEqual([]);
});
