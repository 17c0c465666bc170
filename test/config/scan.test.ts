// The hooks read three keys (remote, remoteMirrorMaxAge, failure) by a line scan instead of the
// YAML parser. The scan may decline, never disagree: for every file the loader accepts, each
// answer it gives is the loader's value. And it must be useful: for files written the plain way
// it always answers.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { configFromText } from '../../src/config/load.js';
import { SCANNED_DEFAULTS, scanConfig, type ScannedKey } from '../../src/config/scan.js';

const KEYS: ScannedKey[] = ['remote', 'remoteMirrorMaxAge', 'failure'];

/** The loader's values of the scanned keys, or undefined when it rejects the file. */
function loader(text: string): Record<ScannedKey, unknown> | undefined {
  try {
    const { config } = configFromText(text, '.jit-parallel.yaml');
    return { remote: config.remote, remoteMirrorMaxAge: config.remoteMirrorMaxAge, failure: config.failure };
  } catch {
    return undefined;
  }
}

/** Disagreements of the scan with the loader (none allowed), and the keys it declined. */
function compare(text: string): { wrong: string[]; declined: ScannedKey[]; accepted: boolean } {
  const want = loader(text);
  if (!want) return { wrong: [], declined: [], accepted: false };
  const wrong: string[] = [];
  const declined: ScannedKey[] = [];
  for (const k of KEYS) {
    const got = scanConfig(text, k);
    if (got === undefined) declined.push(k);
    else if (JSON.stringify(got) !== JSON.stringify(want[k]))
      wrong.push(`${k}: scan ${JSON.stringify(got)}, loader ${JSON.stringify(want[k])} in ${JSON.stringify(text)}`);
  }
  return { wrong, declined, accepted: true };
}

const q = (s: string, how: number) => (how === 1 ? `"${s}"` : how === 2 ? `'${s}'` : s);

// Values written the plain way: what a person types.
const plainValue: Record<string, fc.Arbitrary<string>> = {
  policy: fc.tuple(fc.constantFrom('strict', 'extend', 'warn', 'off'), fc.nat(2)).map(([v, h]) => q(v, h)),
  failure: fc.tuple(fc.constantFrom('open', 'closed'), fc.nat(2)).map(([v, h]) => q(v, h)),
  ttl: fc.constantFrom('90', '30m', '"2h"', "'45s'"),
  remote: fc.oneof(
    fc.constantFrom('', 'null', '~', 'Null', 'origin', '"origin"', "'up stream'", 'my remote', 'origin#x', '""', '-o'),
    fc.stringMatching(/^[a-z][a-z0-9._/-]{0,12}$/),
  ),
  remoteMirrorMaxAge: fc.oneof(
    fc.integer({ min: 1, max: 100_000 }).map(String),
    fc.tuple(fc.nat(5000), fc.constantFrom('', 's', 'm', 'h', ' s'), fc.nat(2)).map(([n, u, h]) => q(`${n}${u}`, h)),
    fc.constantFrom('007', '+5'),
  ),
  remoteTimeout: fc.constantFrom('20', '5s', '"1m"'),
};
const nested = fc.constantFrom(
  'plan:\n  hotFiles: [src/a.ts, "b c.ts"]\n  maxParallel: 3',
  'plan:\n  ignore:\n    - "**/*.snap"\n    - docs/**  # docs\n',
  'test:\n  command: "npm test # all of it"',
  "test:\n  command: echo it's fine",
  'commit:\n  coAuthor: "Bob\'s bot <bot@example.com>"\n  conventional: true',
  'commit:\n  coAuthor: Bob <bob@example.com>',
  'worktree:\n  dir: ../{repo}.worktrees\n  postCreate: null',
  '# a comment line',
  '',
);
const comment = fc.constantFrom('', '  # why', ' #x', '\t# tab');
const sep = fc.constantFrom(':', ' :', ':\t');

const plainFile = fc
  .tuple(
    fc.uniqueArray(fc.constantFrom(...Object.keys(plainValue)), { maxLength: 6 }),
    fc.array(nested, { maxLength: 3 }),
    fc.boolean(),
    fc.boolean(),
  )
  .chain(([keys, blocks, crlf, bom]) =>
    fc.tuple(...keys.map((k) => fc.tuple(fc.constant(k), plainValue[k]!, sep, comment))).map((entries) => {
      const lines = [...entries.map(([k, v, s, c]) => `${k}${s}${v === '' ? '' : ` ${v}`}${c}`), ...blocks];
      const text = lines.join('\n') + '\n';
      return (bom ? '\uFEFF' : '') + (crlf ? text.replace(/\n/g, '\r\n') : text);
    }),
  );

// Forms the scan does not read: it must decline rather than guess.
const exotic = fc.constantFrom(
  'remote:\n  origin',
  'remote: origin\n  continued',
  '{remote: origin}',
  '"remote": origin',
  '---\nremote: origin',
  'remote: &r origin',
  'remote: !!str origin',
  'remote: >-\n  origin',
  'remoteMirrorMaxAge: 0x10',
  'remoteMirrorMaxAge: 1e3',
  'remoteMirrorMaxAge: 1.0',
  'remoteMirrorMaxAge: 0o17',
  'failure: "clo\\u0073ed"',
  "remote: 'it''s'",
  'plan: {hotFiles: [a,\nb]}\nremote: origin',
  'test:\n  command: "multi\nremote: nope"',
  'remote: origin\nremote: other',
  '? remote\n: origin',
  'remote: [origin]',
  'remoteMirrorMaxAge: 99999999999999999999',
);

describe('config line scan', () => {
  test('property: on plain files the scan always answers, and answers what the loader says', () => {
    let accepted = 0;
    fc.assert(
      fc.property(plainFile, (text) => {
        const r = compare(text);
        expect(r.wrong).toEqual([]);
        if (r.accepted) {
          accepted++;
          expect(r.declined, JSON.stringify(text)).toEqual([]);
        }
      }),
      { numRuns: 600 },
    );
    expect(accepted).toBeGreaterThan(300); // the generator makes mostly valid files
  });

  test('property: mixed with forms it does not read, the scan declines or agrees, never differs', () => {
    const mixed = fc
      .tuple(plainFile, fc.array(exotic, { minLength: 1, maxLength: 2 }), fc.boolean())
      .map(([p, ex, first]) => (first ? `${ex.join('\n')}\n${p}` : `${p}${ex.join('\n')}\n`));
    fc.assert(
      fc.property(mixed, (text) => {
        expect(compare(text).wrong).toEqual([]);
      }),
      { numRuns: 600 },
    );
  });

  test.each([
    'remote:\n  origin',
    'remote: origin\n  continued',
    '{remote: origin}',
    '"remote": origin',
    'remote: !!str origin',
    'remoteMirrorMaxAge: 0x10',
    'remoteMirrorMaxAge: 1e3',
    'remote: "a\n  b"',
    '---\nremote: origin',
  ])('declines %j, which the loader reads otherwise than a line match would', (text) => {
    expect(loader(text)).toBeDefined();
    const r = compare(text);
    expect(r.wrong).toEqual([]);
    expect(r.declined.length).toBeGreaterThan(0);
  });

  test('no file: the defaults, the same as the loader with no file', () => {
    for (const k of KEYS) expect(scanConfig(undefined, k)).toEqual(SCANNED_DEFAULTS[k]);
    const { config } = configFromText(undefined, 'x');
    expect(SCANNED_DEFAULTS).toEqual({
      remote: config.remote,
      remoteMirrorMaxAge: config.remoteMirrorMaxAge,
      failure: config.failure,
    });
  });
});
