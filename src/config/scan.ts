// A few configuration keys read without the YAML parser and the schema (yaml + zod: about
// 50 ms to load), for the hooks' hot and error paths. It answers only when the text is in a
// form whose meaning it knows exactly (top-level `key: value` lines, plain or simply quoted
// scalars, comments, nested blocks it skips); for anything else it declines (undefined) and the
// caller asks the loader, or the loader's cached answer. test/config/scan.test.ts checks on
// generated files that, for every file the loader accepts, an answer is the loader's.
import { parseDuration } from '../platform/duration.js';

/** The keys the scan reads, with the type and default the schema gives them (config/schema.ts). */
export interface ScannedConfig {
  remote: string | null;
  remoteMirrorMaxAge: number;
  failure: 'open' | 'closed';
}
export type ScannedKey = keyof ScannedConfig;

export const SCANNED_DEFAULTS: ScannedConfig = { remote: null, remoteMirrorMaxAge: 60, failure: 'open' };

/** One line with its comment cut off; `ok` false when a quote or a flow bracket stays open. */
function lexLine(line: string): { content: string; ok: boolean } {
  let depth = 0;
  // The last non-blank character outside quotes: a quote opens a scalar only after one of
  // `:[{,-` or at the start.
  let prev = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t'))
      return { content: line.slice(0, i).trimEnd(), ok: depth === 0 };
    if ((c === '"' || c === "'") && (prev === '' || ':[{,-'.includes(prev))) {
      const close = c === '"' ? /^"(?:[^"\\]|\\.)*"/.exec(line.slice(i)) : /^'(?:[^']|'')*'/.exec(line.slice(i));
      if (!close) return { content: line, ok: false };
      i += close[0].length - 1;
      prev = c;
      continue;
    }
    if (c === '[' || c === '{') depth++;
    if (c === ']' || c === '}') depth--;
    if (depth < 0) return { content: line, ok: false };
    if (c !== ' ' && c !== '\t') prev = c;
  }
  return { content: line.trimEnd(), ok: depth === 0 };
}

type Scalar = { kind: 'null' } | { kind: 'string'; value: string } | { kind: 'int'; value: number } | { kind: 'other' };

/** A one-line scalar as YAML 1.2's core schema (the yaml library's default) reads it; undefined: not simple. */
function scalarOf(raw: string): Scalar | undefined {
  const s = raw.trim();
  if (s.startsWith('"')) {
    const m = /^"([^"\\]*)"$/.exec(s);
    return m ? { kind: 'string', value: m[1]! } : undefined;
  }
  if (s.startsWith("'")) {
    const m = /^'([^']*)'$/.exec(s);
    return m ? { kind: 'string', value: m[1]! } : undefined;
  }
  if (/^[[\]{},&*!|>%@`#]/.test(s) || /^[-?:](\s|$)/.test(s) || /:(\s|$)/.test(s)) return undefined;
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return { kind: 'null' };
  if (/^[-+]?[0-9]+$/.test(s)) {
    const n = Number(s);
    return Number.isSafeInteger(n) ? { kind: 'int', value: n } : { kind: 'other' };
  }
  if (
    /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s) ||
    /^0o[0-7]+$/.test(s) ||
    /^0x[0-9a-fA-F]+$/.test(s) ||
    /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s) ||
    /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/.test(s)
  )
    return { kind: 'other' };
  return { kind: 'string', value: s };
}

// The schema's meaning of each key's scalar (config/schema.ts); undefined where the schema
// would reject it or the scan cannot be sure.
const INTERPRET: { [K in ScannedKey]: (v: Scalar) => ScannedConfig[K] | undefined } = {
  remote: (v) => (v.kind === 'null' ? null : v.kind === 'string' ? v.value : undefined),
  failure: (v) => (v.kind === 'string' && (v.value === 'open' || v.value === 'closed') ? v.value : undefined),
  remoteMirrorMaxAge: (v) => {
    if (v.kind === 'int') return v.value > 0 ? v.value : undefined;
    const secs = v.kind === 'string' ? parseDuration(v.value) : undefined; // the schema's one grammar
    return secs !== undefined && secs > 0 ? secs : undefined;
  },
};

/**
 * `key`'s value in the configuration `text` (undefined text: no file, the default), or
 * undefined when the scan cannot be sure what the loader would say.
 */
export function scanConfig<K extends ScannedKey>(text: string | undefined, key: K): ScannedConfig[K] | undefined {
  if (text === undefined) return SCANNED_DEFAULTS[key];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let at = -1;
  let raw = '';
  for (let i = 0; i < lines.length; i++) {
    const { content, ok } = lexLine(lines[i]!);
    if (!ok) return undefined; // a quoted scalar or flow collection spanning lines: not simple
    if (content.trim() === '' || /^[ \t]/.test(content)) continue; // blank, comment, or inside a nested block
    const m = /^([A-Za-z_][A-Za-z0-9_]*)[ \t]*:(?:[ \t]+(.*))?$/.exec(content);
    if (!m) return undefined; // `---`, `- x`, `{…}`, `"key": …`, `? …`: not a plain top-level mapping
    if (m[1] !== key) continue;
    if (at >= 0) return undefined; // duplicate key: the loader refuses it
    at = i;
    raw = m[2] ?? '';
  }
  if (at < 0) return SCANNED_DEFAULTS[key];
  // The value must end on its line: the next line with content may not be indented under it
  // (a nested block, or a plain scalar continued on the next line).
  for (let j = at + 1; j < lines.length; j++) {
    const l = lines[j]!;
    if (/^\s*(#.*)?$/.test(l)) continue;
    if (/^[ \t]/.test(l)) return undefined;
    break;
  }
  const v = scalarOf(raw);
  return v ? INTERPRET[key](v) : undefined;
}
