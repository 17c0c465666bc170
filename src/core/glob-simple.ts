// The common lease globs (`pkg/**`, `src/*.ts`, `**/name`) matched without picomatch: the edit
// hook loads the 40 KB glob engine only for a glob this cannot decide. Same answers as
// core/globs.ts `matches` (picomatch with dot files, `dir/**` covering `dir`): test/core/
// glob-simple.test.ts compares the two over hand-picked and generated pattern/path pairs.
//
// Decided here: globs whose segments are literal names, `**`, or names with `*` wildcards, all
// made of letters, digits, `.`, `_` and `-`; paths of plain segments (no empty, `.` or `..`
// segment, no backslash, control character or line separator). Anything else (classes, braces,
// `?`, escapes, extglobs, a leading `!`, odd characters or odd paths) is left to picomatch.

const STAR_SEG = /^[A-Za-z0-9._*-]+$/;
const ODD_PATH_CHAR = /[\x00-\x1f\x7f\\\u2028\u2029]/;

/** Does one path segment match a segment pattern of literals and `*` (any run, `/` excluded)? */
function segMatch(seg: string, pat: string): boolean {
  if (!pat.includes('*')) return seg === pat;
  // Greedy wildcard match with backtracking to the last star: linear for one star, O(n*m) worst.
  let s = 0;
  let p = 0;
  let star = -1;
  let mark = 0;
  while (s < seg.length) {
    if (p < pat.length && pat[p] === '*') {
      star = p++;
      mark = s;
    } else if (p < pat.length && pat[p] === seg[s]) {
      p++;
      s++;
    } else if (star >= 0) {
      p = star + 1;
      s = ++mark;
    } else return false;
  }
  while (p < pat.length && pat[p] === '*') p++;
  return p === pat.length;
}

/**
 * `matches(path, glob)` when the glob and path are simple enough (see above), else undefined.
 * `**` is a whole segment matching zero or more segments; `*` never matches a `.` or `..`
 * segment (such paths are not decided here at all).
 */
export function simpleMatch(path: string, glob: string): boolean | undefined {
  if (path === glob) return true;
  const gs = glob.split('/');
  for (const g of gs) {
    if (g === '**') continue;
    if (g === '.' || g === '..' || !STAR_SEG.test(g) || g.includes('**')) return undefined;
  }
  // picomatch's `**` is a regex `.`, which stops at line terminators; `\` may be a separator.
  if (ODD_PATH_CHAR.test(path)) return undefined;
  const ps = path.split('/');
  for (const p of ps) if (p === '' || p === '.' || p === '..') return undefined;
  // memo[i * (ps.length + 1) + j]: glob segments from i match path segments from j.
  const w = ps.length + 1;
  const memo = new Int8Array((gs.length + 1) * w);
  const go = (i: number, j: number): boolean => {
    const k = i * w + j;
    if (memo[k]) return memo[k] === 1;
    let r: boolean;
    if (i === gs.length) r = j === ps.length;
    else if (gs[i] === '**') r = go(i + 1, j) || (j < ps.length && go(i, j + 1));
    else r = j < ps.length && segMatch(ps[j]!, gs[i]!) && go(i + 1, j + 1);
    memo[k] = r ? 1 : 2;
    return r;
  };
  return go(0, 0);
}

const SPECIAL = /[*?[\]{}\\]/;
/**
 * Fast path for the common case (`src/a/**` vs `lib/**`): the leading segments free of glob
 * syntax differ at some position, so no path can match both.
 */
export function literallyDisjoint(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    // Skip `./` and empty segments the way the parser does.
    while (a.startsWith('./', i) || a[i] === '/') i += a[i] === '/' ? 1 : 2;
    while (b.startsWith('./', j) || b[j] === '/') j += b[j] === '/' ? 1 : 2;
    const ea = a.indexOf('/', i);
    const eb = b.indexOf('/', j);
    const sa = a.slice(i, ea < 0 ? a.length : ea);
    const sb = b.slice(j, eb < 0 ? b.length : eb);
    if (sa === '' || sb === '' || sa === '.' || sb === '.' || SPECIAL.test(sa) || SPECIAL.test(sb)) return false;
    if (sa !== sb) return true;
    if (ea < 0 || eb < 0) return false;
    i = ea + 1;
    j = eb + 1;
  }
}
