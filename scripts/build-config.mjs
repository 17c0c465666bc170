// How src/ is bundled into dist/: the entry points, the hooks' lazy modules, the esbuild
// options, and the stable names of the shared chunks. scripts/build.mjs runs it; the layering
// test (test/layers.test.ts) bundles the hook entries with the same options to check what they
// pull in statically.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Entry points: name in dist/ -> source. Hooks get their own entry so their import graph
// stays small; shared code lands in dist/chunks/.
export const entries = {
  jitp: 'src/cli/bin.ts',
  hook: 'src/hooks/runtime/entry.ts',
};

// The hooks' front door (dist/hook.cjs) and PreToolUse's live path (dist/hook-pre.cjs):
// CommonJS (starts faster than ESM), no code splitting. The front door stays tiny: every edit
// of every user loads it.
export const cjsEntries = { hook: 'src/hooks/runtime/front.ts', 'hook-pre': 'src/hooks/runtime/pre-entry.ts' };

// What dist/hook-pre.cjs (PreToolUse, CommonJS, unsplit) loads only when needed, from
// dist/lazy/. `cjs`: its own unsplit CommonJS bundle, require()d (no ESM loader: about 20 ms
// less), for what the live edit path needs often enough: the glob engine (picomatch; any lease
// naming a glob), the local store's writer (bind, extend, renew), the Bash classifier and the
// partial reader of a large state file (large-store.ts; a small one is parsed whole). `esm`:
// the ES module of the split build (shared chunks), for the heavy and rare: a config file's YAML
// parser and schema (normally answered from a cache, hook-config.ts), remote stores, background
// refreshes. Any other dynamic import in its graph fails the build, so nothing heavy is inlined
// into it by accident; test/layers.test.ts says which modules the CommonJS bundles may hold
// statically.
export const hookPreLazy = {
  'src/core/globs.ts': { name: 'globs', format: 'cjs' },
  'src/store/local/local-store.ts': { name: 'local-store', format: 'cjs' },
  'src/store/open.ts': { name: 'store-open', format: 'esm' },
  'src/config/load.ts': { name: 'config-load', format: 'esm' },
  'src/hooks/bash/bash-writes.ts': { name: 'bash-writes', format: 'cjs' },
  'src/hooks/runtime/large-store.ts': { name: 'large-store', format: 'cjs' },
  'src/hooks/handlers/protected-reads.ts': { name: 'protected-reads', format: 'cjs' },
  'src/hooks/runtime/remote-refresh.ts': { name: 'remote-refresh', format: 'esm' },
  'src/hooks/runtime/first-binding.ts': { name: 'first-binding', format: 'cjs' },
};
export const lazyOf = (format) => Object.entries(hookPreLazy).filter(([, l]) => l.format === format);

// One id per build, in every hook bundle (front-shared.ts, BUILD_ID): the front door refuses
// to hand a call to a bundle left from another build. A hash of the sources and of how they are
// bundled, so a rebuild of the same sources gives the same bytes (test/dist-fresh.test.ts).
function buildId() {
  const h = createHash('sha256').update(pkg.version);
  for (const f of ['scripts/build.mjs', 'scripts/build-config.mjs']) h.update(readFileSync(join(root, f)));
  const files = readdirSync(join(root, 'src'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  for (const f of files) h.update(`\0${f}\0`).update(readFileSync(join(root, 'src', f)));
  return h.digest('hex').slice(0, 16);
}
export const define = () => ({
  __JITP_VERSION__: JSON.stringify(pkg.version),
  __JITP_BUILD__: JSON.stringify(buildId()),
});

/** The split ESM build: the CLI, the ESM hook, and the `esm` lazy modules. */
export const esmOptions = (outdir, defines) => ({
  absWorkingDir: root,
  entryPoints: {
    ...Object.fromEntries(Object.entries(entries)),
    ...Object.fromEntries(lazyOf('esm').map(([src, l]) => [`lazy/${l.name}`, src])),
  },
  outdir,
  bundle: true,
  // A worktree whose node_modules is a symlink to another checkout's builds the same bytes.
  preserveSymlinks: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  // Renamed after the build to names that depend on which modules a chunk holds, not on its
  // bytes (stableChunkNames): a change in one module no longer renames every chunk that
  // imports it, transitively.
  chunkNames: 'chunks/[name]-[hash]',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  logLevel: 'warning',
  define: defines,
  write: false,
  metafile: true,
  // Bundled CommonJS dependencies (gray-matter…) call require() for builtins. The real
  // require is made on first use and shared: createRequire in each of the ~20 chunks a live
  // hook loads cost about 5 ms (Module._nodeModulePaths) on every edit.
  banner: {
    js:
      "import{createRequire as __jitpCR}from'node:module';" +
      'const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};',
  },
});

/**
 * The CommonJS bundles' dynamic imports: each listed module stays outside, in dist/lazy/; a
 * `cjs` one becomes a require() run at the import (a virtual module), an `esm` one an import().
 * `dir`: dist/lazy/ relative to the bundle being built.
 */
export const lazyImports = (dir) => ({
  name: 'hook-lazy',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const src = relative(root, resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')));
      const lazy = hookPreLazy[src];
      if (!lazy)
        return {
          errors: [
            {
              text:
                `dynamic import of ${src} in a CommonJS hook bundle: ` +
                'list it in hookPreLazy (scripts/build-config.mjs) or import it statically',
            },
          ],
        };
      return { path: lazy.name, namespace: lazy.format === 'esm' ? 'lazy-esm' : 'lazy-cjs' };
    });
    // An ES module is imported by the front door (dist/hook.cjs sets __jitpImport before it loads
    // any bundle; code-cache.ts IMPORT_KEY): a bundle it loads through V8's code cache is compiled
    // by vm.Script, where Node 20 gives cached code no import(). The stub is a thenable: `await import(stub)`
    // (esbuild: a promise of the stub's exports) adopts it, so the await gets the module itself.
    b.onLoad({ filter: /.*/, namespace: 'lazy-esm' }, (args) => ({
      contents:
        `const file = require('node:path').join(__dirname, ${JSON.stringify(`${dir}${args.path}.mjs`)});\n` +
        `module.exports = { then: (ok, no) => globalThis.__jitpImport(file).then(ok, no) };`,
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-cjs' }, (args) => ({
      // Through the front door's code-cache loader when it set one (src/hooks/runtime/code-cache.ts).
      contents:
        `const file = require('node:path').join(__dirname, ${JSON.stringify(`${dir}${args.path}.cjs`)});\n` +
        `module.exports = (globalThis.__jitpRequireBundle || require)(file);`,
      loader: 'js',
    }));
  },
});

export const cjsOptions = (outdir, defines) => ({
  absWorkingDir: root,
  outdir,
  bundle: true,
  preserveSymlinks: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.cjs' },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  logLevel: 'warning',
  define: defines,
});

/**
 * `src/cli/commands/batch-load.ts` -> `cli-commands-batch-load`; `node_modules/yaml/dist/x.js` -> `npm-yaml-dist-x`.
 */
const slug = (input) =>
  input
    .replace(/^src\//, '')
    .replace(/^node_modules\//, 'npm-')
    .replace(/\.[cm]?[jt]s$/, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/**
 * New names for the split build's chunks, from the modules each holds: a dynamic import's
 * chunk is named for its module (`cli-commands-status.mjs`), a shared chunk for the first of
 * its modules, sorted (`core-globs.chunk.mjs`; esbuild's helpers alone: `runtime.chunk.mjs`).
 * The names change only when the module graph does.
 */
export function stableChunkNames(metafile, outdir) {
  const rename = new Map();
  const taken = new Set();
  for (const [out, meta] of Object.entries(metafile.outputs)) {
    const rel = relative(outdir, resolve(root, out));
    if (!rel.startsWith('chunks/') || !rel.endsWith('.mjs')) continue;
    const inputs = Object.keys(meta.inputs).sort();
    const base = meta.entryPoint
      ? slug(meta.entryPoint)
      : `${inputs.length ? slug(inputs.find((i) => i.startsWith('src/')) ?? inputs[0]) : 'runtime'}.chunk`;
    let name = `chunks/${base}.mjs`;
    for (let k = 2; taken.has(name); k++) name = `chunks/${base}-${k}.mjs`;
    taken.add(name);
    rename.set(rel, name);
  }
  return rename;
}

/** Rewrites every reference to a renamed chunk (import specifiers are relative file names). */
export function applyRenames(files, rename) {
  const byBase = new Map([...rename].map(([from, to]) => [from.slice('chunks/'.length), to.slice('chunks/'.length)]));
  // Longest first, and only as a whole file name after `/`: no name can match inside another.
  const keys = [...byBase.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(`(?<=/)(?:${keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`, 'g');
  return files.map(({ rel, text }) => ({
    rel: rename.get(rel) ?? rel,
    text: byBase.size ? text.replace(pattern, (m) => byBase.get(m)) : text,
  }));
}
