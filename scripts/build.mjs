// Bundles src/ into dist/ (committed: the plugin is installed from git with no build step).
// `node scripts/build.mjs --out <dir>` builds elsewhere; the freshness test compares the two.
// What is bundled how: scripts/build-config.mjs.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  applyRenames,
  cjsEntries,
  cjsOptions,
  define,
  esmOptions,
  lazyImports,
  lazyOf,
  root,
  stableChunkNames,
} from './build-config.mjs';

const outIdx = process.argv.indexOf('--out');
const outdir = outIdx > 0 ? resolve(process.argv[outIdx + 1]) : join(root, 'dist');
const defines = define();

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const esm = await build(esmOptions(outdir, defines));
const files = applyRenames(
  esm.outputFiles.map((f) => ({ rel: relative(outdir, f.path), text: f.text })),
  stableChunkNames(esm.metafile, outdir),
);
for (const { rel, text } of files) {
  mkdirSync(dirname(join(outdir, rel)), { recursive: true });
  writeFileSync(join(outdir, rel), text);
}
await build({ ...cjsOptions(outdir, defines), plugins: [lazyImports('lazy/')], entryPoints: cjsEntries });
await build({
  ...cjsOptions(outdir, defines),
  plugins: [lazyImports('')],
  entryPoints: Object.fromEntries(lazyOf('cjs').map(([src, l]) => [`lazy/${l.name}`, src])),
});
const built = readdirSync(outdir, { recursive: true }).filter((f) => /\.[cm]js$/.test(String(f)));
if (!process.argv.includes('--quiet')) console.log(`built ${built.length} files into ${outdir}`);
