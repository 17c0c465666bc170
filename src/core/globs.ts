// Whether two lease paths/globs can name a common file. Two leases conflict exactly when some
// path matches both, so this is a language-intersection test, not a string comparison:
// `src/**/x.ts` and `src/a/*.ts` overlap, `src/*.ts` and `src/*.md` do not.
//
// Method: expand braces, split into `/` segments, then a DP over (segment of a, segment of b)
// in which `**` may consume zero or more segments of the other side; two single segments
// intersect when a second DP over their tokens (literal / class / `?` / `*`) finds a common
// string. Conservative where picomatch is subtle: `*` also matches a leading dot here (claiming
// `src/*` should conflict with `src/.env`), and `a/**` also covers `a` itself.
import picomatch from 'picomatch';
import { JitpError } from '../platform/errors.js';
import { literallyDisjoint } from './glob-simple.js';

type Range = [number, number];
/** A set of characters: ranges, or everything except ranges. `/` is never in a segment. */
interface CharSet {
  neg: boolean;
  ranges: Range[];
}
type Tok = { kind: 'set'; set: CharSet } | { kind: 'star' };
type Seg = { kind: 'globstar' } | { kind: 'seg'; toks: Tok[] };

const MAX_EXPANSIONS = 256;

function globError(glob: string, why: string): JitpError {
  return new JitpError('E_USAGE', `invalid glob ${JSON.stringify(glob)}: ${why}`, {
    hint: 'use *, **, ?, [abc], [a-z], [!x] and {a,b}; escape a literal with a backslash',
  });
}

/** Expands `{a,b}` (nested, escaped braces kept). Unbalanced braces are literal, like picomatch. */
export function expandBraces(glob: string): string[] {
  let depth = 0;
  let start = -1;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (c === '}' && depth > 0) {
      depth--;
      if (depth === 0) {
        const body = glob.slice(start + 1, i);
        const alts: string[] = [];
        let d = 0;
        let last = 0;
        for (let j = 0; j < body.length; j++) {
          const b = body[j];
          if (b === '\\') {
            j++;
            continue;
          }
          if (b === '{') d++;
          else if (b === '}') d--;
          else if (b === ',' && d === 0) {
            alts.push(body.slice(last, j));
            last = j + 1;
          }
        }
        alts.push(body.slice(last));
        if (alts.length === 1) {
          // `{x}` without a comma is literal in picomatch; keep expanding the rest.
          const rest = expandBraces(glob.slice(i + 1));
          return rest.map((r) => glob.slice(0, i + 1) + r);
        }
        const pre = glob.slice(0, start);
        const post = glob.slice(i + 1);
        const out: string[] = [];
        for (const a of alts) {
          for (const e of expandBraces(pre + a + post)) {
            out.push(e);
            if (out.length > MAX_EXPANSIONS) throw globError(glob, `more than ${MAX_EXPANSIONS} brace expansions`);
          }
        }
        return out;
      }
    }
  }
  return [glob];
}

const ALL_BUT_SLASH: CharSet = { neg: true, ranges: [[47, 47]] };
const lit = (c: number): CharSet => ({ neg: false, ranges: [[c, c]] });

function parseClass(s: string, i: number, glob: string): { set: CharSet; next: number } | undefined {
  // s[i] === '['
  let j = i + 1;
  let neg = false;
  if (s[j] === '!' || s[j] === '^') {
    neg = true;
    j++;
  }
  const ranges: Range[] = [];
  let first = true;
  while (j < s.length) {
    let c = s[j]!;
    if (c === ']' && !first) {
      return {
        set: { neg, ranges: neg ? [...ranges, [47, 47]] : ranges.filter(([a, b]) => !(a === 47 && b === 47)) },
        next: j + 1,
      };
    }
    first = false;
    if (c === '[' && s[j + 1] === ':') {
      const end = s.indexOf(':]', j + 2);
      if (end > 0) {
        const name = s.slice(j + 2, end);
        const cls: Record<string, Range[]> = {
          alpha: [
            [65, 90],
            [97, 122],
          ],
          digit: [[48, 57]],
          alnum: [
            [48, 57],
            [65, 90],
            [97, 122],
          ],
          upper: [[65, 90]],
          lower: [[97, 122]],
          space: [
            [9, 13],
            [32, 32],
          ],
          xdigit: [
            [48, 57],
            [65, 70],
            [97, 102],
          ],
          word: [
            [48, 57],
            [65, 90],
            [95, 95],
            [97, 122],
          ],
        };
        const r = cls[name];
        if (!r) throw globError(glob, `unknown class [:${name}:]`);
        ranges.push(...r);
        j = end + 2;
        continue;
      }
    }
    if (c === '\\' && j + 1 < s.length) {
      j++;
      c = s[j]!;
    }
    const lo = c.codePointAt(0)!;
    if (s[j + 1] === '-' && j + 2 < s.length && s[j + 2] !== ']') {
      let hiC = s[j + 2]!;
      let k = j + 2;
      if (hiC === '\\' && k + 1 < s.length) {
        k++;
        hiC = s[k]!;
      }
      const hi = hiC.codePointAt(0)!;
      if (hi < lo) throw globError(glob, `reversed range ${c}-${hiC}`);
      ranges.push([lo, hi]);
      j = k + 1;
    } else {
      ranges.push([lo, lo]);
      j++;
    }
  }
  return undefined; // no closing bracket: `[` is a literal
}

function parseSegment(s: string, glob: string): Seg {
  if (/^\*{2,}$/.test(s)) return { kind: 'globstar' };
  const toks: Tok[] = [];
  for (let i = 0; i < s.length;) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      toks.push({ kind: 'set', set: lit(s.codePointAt(i + 1)!) });
      i += s.codePointAt(i + 1)! > 0xffff ? 3 : 2;
    } else if (c === '*') {
      if (toks[toks.length - 1]?.kind !== 'star') toks.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      toks.push({ kind: 'set', set: ALL_BUT_SLASH });
      i++;
    } else if (c === '[') {
      const cls = parseClass(s, i, glob);
      if (cls) {
        toks.push({ kind: 'set', set: cls.set });
        i = cls.next;
      } else {
        toks.push({ kind: 'set', set: lit(91) });
        i++;
      }
    } else {
      const cp = s.codePointAt(i)!;
      toks.push({ kind: 'set', set: lit(cp) });
      i += cp > 0xffff ? 2 : 1;
    }
  }
  return { kind: 'seg', toks };
}

/** Parses one brace-free glob into segments; `./`, empty segments and a leading `/` dropped. */
function parseGlob(g: string, orig: string): Seg[] {
  const parts = g.split('/').filter((p) => p !== '' && p !== '.');
  const segs = parts.map((p) => parseSegment(p, orig));
  // Collapse runs of `**`: they mean the same and only slow the DP.
  return segs.filter((s, i) => !(s.kind === 'globstar' && segs[i - 1]?.kind === 'globstar'));
}

/** True when some character lies in both sets (the universe is all code points but `/`). */
function setsIntersect(a: CharSet, b: CharSet): boolean {
  if (a.neg && b.neg) return true; // both exclude finitely many; the universe is huge
  if (!a.neg && !b.neg) return a.ranges.some(([a0, a1]) => b.ranges.some(([b0, b1]) => a0 <= b1 && b0 <= a1));
  const pos = a.neg ? b : a;
  const neg = a.neg ? a : b;
  const excluded = [...neg.ranges, [47, 47] as Range].sort((x, y) => x[0] - y[0]);
  // Is some point of a positive range outside every excluded range?
  return pos.ranges.some(([lo, hi]) => {
    let cur = lo;
    for (const [e0, e1] of excluded) {
      if (e1 < cur) continue;
      if (e0 > cur) return true;
      cur = e1 + 1;
      if (cur > hi) return false;
    }
    return cur <= hi;
  });
}

/**
 * Reachability in the product of two sequences: state (i, j) = consumed i items of a, j of b;
 * `moves` pushes the successors of a state. True when both can be consumed together.
 */
function productReachable(
  lenA: number,
  lenB: number,
  moves: (i: number, j: number, push: (i: number, j: number) => void) => void,
): boolean {
  const seen = new Set<number>();
  const w = lenB + 1;
  const stack: Array<[number, number]> = [[0, 0]];
  const push = (i: number, j: number) => void stack.push([i, j]);
  while (stack.length) {
    const [i, j] = stack.pop()!;
    const key = i * w + j;
    if (seen.has(key)) continue;
    seen.add(key);
    if (i === lenA && j === lenB) return true;
    moves(i, j, push);
  }
  return false;
}

function segmentsIntersect(a: Tok[], b: Tok[]): boolean {
  return productReachable(a.length, b.length, (i, j, push) => {
    const ta = a[i];
    const tb = b[j];
    if (ta?.kind === 'star') push(i + 1, j); // star matches empty
    if (tb?.kind === 'star') push(i, j + 1);
    if (!ta || !tb) return;
    if (ta.kind === 'star' && tb.kind === 'star') return; // covered by the two empty moves
    if (ta.kind === 'star' && tb.kind === 'set') {
      if (setsIntersect(ALL_BUT_SLASH, tb.set)) push(i, j + 1);
    } else if (ta.kind === 'set' && tb.kind === 'star') {
      if (setsIntersect(ta.set, ALL_BUT_SLASH)) push(i + 1, j);
    } else if (ta.kind === 'set' && tb.kind === 'set') {
      if (setsIntersect(ta.set, tb.set)) push(i + 1, j + 1);
    }
  });
}

/** A segment pattern that can match some non-empty segment (a class like `[]` could not). */
function segNonEmpty(s: Seg): boolean {
  return s.kind === 'globstar' || s.toks.length > 0;
}

function pathsIntersect(a: Seg[], b: Seg[]): boolean {
  return productReachable(a.length, b.length, (i, j, push) => {
    const sa = a[i];
    const sb = b[j];
    // `**` matches zero segments, or eats one segment of the other side and stays.
    if (sa?.kind === 'globstar') {
      push(i + 1, j);
      if (sb) push(i, j + 1);
    }
    if (sb?.kind === 'globstar') {
      push(i, j + 1);
      if (sa) push(i + 1, j);
    }
    if (
      sa?.kind === 'seg' &&
      sb?.kind === 'seg' &&
      segNonEmpty(sa) &&
      segNonEmpty(sb) &&
      segmentsIntersect(sa.toks, sb.toks)
    )
      push(i + 1, j + 1);
  });
}

const parsedCache = new Map<string, Seg[][]>();
function parseAll(glob: string): Seg[][] {
  let p = parsedCache.get(glob);
  if (!p) {
    p = expandBraces(glob).map((g) => parseGlob(g, glob));
    if (parsedCache.size > 4096) parsedCache.clear();
    parsedCache.set(glob, p);
  }
  return p;
}

/** Validates glob syntax; throws E_USAGE with the reason. */
export function checkGlob(glob: string): void {
  parseAll(glob);
}

// escapeGlob lives in glob-escape.ts (no picomatch): path normalisation needs it on every edit.
export { escapeGlob } from './glob-escape.js';

/** True when some path can match both `a` and `b` (each a concrete path or a glob). */
export function globsOverlap(a: string, b: string): boolean {
  if (a === b) return true;
  if (literallyDisjoint(a, b)) return false;
  const pa = parseAll(a);
  const pb = parseAll(b);
  return pa.some((x) => pb.some((y) => pathsIntersect(x, y)));
}

/** Pairs (i, j) of overlapping entries between two path lists. */
export function overlappingPairs(as: readonly string[], bs: readonly string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const a of as) for (const b of bs) if (globsOverlap(a, b)) out.push([a, b]);
  return out;
}

const matcherCache = new Map<string, (p: string) => boolean>();
/** Does the concrete repo-relative `path` match `glob`? (picomatch, dotfiles included.) */
export function matches(path: string, glob: string): boolean {
  let m = matcherCache.get(glob);
  if (!m) {
    // Same brace expansion as globsOverlap (picomatch's differs next to `**`), and `[!a]`
    // spelled `[^a]`: picomatch reads `[!a]` as the class {!, a}, POSIX and globsOverlap as "not a".
    const ms = expandBraces(glob).map((alt) => {
      const g = alt
        .split('/')
        .filter((x) => x !== '' && x !== '.')
        .map((x) => (/^\*{2,}$/.test(x) ? '**' : x))
        .join('/')
        .replace(/(^|[^\\])\[!/g, '$1[^')
        .replace(/\{/g, '\\{')
        .replace(/\}/g, '\\}');
      if (g === '') return (p: string) => p === '';
      const pm = picomatch(g, { dot: true });
      // `dir/**` also covers `dir` itself, as in globsOverlap.
      const base = /(\/\*\*)+$/.test(g) ? picomatch(g.replace(/(\/\*\*)+$/, ''), { dot: true }) : undefined;
      return base ? (p: string) => pm(p) || base(p) : pm;
    });
    m = (p: string) => ms.some((f) => f(p));
    if (matcherCache.size > 4096) matcherCache.clear();
    matcherCache.set(glob, m);
  }
  return path === glob || m(path);
}
