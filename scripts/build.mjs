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

// What dist/hook-pre.cjs (PreToolUse, CommonJS, unsplit) loads only when needed, as ES modules
// from dist/lazy/: heavy and rare on the edit path (a store write, a config file, a Bash
// command, a remote lease). Every other dynamic import in its graph fails the build, so nothing
// heavy is inlined into it by accident.
export const hookPreLazy = {
  'src/store/local/local-store.ts': 'local-store',
  'src/store/open.ts': 'store-open',
  'src/config/load.ts': 'config-load',
  'src/hooks/bash-writes.ts': 'bash-writes',
  'src/hooks/remote-refresh.ts': 'remote-refresh',
  'src/core/globs.ts': 'globs',
};

// One id per build, in every hook bundle (front-shared.ts, BUILD_ID): the front door refuses
// to hand a call to a bundle left from another build. A hash of the sources, so a rebuild of
// the same sources gives the same bytes (test/dist-fresh.test.ts).
function buildId() {
  const h = createHash('sha256').update(pkg.version);
  const files = readdirSync(join(root, 'src'), { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).sort();
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
    ...Object.fromEntries(Object.entries(hookPreLazy).map(([src, name]) => [`lazy/${name}`, src])),
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
// dist/hook-pre.cjs's dynamic imports: the listed modules stay outside, loaded from dist/lazy/.
const lazyImports = {
  name: 'hook-pre-lazy',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      const src = relative(root, resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts')));
      const name = hookPreLazy[src];
      if (name) return { path: `./lazy/${name}.mjs`, external: true };
      return { errors: [{ text: `dynamic import of ${src} in a CommonJS hook bundle: list it in hookPreLazy (build.mjs) or import it statically` }] };
    });
  },
};
// The hooks' front door (dist/hook.cjs) and PreToolUse's live path (dist/hook-pre.cjs):
// CommonJS (starts faster than ESM), no code splitting. The front door stays tiny: every edit
// of every user loads it.
await build({
  absWorkingDir: root,
  entryPoints: { hook: 'src/hooks/front.ts', 'hook-pre': 'src/hooks/pre-entry.ts' },
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
  plugins: [lazyImports],
});
const files = readdirSync(outdir, { recursive: true }).filter((f) => /\.[cm]js$/.test(String(f)));
if (!process.argv.includes('--quiet')) console.log(`built ${files.length} files into ${outdir}`);
