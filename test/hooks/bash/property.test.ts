// Generated commands against expectations: read-only pieces and writing pieces (each with the
// file it writes) joined by any operator, wrapped in subshells, groups or `$( )`, with the
// written path quoted or escaped in any of the shell's ways. Every expected write must be found;
// a command made only of read-only pieces must report none.
import fc from 'fast-check';
import { relative } from 'node:path';
import { expect, test } from 'vitest';
import { bashWrites } from '../../../src/hooks/bash/bash-writes.js';
import { READ_ONLY } from './bash-corpus.js';

const CWD = '/repo';
const inRepo = (abs: string) => abs === CWD || abs.startsWith(`${CWD}/`);

const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,6}$/);
const file = fc
  .tuple(fc.array(name, { minLength: 0, maxLength: 2 }), name, fc.constantFrom('.ts', '.md', ''))
  .map(([dirs, base, ext]) => [...dirs, `${base}${ext}`].join('/'));

/** A path as the shell may spell it: plain, single-quoted, double-quoted, escaped, half-quoted. */
const spelled = (p: string) =>
  fc.constantFrom(
    p,
    `'${p}'`,
    `"${p}"`,
    p.replace(/\//g, '\\/'),
    `"${p.slice(0, 1)}"${p.slice(1)}`,
    `${p.slice(0, 1)}''${p.slice(1)}`,
  );

type Piece = { text: string; writes: string[] };

const writer: fc.Arbitrary<Piece> = file.chain((p) =>
  spelled(p).chain((s) =>
    fc
      .constantFrom(
        `echo x > ${s}`,
        `echo x >>${s}`,
        `printf y 1> ${s}`,
        `npm test &> ${s}`,
        `cat <<EOF > ${s}\nbody $HOME\nEOF\ntrue`,
        `sed -i 's/a/b/' ${s}`,
        `rm -f -- ${s}`,
        `touch ${s}`,
        `cp README.md ${s}`,
        `mv README.md ${s}`,
        `tee -a ${s} < README.md`,
        `git checkout HEAD -- ${s}`,
        `dd if=/dev/zero of=${s} count=1`,
        `sort -o ${s} README.md`,
        `env A=1 timeout 5 truncate -s 0 ${s}`,
        `sudo -u root chmod 600 ${s}`,
        `busybox rm ${s}`,
        `eval "touch ${s.replace(/"/g, '\\"')}"`,
        `bash -c 'touch ${s.replace(/'/g, '')}'`,
      )
      .map((text) => ({ text, writes: [p] })),
  ),
);
const reader: fc.Arbitrary<Piece> = fc
  .constantFrom(...READ_ONLY.filter((c) => !/^cd |\bcd /.test(c)))
  // A here-document's last line must stay alone on its line whatever follows.
  .map((text) => ({ text: /\nEOF\n?\)?$/.test(text) && !text.endsWith(')"') ? `${text}\ntrue` : text, writes: [] }));

const wrap = (p: Piece): fc.Arbitrary<Piece> =>
  fc.constantFrom(
    p,
    { ...p, text: `( ${p.text}\n)` },
    { ...p, text: `{ ${p.text}\n}` },
    { ...p, text: `echo "$(${p.text}\n)"` },
    { ...p, text: `if true; then ${p.text}\nfi` },
    { ...p, text: `for i in 1; do ${p.text}\ndone` },
  );

const command = (pieces: fc.Arbitrary<Piece>) =>
  fc.array(pieces.chain(wrap), { minLength: 1, maxLength: 5 }).chain((ps) =>
    fc
      .array(fc.constantFrom(' ; ', ' && ', ' || ', '\n', ' & '), {
        minLength: ps.length - 1,
        maxLength: ps.length - 1,
      })
      .map((ops) => ({
        text: ps.map((p, i) => (i ? ops[i - 1]! : '') + p.text).join(''),
        writes: ps.flatMap((p) => p.writes),
      })),
  );

test('property: every write in a generated command is found, with its path', () => {
  fc.assert(
    fc.property(command(fc.oneof(writer, reader)), ({ text, writes }) => {
      const w = bashWrites(text, CWD, '/home/u');
      expect(w.parseError, text).toBeUndefined();
      const got = w.targets.map((t) => relative(CWD, t.abs));
      for (const p of writes) expect(got, text).toContain(p);
    }),
    { numRuns: 400 },
  );
});

test('property: a command made of read-only pieces reports no write', () => {
  fc.assert(
    fc.property(command(reader), ({ text }) => {
      const w = bashWrites(text, CWD, '/home/u');
      expect(w.parseError, text).toBeUndefined();
      expect(
        w.targets.filter((t) => inRepo(t.abs)),
        text,
      ).toEqual([]);
      expect(w.unknown, text).toEqual([]);
    }),
    { numRuns: 300 },
  );
});
