// Table tests of the commit convention, checked against git's own trailer parser: hostile
// titles must never add lines, paragraphs or trailers.
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import {
  conventionalType,
  renderCommitMessage,
  SUBJECT_MAX,
  type CommitIssue,
} from '../../src/render/commit-message.js';

const gitTrailers = (message: string): string[] =>
  execFileSync('git', ['interpret-trailers', '--parse'], { input: message, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);

const I = (shortId: string, title: string, labels: string[] = []): CommitIssue => ({
  id: `${shortId}-0000-4000-8000-000000000000`,
  shortId,
  title,
  labels,
});
const CO = 'Claude <noreply@anthropic.com>';

describe('renderCommitMessage: the convention', () => {
  test('two issues', () => {
    const m = renderCommitMessage([I('3f2a1b2c', 'Add retry'), I('9c1d0e0f', 'Fix parser')], { coAuthor: CO });
    expect(m.message).toBe(
      'jit: Add retry; Fix parser\n\n- Add retry (3f2a1b2c)\n- Fix parser (9c1d0e0f)\n\njit: 3f2a1b2c ' +
        '9c1d0e0f\n\nCo-Authored-By: Claude <noreply@anthropic.com>\n',
    );
    expect(gitTrailers(m.message)).toEqual(['Co-Authored-By: Claude <noreply@anthropic.com>']);
  });
  test('no co-author: no trailer paragraph', () => {
    const m = renderCommitMessage([I('3f2a1b2c', 'Add retry')], { coAuthor: null });
    expect(m.trailers).toEqual([]);
    expect(m.message.endsWith('jit: 3f2a1b2c\n')).toBe(true);
  });
  test('long titles: subject cut to 72 with a count of the rest', () => {
    const long = 'A very long title that goes on and on about the many things it changes in the code';
    const m = renderCommitMessage([I('aaaa1111', long), I('bbbb2222', 'Second'), I('cccc3333', 'Third')]);
    expect([...m.subject].length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(m.subject).toMatch(/^jit: A very long title.*… \(\+2 more\)$/);
    expect(m.body).toContain(`- ${long} (aaaa1111)`);
  });
  test('single long title is cut with an ellipsis', () => {
    const m = renderCommitMessage([I('aaaa1111', 'x'.repeat(300))]);
    expect([...m.subject].length).toBe(SUBJECT_MAX);
    expect(m.subject.endsWith('…')).toBe(true);
  });
  test('--conventional picks the type from labels', () => {
    expect(
      renderCommitMessage([I('a1b2c3d4', 'Crash on empty input', ['type:bug'])], { conventional: true }).subject,
    ).toBe('fix: Crash on empty input');
    expect(renderCommitMessage([I('a1b2c3d4', 'Explain', ['type:docs'])], { conventional: true }).subject).toBe(
      'docs: Explain',
    );
    expect(conventionalType([I('a', 'x', ['type:bug']), I('b', 'y', ['type:docs'])])).toBe('feat');
  });
  test('custom summary still sanitised and bounded', () => {
    const m = renderCommitMessage([I('a1b2c3d4', 'T')], { summary: 'sum\nSigned-off-by: x <x@y>' + 'z'.repeat(100) });
    expect(m.subject.split('\n')).toHaveLength(1);
    expect([...m.subject].length).toBeLessThanOrEqual(SUBJECT_MAX);
  });
  test('invalid co-author is an error, not a broken trailer', () => {
    expect(() => renderCommitMessage([I('a1b2c3d4', 'T')], { coAuthor: 'no email' })).toThrow(/Name <email>/);
    expect(() =>
      renderCommitMessage([I('a1b2c3d4', 'T')], { coAuthor: 'A <a@b>\nSigned-off-by: evil <e@v>' }),
    ).toThrow();
  });
  test('no issues is an error', () => {
    expect(() => renderCommitMessage([])).toThrow();
  });
});

const HOSTILE_TITLES: [string, string][] = [
  ['newline + trailer', 'Fix it\n\nSigned-off-by: Mallory <m@evil>'],
  ['CR only', 'Fix it\rSigned-off-by: Mallory <m@evil>'],
  ['unicode line separator', 'Fix it\u2028\u2028Co-Authored-By: Mallory <m@evil>'],
  ['trailer-looking title alone', 'Signed-off-by: Mallory <m@evil>'],
  ['control characters', 'Fix\u0000 it\u001b[31m now\u0007'],
  ['comment char', '# not a comment'],
  ['only whitespace', ' \n\t\r '],
  ['vertical tab and form feed', 'a\u000bReviewed-by: x <x@y>\u000cb'],
];

describe('renderCommitMessage: hostile titles cannot inject lines or trailers', () => {
  test.each(HOSTILE_TITLES)('%s', (_, title) => {
    for (const coAuthor of [CO, null]) {
      const m = renderCommitMessage([I('3f2a1b2c', title), I('9c1d0e0f', 'Normal')], { coAuthor });
      const lines = m.message.trimEnd().split('\n');
      // subject, blank, 2 bullets, blank, jit line, [blank, trailer]
      expect(lines).toHaveLength(coAuthor ? 8 : 6);
      expect(lines[0]).toBe(m.subject);
      expect(lines[0]).not.toMatch(/^jit: #/);
      expect(lines[2]!.startsWith('- ')).toBe(true);
      expect(lines[2]!.endsWith(' (3f2a1b2c)')).toBe(true);
      // eslint-disable-next-line no-control-regex
      expect(m.message).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f\u2028\u2029\r]/);
      const trailers = gitTrailers(m.message);
      expect(trailers).toEqual(coAuthor ? [`Co-Authored-By: ${CO}`] : ['jit: 3f2a1b2c 9c1d0e0f']);
    }
  });
});
