// Just enough semver for picking release ranges (stable x.y.z only); pure.

export function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function compareVersions(a: string, b: string): number {
  const x = parseVersion(a);
  const y = parseVersion(b);
  if (!x || !y) return a < b ? -1 : a > b ? 1 : 0;
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** `>=1.2.0 <2.0.0` style ranges: space-separated comparators, all must hold. */
export function inRange(v: string, range: string): boolean {
  if (!parseVersion(v)) return false;
  for (const part of range.trim().split(/\s+/).filter(Boolean)) {
    const m = /^(>=|<=|>|<|=)?(.+)$/.exec(part);
    if (!m || !parseVersion(m[2]!))
      throw new Error(`bad range comparator ${JSON.stringify(part)} in ${JSON.stringify(range)}`);
    const c = compareVersions(v, m[2]!);
    const ok = { '>=': c >= 0, '<=': c <= 0, '>': c > 0, '<': c < 0, '=': c === 0 }[
      (m[1] ?? '=') as '>=' | '<=' | '>' | '<' | '='
    ];
    if (!ok) return false;
  }
  return true;
}
