// The configuration loader: the one source of truth for what `.jit-parallel.yaml` means. Which
// file applies is config/locate.ts (shared with the hooks' cache and line scan); this parses and
// validates it. Everything else gets the configuration through src/workspace.
import { parse as parseYaml } from 'yaml';
import { configSchema, type Config } from './schema.js';
import { JitpError } from '../platform/errors.js';
import { isAbsent, readConfigFile, type ConfigText } from './locate.js';

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

/**
 * Reads the configuration of a checkout: JITP_CONFIG, else `.jit-parallel.yaml` in the first of
 * `roots` that has one (src/workspace passes the checkout's top, then the main checkout's).
 * Invalid configuration is an error naming key and file.
 */
export function loadConfig(roots: string | readonly string[], env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  return loadConfigText(readConfigFile(typeof roots === 'string' ? [roots] : roots, env));
}

/** The configuration a located file gives (config/locate.ts): its error, or what its text says. */
export function loadConfigText(found: ConfigText): LoadedConfig {
  if (found.error) {
    if (found.explicit && isAbsent(found.error))
      throw new JitpError('E_CONFIG', `JITP_CONFIG names ${found.file}, which does not exist`, {
        hint: 'unset JITP_CONFIG or point it at an existing file',
      });
    throw badYaml(found.file, found.error);
  }
  return configFromText(found.text, found.file);
}

const badYaml = (file: string, err: Error) =>
  new JitpError('E_CONFIG', `cannot read ${file}: ${err.message.split('\n')[0]}`, {
    hint: `fix the YAML in ${file}, or move it away to use the defaults (\`jitp config\` shows them)`,
  });

/**
 * The configuration a file's text gives (undefined: no file, defaults only). Pure: the same
 * text and file name always give the same answer, which the hooks' cache relies on
 * (hooks/runtime/config-cache.ts).
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
