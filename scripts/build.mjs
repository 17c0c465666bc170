// Bundles src/ into dist/ (committed: the plugin is installed from git with no build step).
// `node scripts/build.mjs --out <dir>` builds elsewhere; the freshness test compares the two.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
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

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
await build({
  absWorkingDir: root,
  entryPoints: Object.fromEntries(
    Object.entries(entries).filter(([, src]) => existsSync(join(root, src))),
  ),
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
  define: { __JITP_VERSION__: JSON.stringify(pkg.version) },
  // Bundled CommonJS dependencies (gray-matter…) call require() for builtins. The real
  // require is made on first use and shared: createRequire in each of the ~20 chunks a live
  // hook loads cost about 5 ms (Module._nodeModulePaths) on every edit.
  banner: {
    js: "import{createRequire as __jitpCR}from'node:module';const require=function(){return(globalThis.__jitpRequire??=__jitpCR(import.meta.url)).apply(this,arguments)};",
  },
});
// The hooks' front door: CommonJS (starts faster than ESM), no code splitting, tiny.
await build({
  absWorkingDir: root,
  entryPoints: { hook: 'src/hooks/front.ts' },
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
});
const files = readdirSync(outdir, { recursive: true }).filter((f) => /\.[cm]js$/.test(String(f)));
if (!process.argv.includes('--quiet')) console.log(`built ${files.length} files into ${outdir}`);
