// Bundles src/ into dist/ (committed: the plugin is installed from git with no build step).
// `node scripts/build.mjs --out <dir>` builds elsewhere; the freshness test compares the two.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outIdx = process.argv.indexOf('--out');
const outdir = outIdx > 0 ? resolve(process.argv[outIdx + 1]) : join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

// Entry points: name in dist/ -> source. Hooks get their own entry so their import graph
// stays small; shared code lands in dist/chunks/.
export const entries = {
  jitp: 'src/cli/bin.ts',
  hook: 'src/hooks/entry.ts',
};

// What dist/hook-pre.cjs (PreToolUse, CommonJS, unsplit) loads only when needed, from
// dist/lazy/. `cjs`: its own unsplit CommonJS bundle, require()d (no ESM loader: about 20 ms
// less), for what the live edit path needs often enough: the glob engine (picomatch; any lease
// naming a glob) and the local store's writer (bind, extend, renew). `esm`: the ES module of
// the split build (shared chunks), for the heavy and rare: a config file's YAML parser and
// schema (normally answered from a cache, hook-config.ts), the shell parser (Bash), remote
// stores, background refreshes. Any other dynamic import in its graph fails the build, so
// nothing heavy is inlined into it by accident.
export const hookPreLazy = {
  'src/core/globs.ts': { name: 'globs', format: 'cjs' },
  'src/store/local/local-store.ts': { name: 'local-store', format: 'cjs' },
  'src/store/open.ts': { name: 'store-open', format: 'esm' },
  'src/config/load.ts': { name: 'config-load', format: 'esm' },
  'src/hooks/bash-writes.ts': { name: 'bash-writes', format: 'esm' },
  'src/hooks/remote-refresh.ts': { name: 'remote-refresh', format: 'esm' },
};
const lazyOf = (format) => Object.entries(hookPreLazy).filter(([, l]) => l.format === format);

// One id per build, in every hook bundle (front-shared.ts, BUILD_ID): the front door refuses
// to hand a call to a bundle left from another build. A hash of the sources and this script, so a rebuild of
// the same sources gives the same bytes (test/dist-fresh.test.ts).
function buildId() {
  const h = createHash('sha256')
    .update(pkg.version)
    .update(readFileSync(fileURLToPath(import.meta.url))); // and how it is bundled
  const files = readdirSync(join(root, 'src'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .sort();
  for (const f of files) h.update(`\0${f}\0`).update(readFileSync(join(root, 'src', f)));
  return h.digest('hex').slice(0, 16);
}
const define = { __JITP_VERSION__: JSON.stringify(pkg.version), __JITP_BUILD__: JSON.stringify(buildId()) };

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
await build({
  absWorkingDir: root,
  entryPoints: {
    ...Object.fromEntries(Object.entries(entries).filter(([, src]) => existsSync(join(root, src)))),
    ...Object.fromEntries(lazyOf('esm').map(([src, l]) => [`lazy/${l.name}`, src])),
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  logLevel: 'warning',
  define,
  // Bundled CommonJS dependencies (gray-matter…) call require() for builtins. The real
  // require is made on first use and shared: createRequire in each of the ~20 chunks a live
  // hook loads cost about 5 ms (Module._nodeModulePaths) on every edit.
  banner: {
    js: "import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};",
  },
});
// The CommonJS bundles' dynamic imports: each listed module stays outside, in dist/lazy/; a
// `cjs` one becomes a require() run at the import (a virtual module), an `esm` one an import().
// `dir`: dist/lazy/ relative to the bundle being built.
const lazyImports = (dir) => ({
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
              text: `dynamic import of ${src} in a CommonJS hook bundle: list it in hookPreLazy (build.mjs) or import it statically`,
            },
          ],
        };
      if (lazy.format === 'esm') return { path: `./${dir}${lazy.name}.mjs`, external: true };
      return { path: lazy.name, namespace: 'lazy-cjs' };
    });
    b.onLoad({ filter: /.*/, namespace: 'lazy-cjs' }, (args) => ({
      contents: `module.exports = require(require('node:path').join(__dirname, ${JSON.stringify(`${dir}${args.path}.cjs`)}));`,
      loader: 'js',
    }));
  },
});
const cjs = {
  absWorkingDir: root,
  outdir,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  outExtension: { '.js': '.cjs' },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'eof',
  logLevel: 'warning',
  define,
};
// The hooks' front door (dist/hook.cjs) and PreToolUse's live path (dist/hook-pre.cjs):
// CommonJS (starts faster than ESM), no code splitting. The front door stays tiny: every edit
// of every user loads it.
await build({
  ...cjs,
  plugins: [lazyImports('lazy/')],
  entryPoints: { hook: 'src/hooks/front.ts', 'hook-pre': 'src/hooks/pre-entry.ts' },
});
await build({
  ...cjs,
  plugins: [lazyImports('')],
  entryPoints: Object.fromEntries(lazyOf('cjs').map(([src, l]) => [`lazy/${l.name}`, src])),
});
const files = readdirSync(outdir, { recursive: true }).filter((f) => /\.[cm]js$/.test(String(f)));
if (!process.argv.includes('--quiet')) console.log(`built ${files.length} files into ${outdir}`);
