// Reads a Debian patch (DEP-3 header or `git format-patch` mail, then a unified diff): the prose
// that describes the change, and the files it changes. Pure.

/** Header fields that are bookkeeping, not a description of the change. */
const META = new RegExp(
  String.raw`^(From|Date|Author|Origin|Bug(-[A-Za-z]+)?|Forwarded|Applied-Upstream|Last-Update|Reviewed-by` +
    String.raw`|Acked-by|Signed-off-by|Patch-Name|Gbp-Pq|Index|Change-Id|OpenBSD-Commit-ID|X-[A-Za-z-]+|Cc` +
    String.raw`|Tested-by|Co-authored-by|Suggested-by|Reported-by|Upstream-Status|Vcs-[A-Za-z]+)\s*:`,
  'i',
);

/** Where the diff (or the diffstat of a format-patch mail) begins: nothing after it is prose. */
const DIFF_START = /^(---\s*$|diff |Index: |--- \S|\+\+\+ \S|={10,}|@@ )/;

export function patchText(patch: string): string {
  const lines = patch.split(/\r?\n/);
  const out: string[] = [];
  let inMeta = false;
  for (const l of lines) {
    if (DIFF_START.test(l)) break;
    if (/^From [0-9a-f]{40} /.test(l)) continue; // mbox separator
    if (META.test(l)) {
      inMeta = true;
      continue;
    }
    // A folded header line continues the field above it.
    if (inMeta && /^\s+\S/.test(l)) continue;
    inMeta = false;
    const m = /^(Subject|Description)\s*:\s*(.*)$/i.exec(l);
    if (m) {
      out.push(m[2]!.replace(/^\[PATCH[^\]]*\]\s*/, ''));
      continue;
    }
    // DEP-3 continuation lines are indented; a lone ` .` is an empty line.
    out.push(l.replace(/^ \.$/, '').replace(/^ /, ''));
  }
  return out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Repository-relative files the diff changes (`-pN` strips N leading components, as patch does). */
export function patchFiles(patch: string, strip = 1): string[] {
  const files = new Set<string>();
  const clean = (p: string) => {
    const path = p
      .replace(/\t.*$/, '')
      .replace(/^"(.*)"$/, '$1')
      .trim();
    if (path === '/dev/null') return undefined;
    const parts = path.split('/').filter((x) => x !== '');
    const rest = parts.slice(strip);
    if (!rest.length || rest.includes('..')) return undefined;
    return rest.join('/');
  };
  const lines = patch.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (!l.startsWith('--- ') || !lines[i + 1]?.startsWith('+++ ') || !/^@@ /.test(lines[i + 2] ?? '')) continue;
    const before = clean(l.slice(4));
    const after = clean(lines[i + 1]!.slice(4));
    const f = after ?? before;
    if (f) files.add(f);
  }
  return [...files].sort();
}

/** `debian/patches/series`: patch names in order, with their -pN (comments and blanks skipped). */
export function parseSeries(text: string): Array<{ name: string; strip: number }> {
  const out: Array<{ name: string; strip: number }> = [];
  for (const raw of text.split(/\r?\n/)) {
    const l = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!l) continue;
    const [name, ...opts] = l.split(/\s+/);
    const p = opts.find((o) => /^-p\d+$/.test(o));
    out.push({ name: name!, strip: p ? Number(p.slice(2)) : 1 });
  }
  return out;
}
