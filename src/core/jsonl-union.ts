// Append-only logs (`.jit/events.jsonl`) merge with git's union driver, which keeps every
// line of both sides: an event appended on two branches, or re-appended by a retried
// writer, can then appear twice. Readers go through this to count each event once.

export interface UnionRead<T> {
  events: T[];
  duplicates: number;
  /** 1-based line numbers that were not JSON objects (torn or hand-edited lines). */
  bad: number[];
}

/** Keeps the first occurrence of each `id` (lines without an id are kept as they are). */
export function readUnionJsonl<T extends Record<string, unknown>>(text: string, idKey = 'id'): UnionRead<T> {
  const seen = new Set<string>();
  const events: T[] = [];
  const bad: number[] = [];
  let duplicates = 0;
  text.split('\n').forEach((line, n) => {
    const t = line.trim();
    if (!t) return;
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      bad.push(n + 1);
      return;
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) {
      bad.push(n + 1);
      return;
    }
    const id = (v as Record<string, unknown>)[idKey];
    if (typeof id === 'string' || typeof id === 'number') {
      const k = String(id);
      if (seen.has(k)) {
        duplicates++;
        return;
      }
      seen.add(k);
    }
    events.push(v as T);
  });
  return { events, duplicates, bad };
}

/** The `.gitattributes` lines `jitp init` ensures. */
export const UNION_ATTRIBUTES = ['.jit/events.jsonl merge=union'];

/** Adds the missing lines; returns the new text and which lines were added. Pure. */
export function ensureAttributes(
  existing: string,
  want: string[] = UNION_ATTRIBUTES,
): { text: string; added: string[]; present: string[] } {
  const norm = (l: string) => l.trim().split(/\s+/).join(' ');
  const have = new Set(existing.split('\n').map(norm));
  const added = want.filter((w) => !have.has(norm(w)));
  const present = want.filter((w) => have.has(norm(w)));
  if (!added.length) return { text: existing, added, present };
  const sep = existing && !existing.endsWith('\n') ? '\n' : '';
  return { text: `${existing}${sep}${added.join('\n')}\n`, added, present };
}
