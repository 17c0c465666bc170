// Types of build-config.mjs for the TypeScript tests that use it (test/layers.test.ts).
import type { BuildOptions, Metafile, Plugin } from 'esbuild';

export const root: string;
export const entries: Record<string, string>;
export const cjsEntries: Record<string, string>;
export const hookPreLazy: Record<string, { name: string; format: 'cjs' | 'esm' }>;
export function lazyOf(format: 'cjs' | 'esm'): [string, { name: string; format: 'cjs' | 'esm' }][];
export function define(): Record<string, string>;
export function esmOptions(outdir: string, defines: Record<string, string>): BuildOptions;
export function cjsOptions(outdir: string, defines: Record<string, string>): BuildOptions;
export function lazyImports(dir: string): Plugin;
export function stableChunkNames(metafile: Metafile, outdir: string): Map<string, string>;
export function applyRenames(
  files: { rel: string; text: string }[],
  rename: Map<string, string>,
): { rel: string; text: string }[];
