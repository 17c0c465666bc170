import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { CONFIG_FILE, configSchema, type Config } from './schema.js';
import { JitpError } from '../platform/errors.js';

export interface LoadedConfig {
  config: Config;
  /** The file read, or null when defaults only. */
  file: string | null;
  /** Dotted key -> where its value came from: `default` or the file path. */
  origin: Record<string, string>;
}

function flatKeys(obj: unknown, prefix = ''): string[] {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return [prefix];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => flatKeys(v, prefix ? `${prefix}.${k}` : k));
}

/** Reads `<root>/.jit-parallel.yaml` (or `JITP_CONFIG`); invalid config is an error naming key and file. */
export function loadConfig(root: string, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const file = env.JITP_CONFIG ? env.JITP_CONFIG : join(root, CONFIG_FILE);
  let text: string | undefined;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code !== 'ENOENT') throw badYaml(file, err);
    if (env.JITP_CONFIG) {
      throw new JitpError('E_CONFIG', `JITP_CONFIG names ${file}, which does not exist`, {
        hint: 'unset JITP_CONFIG or point it at an existing file',
      });
    }
  }
  return configFromText(text, file);
}

const badYaml = (file: string, err: Error) =>
  new JitpError('E_CONFIG', `cannot read ${file}: ${err.message.split('\n')[0]}`, {
    hint: `fix the YAML in ${file}, or move it away to use the defaults (\`jitp config\` shows them)`,
  });

/**
 * The configuration a file's text gives (undefined: no file, defaults only). Pure: the same
 * text and file name always give the same answer, which the hooks' cache relies on
 * (hooks/config-cache.ts).
 */
export function configFromText(text: string | undefined, file: string): LoadedConfig {
  let raw: unknown = {};
  const found = text !== undefined;
  if (found) {
    try {
      raw = parseYaml(text) ?? {};
    } catch (e) {
      throw badYaml(file, e as Error);
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new JitpError('E_CONFIG', `invalid ${first.path.join('.') || 'configuration'} in ${file}: ${first.message}`, {
      hint: `edit ${file}; \`jitp config\` lists every key with its default`,
      details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  const fromFile = new Set(found ? flatKeys(raw) : []);
  const origin: Record<string, string> = {};
  for (const key of flatKeys(parsed.data)) origin[key] = fromFile.has(key) ? file : 'default';
  return { config: parsed.data, file: found ? file : null, origin };
}
