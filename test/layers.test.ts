// The layering, in one place (docs/layers.md explains it). Every import under src/, static,
// type-only and dynamic, may only point into its own folder or a lower layer, and folders may
// not import each other in a cycle. The hooks' hot path is held to a list: what dist/hook.cjs
// and dist/hook-pre.cjs may contain statically, bundled by the real build options.
import { build, type Metafile } from 'esbuild';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  describeEdge,
  edgesWithin,
  folderCycles,
  folderOf,
  importGraph,
  upwardEdges,
  type ImportEdge,
} from './support/import-graph.js';
import { ROOT } from './support/paths.js';
import { cjsEntries, cjsOptions, define, hookPreLazy, lazyImports } from '../scripts/build-config.mjs';

/** Lowest first. A module may import from its own folder and from the folders of lower layers. */
export const LAYERS: readonly (readonly string[])[] = [
  ['platform'], // process, git runner, atomic writes, lock, pid, durations, errors, fs probes: nothing of ours
  ['core'], // pure rules and the domain model: no I/O
  ['config', 'git'], // the user's configuration and identity; where the repository is (no git process)
  ['store', 'remote', 'sources', 'plan', 'render'], // adapters: lease stores, issue sources, planner, text
  ['workspace'], // openWorkspace: the one door to repo, config, store and source
  ['dispatch', 'worktree', 'merge', 'spawn'], // what the commands do
  ['cli', 'hooks'], // the two front ends
];
const layerOf: Record<string, number> = Object.fromEntries(LAYERS.flatMap((fs, i) => fs.map((f) => [f, i])));

const edges = importGraph(ROOT);
const list = (es: readonly ImportEdge[]) => es.map(describeEdge).join('\n');

describe('layers', () => {
  it('every folder of src/ has its place in the layer map', () => {
    const folders = readdirSync(join(ROOT, 'src'), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      // Declarations for untyped packages only; nothing imports them by path.
      .filter((d) =>
        readdirSync(join(ROOT, 'src', d), { recursive: true }).some((f) => /(?<!\.d)\.ts$/.test(String(f))),
      );
    expect(folders.filter((f) => !(f in layerOf))).toEqual([]);
  });

  it('no import points to a higher layer', () => {
    const bad = upwardEdges(edges, layerOf);
    expect(bad.map((v) => `${describeEdge(v.edge)}: ${v.why}`).join('\n')).toBe('');
  });

  it('no two folders import each other, directly or round a cycle', () => {
    const cycles = folderCycles(edges);
    expect(cycles.map((c) => `${c.join(' <-> ')}:\n${list(edgesWithin(edges, c))}`).join('\n\n')).toBe('');
  });

  it('platform/ imports nothing of ours outside itself, and no package (the hot path can use all of it)', () => {
    const bad = edges.filter(
      (e) =>
        folderOf(e.from) === 'platform' &&
        (e.to.startsWith('src/') ? folderOf(e.to) !== 'platform' : !e.to.startsWith('node:')),
    );
    expect(list(bad)).toBe('');
  });

  it('core/ is pure: no file system, process, network or clock modules, no process global', () => {
    const IO =
      /^node:(fs|fs\/promises|child_process|net|http|https|http2|dgram|dns|tls|os|worker_threads|readline|v8|vm)$/;
    const bad = edges.filter(
      (e) =>
        folderOf(e.from) === 'core' &&
        (IO.test(e.to) ||
          (!e.to.startsWith('src/') && !e.to.startsWith('node:') && !['picomatch', 'smol-toml'].includes(e.to))),
    );
    expect(list(bad)).toBe('');
    const usesProcess = readdirSync(join(ROOT, 'src/core'))
      .filter((f) => f.endsWith('.ts'))
      .filter((f) => /(^|[^.\w])process\.\w/m.test(stripComments(join(ROOT, 'src/core', f))));
    expect(usesProcess).toEqual([]);
  });
});

describe('the layer checks themselves', () => {
  const e = (from: string, to: string): ImportEdge => ({ from, to, spec: to, kind: 'static', line: 1 });
  it('catch an upward edge, an unplaced folder, and a cycle', () => {
    expect(upwardEdges([e('src/core/a.ts', 'src/store/b.ts')], layerOf).map((v) => v.why)).toEqual([
      'core (layer 1) imports store (layer 3)',
    ]);
    expect(upwardEdges([e('src/newthing/a.ts', 'src/core/b.ts')], layerOf)[0]?.why).toMatch(/no layer/);
    expect(upwardEdges([e('src/store/a.ts', 'src/core/b.ts'), e('src/store/a.ts', 'node:fs')], layerOf)).toEqual([]);
    expect(folderCycles([e('src/worktree/a.ts', 'src/merge/b.ts'), e('src/merge/b.ts', 'src/worktree/c.ts')])).toEqual([
      ['merge', 'worktree'],
    ]);
    expect(folderCycles([e('src/worktree/a.ts', 'src/merge/b.ts')])).toEqual([]);
  });
});

// ---- The hooks' hot path -----------------------------------------------------------------

/** What dist/hook.cjs (the front door every edit of every user runs) may contain. */
const FRONT_DOOR = [
  'src/hooks/runtime/code-cache.ts',
  'src/config/locate.ts',
  'src/config/scan.ts',
  'src/git/discover.ts',
  'src/hooks/runtime/config-cache.ts',
  'src/hooks/runtime/failure.ts',
  'src/hooks/runtime/fast-path.ts',
  'src/hooks/runtime/front-shared.ts',
  'src/hooks/runtime/front.ts',
  'src/platform/duration.ts',
  'src/store/local/state-format.ts',
  'src/workspace/config-file.ts',
  'src/workspace/repo.ts',
];
/** What dist/hook-pre.cjs (PreToolUse while a lease may be live) may contain; the rest is lazy. */
const LIVE_EDIT = [
  'src/config/locate.ts',
  'src/config/scan.ts',
  'src/core/binding.ts',
  'src/core/default-agent.ts',
  'src/core/glob-escape.ts',
  'src/core/glob-simple.ts',
  'src/core/hook-decision.ts',
  'src/core/lease-index-core.ts',
  'src/core/paths.ts',
  'src/core/shell-quote.ts',
  'src/git/discover.ts',
  'src/git/repo-paths.ts',
  'src/hooks/runtime/anchor.ts',
  'src/hooks/runtime/bind-record.ts',
  'src/hooks/runtime/binding-resolve.ts',
  'src/hooks/runtime/config-cache.ts',
  'src/hooks/runtime/context.ts',
  'src/hooks/runtime/failure.ts',
  'src/hooks/runtime/fast-path.ts',
  'src/hooks/runtime/front-shared.ts',
  'src/hooks/runtime/glob-engine.ts',
  'src/hooks/runtime/heartbeat.ts',
  'src/hooks/runtime/pre-entry.ts',
  'src/hooks/handlers/bash-call.ts',
  'src/hooks/handlers/pre-tool-use.ts',
  'src/hooks/runtime/run.ts',
  'src/hooks/runtime/store-access.ts',
  'src/hooks/runtime/transcript-read.ts',
  'src/platform/atomic-write.ts',
  'src/platform/duration.ts',
  'src/platform/errors.ts',
  'src/platform/fs-paths.ts',
  'src/remote/mirror-read.ts',
  'src/remote/view-read.ts',
  'src/store/local/snapshot-read.ts',
  'src/store/local/state-check.ts',
  'src/store/local/state-delta.ts',
  'src/store/local/state-format.ts',
  'src/workspace/config-file.ts',
  'src/workspace/config.ts',
  'src/workspace/repo.ts',
  'src/workspace/stores.ts',
];
/** Node modules they may load at start (node:crypto, node:child_process, node:os cost milliseconds). */
const BUILTINS: Record<string, string[]> = {
  // node:vm and node:module: required inside code-cache.ts's loader, on the live path only.
  hook: ['node:fs', 'node:path', 'node:url', 'node:vm', 'node:module'],
  'hook-pre': ['node:fs', 'node:path'],
};

describe('the hooks’ hot path', () => {
  let meta: Metafile;
  beforeAll(async () => {
    const out = await build({
      ...cjsOptions(join(ROOT, 'dist'), define()),
      plugins: [lazyImports('lazy/')],
      entryPoints: cjsEntries,
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    meta = out.metafile;
  });
  const bundle = (name: string) => Object.entries(meta.outputs).find(([f]) => f.endsWith(`/${name}.cjs`))![1];
  const inputs = (name: string) =>
    Object.keys(bundle(name).inputs)
      .filter((i) => i.startsWith('src/'))
      .sort();

  it.each([
    ['hook', FRONT_DOOR],
    ['hook-pre', LIVE_EDIT],
  ])('dist/%s.cjs holds exactly the modules listed for it', (name, allowed) => {
    const got = inputs(name);
    expect({
      extra: got.filter((m) => !allowed.includes(m)),
      missing: allowed.filter((m) => !got.includes(m)),
    }).toEqual({
      extra: [],
      missing: [],
    });
  });

  it.each(Object.keys(BUILTINS))('dist/%s.cjs holds no npm package and loads only its listed node modules', (name) => {
    const b = bundle(name);
    expect(Object.keys(b.inputs).filter((i) => !i.startsWith('src/') && !/^lazy-(cjs|esm):/.test(i))).toEqual([]);
    const loads = [
      ...new Set(b.imports.filter((i) => i.external && i.path.startsWith('node:')).map((i) => i.path)),
    ].sort();
    expect(loads.filter((p) => !BUILTINS[name]!.includes(p))).toEqual([]);
  });

  it('everything else they may reach is lazy: their dynamic imports are the hookPreLazy modules', () => {
    const dynamic = edges.filter(
      (e) => e.kind === 'dynamic' && (inputs('hook').includes(e.from) || inputs('hook-pre').includes(e.from)),
    );
    const targets = [...new Set(dynamic.map((e) => e.to))].sort();
    expect(targets.filter((t) => !(t in hookPreLazy))).toEqual([]);
    for (const src of Object.keys(hookPreLazy)) expect(existsSync(join(ROOT, src)), src).toBe(true);
  });
});

function stripComments(file: string): string {
  return readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}
