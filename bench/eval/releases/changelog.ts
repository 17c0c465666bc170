// Finds one version's section in a changelog (Keep a Changelog `## [1.2.3] - date`, express's
// `1.2.3 / date` + `===`, `# 1.2.3 / date`, `v1.2.3`…); pure.

export function pickChangelog(files: string[]): string | undefined {
  return files.filter((f) => /^(changelog|history|changes|news)(\.(md|markdown|txt|rst))?$/i.test(f)).sort()[0];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A heading line for some version: short, and the version stands alone as a token. */
function headingVersion(line: string, next: string | undefined, versions: ReadonlySet<string>): string | undefined {
  if (line.length > 100) return undefined;
  const m = /(?:^|[^\w.])v?(\d+\.\d+\.\d+)(?![\w.]*\d)/.exec(line);
  if (!m || !versions.has(m[1]!)) return undefined;
  const t = line.trim();
  const looksLikeHeading =
    /^#{1,4}\s/.test(t) || /^\[?v?\d+\.\d+\.\d+/.test(t) || /^(=+|-+)\s*$/.test(next ?? '') || /^<a name=/.test(t);
  return looksLikeHeading ? m[1] : undefined;
}

export function changelogSection(text: string, version: string, allVersions: readonly string[]): string {
  const known = new Set(allVersions);
  known.add(version);
  const lines = text.split(/\r?\n/);
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    if (
      headingVersion(lines[i]!, lines[i + 1], known) === version &&
      new RegExp(`(^|[^\\w.])v?${escape(version)}(?![\\w.]*\\d)`).test(lines[i]!)
    ) {
      start = i + 1;
      break;
    }
  }
  if (start < 0) return '';
  const out: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const l = lines[i]!;
    if (headingVersion(l, lines[i + 1], known)) break;
    if (/^\s*\[[^\]]+\]:\s*\S+/.test(l)) continue; // link reference definitions
    out.push(l);
  }
  return out
    .filter((l) => !/^(=+|-+)\s*$/.test(l.trim()) || l.trim() === '')
    .join('\n')
    .trim()
    .slice(0, 8000);
}
