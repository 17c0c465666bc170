// The configuration loader: the one source of truth for what `.jit-parallel.yaml` means. Which
// file applies is config/locate.ts (shared with the hooks' cache and line scan); this parses and
// validates it. Everything else gets the configuration through src/workspace.
import { LineCounter, isMap, isScalar, parse as parseYaml, parseDocument, type Node as YamlNode } from 'yaml';
import { configSchema, type Config } from './schema.js';
import { JitpError } from '../platform/errors.js';
import { isAbsent, readConfigFile, type ConfigText } from './locate.js';
import { nearest } from '../core/near.js';

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

/** One invalid part of a configuration file, and what is used instead. */
export interface ConfigProblem {
  file: string;
  /** 1-based line of the key (or of the syntax error); absent when the file cannot be read at all. */
  line?: number;
  /** Dotted key; `""` for the whole file (unreadable or not YAML). */
  key: string;
  /** The value found, when there is one. */
  value?: unknown;
  message: string;
  /** What applies instead: the key's default (`undefined`: an unknown key, ignored). */
  used?: unknown;
}

export interface InspectedConfig extends LoadedConfig {
  /** Empty when the file is valid. */
  problems: ConfigProblem[];
}

/** The YAML node at a key path (keys only; a list index ends the walk at the list's key). */
function keyLine(doc: ReturnType<typeof parseDocument>, lc: LineCounter, path: readonly PropertyKey[]) {
  let node: unknown = doc.contents;
  let line: number | undefined;
  for (const seg of path) {
    if (!isMap(node)) break;
    const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(seg));
    if (!pair) break;
    const range = (pair.key as YamlNode).range;
    if (range) line = lc.linePos(range[0]).line;
    node = pair.value;
  }
  return line;
}

function getPath(obj: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (o, k) => (o && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k] : undefined),
    obj,
  );
}

function deletePath(obj: unknown, path: readonly PropertyKey[]): void {
  const parent = getPath(obj, path.slice(0, -1));
  if (parent && typeof parent === 'object') delete (parent as Record<PropertyKey, unknown>)[path[path.length - 1]!];
}

/**
 * The configuration as far as it is valid: every invalid or unknown key is reported with its file,
 * line and value, and the key's default is used instead (an unknown key is ignored). Never throws.
 * For readers that must keep working on a broken file: the hooks (a typo must never turn
 * enforcement off) and `jitp config` (which shows what is wrong). Other commands keep refusing an
 * invalid file (loadConfigText, exit 8).
 */
export function inspectConfigText(found: ConfigText): InspectedConfig {
  const defaults = (problems: ConfigProblem[]): InspectedConfig => ({
    ...configFromText(undefined, found.file),
    file: found.text === undefined ? null : found.file,
    problems,
  });
  if (found.error) {
    if (!found.explicit && isAbsent(found.error)) return defaults([]);
    const why = found.explicit && isAbsent(found.error) ? 'JITP_CONFIG names a file that does not exist' : '';
    return defaults([
      { file: found.file, key: '', message: why || `cannot read: ${found.error.message}`, used: 'all defaults' },
    ]);
  }
  if (found.text === undefined) return defaults([]);
  const lc = new LineCounter();
  const doc = parseDocument(found.text, { lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length) {
    const e = doc.errors[0]!;
    return defaults([
      {
        file: found.file,
        ...(e.linePos ? { line: e.linePos[0].line } : {}),
        key: '',
        message: `not valid YAML: ${e.message.split('\n')[0]}`,
        used: 'all defaults',
      },
    ]);
  }
  let raw: unknown;
  try {
    raw = doc.toJS() ?? {};
  } catch (e) {
    // toJS throws on what the parse accepts: an alias without its anchor (`policy: *a`).
    const message = `not valid YAML: ${(e as Error).message.split('\n')[0]}`;
    return defaults([{ file: found.file, key: '', message, used: 'all defaults' }]);
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return defaults([
      { file: found.file, line: 1, key: '', message: 'expected a mapping of keys (key: value)', used: 'all defaults' },
    ]);
  }
  const problems: ConfigProblem[] = [];
  // Each round drops the keys the schema refuses and asks again, so one bad key never hides
  // another and the rest of the file still applies. Bounded: every round removes a key.
  for (let round = 0; round < 64; round++) {
    const parsed = configSchema.safeParse(raw);
    if (parsed.success) break;
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const k of issue.keys) {
          const path = [...issue.path, k];
          const key = path.join('.');
          problems.push({
            file: found.file,
            ...lineOf(doc, lc, path),
            key,
            value: getPath(raw, path),
            message: `unknown key ${JSON.stringify(key)}${suggestKey(issue.path, k)}`,
          });
          deletePath(raw, path);
        }
        continue;
      }
      // A bad list element or nested value: the whole key it belongs to takes its default.
      let path = [...issue.path];
      while (path.length > 1 && typeof path[path.length - 1] === 'number') path = path.slice(0, -1);
      if (!path.length) {
        raw = {};
        continue;
      }
      if (getPath(raw, path) === undefined) continue; // already dropped this round
      problems.push({
        file: found.file,
        ...lineOf(doc, lc, path),
        key: path.join('.'),
        value: getPath(raw, path),
        message: issue.message,
        used: getPath(configFromText(undefined, found.file).config, path),
      });
      deletePath(raw, path);
    }
  }
  const parsed = configSchema.safeParse(raw);
  const config = parsed.success ? parsed.data : configFromText(undefined, found.file).config;
  const fromFile = new Set(flatKeys(raw));
  const origin: Record<string, string> = {};
  for (const key of flatKeys(config)) origin[key] = fromFile.has(key) ? found.file : 'default';
  // In file order (then by key), whatever order the schema checked them in.
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || a.key.localeCompare(b.key));
  return { config, file: found.file, origin, problems };
}

const lineOf = (doc: ReturnType<typeof parseDocument>, lc: LineCounter, path: readonly PropertyKey[]) => {
  const line = keyLine(doc, lc, path);
  return line ? { line } : {};
};

/** ` (did you mean "policy"?)` for a misspelt key, from the schema's own key list. */
function suggestKey(parent: readonly PropertyKey[], key: string): string {
  let shape: unknown = configSchema;
  for (const seg of parent) {
    shape = objectShape(shape)?.[String(seg)];
  }
  const keys = Object.keys(objectShape(shape) ?? {});
  const near = nearest(
    key,
    keys.map((value) => ({ value })),
    1,
  );
  return near.length ? ` (did you mean ${JSON.stringify(near[0])}?)` : '';
}

/** The keys of a zod object schema, through defaults and effects. */
function objectShape(s: unknown): Record<string, unknown> | undefined {
  let cur = s as
    { _def?: { innerType?: unknown; schema?: unknown; shape?: () => Record<string, unknown> } } | undefined;
  for (let i = 0; i < 5 && cur?._def; i++) {
    if (typeof cur._def.shape === 'function') return cur._def.shape();
    cur = (cur._def.innerType ?? cur._def.schema) as typeof cur;
  }
  return undefined;
}
