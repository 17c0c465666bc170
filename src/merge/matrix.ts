// The conflict matrix: pure data in, text out. Rows and columns are the batch's branches
// (by short id) plus the integration tip, so a person sees at a glance which pairs collide.

export interface PairResult {
  /** Short id, or `tip` for the integration branch. */
  a: string;
  b: string;
  clean: boolean;
  files: string[];
  /** Set when git could not compute the merge at all (missing branch…). */
  error?: string;
}

export interface MatrixInput {
  tipLabel: string;
  nodes: string[];
  results: PairResult[];
}

const key = (a: string, b: string) => (a < b ? `${a}\0${b}` : `${b}\0${a}`);

export function cellText(r: PairResult | undefined): string {
  if (!r) return '?';
  if (r.error) return 'err';
  return r.clean ? '.' : `X${r.files.length}`;
}

/**
 * Renders the matrix. `.` merges cleanly, `X<n>` conflicts in n files, `-` is the diagonal.
 * Under it, one line per conflicting pair naming the files.
 */
export function renderMatrix(m: MatrixInput): string {
  const byKey = new Map(m.results.map((r) => [key(r.a, r.b), r]));
  const cols = ['tip', ...m.nodes];
  const w = Math.max(4, ...cols.map((c) => c.length)) + 1;
  const head = ' '.repeat(w) + cols.map((c) => c.padStart(w)).join('');
  const rows = m.nodes.map((n) => {
    const cells = cols.map((c) => (c === n ? '-' : cellText(byKey.get(key(n, c)))));
    return n.padEnd(w) + cells.map((c) => c.padStart(w)).join('');
  });
  const bad = m.results.filter((r) => !r.clean || r.error);
  const lines = [head, ...rows, '', `legend: . clean   X<n> conflicts in n files   tip = ${m.tipLabel}`];
  if (bad.length) {
    lines.push('', 'conflicts:');
    for (const r of bad) {
      const files = r.error
        ? `error: ${r.error}`
        : r.files.slice(0, 6).map(quoteName).join(', ') + (r.files.length > 6 ? `, … (${r.files.length})` : '');
      lines.push(`  ${r.a} x ${r.b}: ${files}`);
    }
  } else lines.push('', 'no conflicts: every branch merges cleanly with the tip and with every other branch');
  return lines.join('\n');
}

/** File names from git may hold control characters: never print them raw to a terminal. */
export function quoteName(n: string): string {
  return /[\x00-\x1f\x7f"\\ ]/.test(n) ? JSON.stringify(n) : n;
}

/** Every unordered pair of `nodes`, plus each node against the tip, in a stable order. */
export function pairsToCheck(nodes: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = nodes.map((n) => ['tip', n]);
  for (let i = 0; i < nodes.length; i++) for (let j = i + 1; j < nodes.length; j++) out.push([nodes[i]!, nodes[j]!]);
  return out;
}
