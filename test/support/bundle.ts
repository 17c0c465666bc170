// Bundles a worker script into one .mjs file (a real process starts in milliseconds from it,
// instead of through the TypeScript loader), for the tests that race many processes.
import { build } from 'esbuild';
import { join } from 'node:path';
import { ROOT } from './paths.js';

/** Bundles `entry` (relative to the repository root) into `<outDir>/<name>.mjs` and returns its path. */
export async function bundleScript(entry: string, outDir: string, name: string): Promise<string> {
  const out = join(outDir, `${name}.mjs`);
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile: out,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    logLevel: 'error',
    // Bundled CommonJS dependencies call require().
    banner: { js: "import{createRequire as __cr}from'node:module';const require=__cr(import.meta.url);" },
  });
  return out;
}
