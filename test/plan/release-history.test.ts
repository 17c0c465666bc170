// Pure parts of the release-history evaluation (bench/eval/releases/): changelog sections and
// version ranges. The registry download itself runs only in `npm run eval:plan:releases`.
import { describe, expect, it } from 'vitest';
import { changelogSection, pickChangelog } from '../../bench/eval/releases/changelog.js';
import { compareVersions, inRange } from '../../bench/eval/releases/versions.js';

const KEEP = `# Change Log

## [Unreleased]

## [2.25.0] - 2021-10-11
### Added
- [\`no-unresolved\`]: add \`caseSensitiveStrict\` option ([#1262])

## [2.24.2] - 2021-08-24
### Fixed
- [\`named\`]: properly handle ExportAllDeclarations ([#2199])

[#1262]: https://github.com/x/y/pull/1262
`;
const EXPRESS = `4.17.2 / 2021-12-16
===================

  * Fix handling of \`undefined\` in \`res.jsonp\`
  * deps: body-parser@1.19.1

4.17.1 / 2019-05-25
===================

  * Revert "Improve error message"
`;
const HASH = `# 10.0.0 / 2022-05-01

## :boom: Breaking Changes
- #4845: Drop Node.js v12 support

# 9.2.2 / 2022-03-11

- #4842: Fix a regression (mentions 10.0.0 in the text, not a heading)
`;

describe('changelogSection', () => {
  it.each([
    ['keep a changelog', KEEP, '2.25.0', '### Added\n- [`no-unresolved`]: add `caseSensitiveStrict` option ([#1262])'],
    [
      'keep a changelog, last section without link definitions',
      KEEP,
      '2.24.2',
      '### Fixed\n- [`named`]: properly handle ExportAllDeclarations ([#2199])',
    ],
    [
      'setext headings',
      EXPRESS,
      '4.17.2',
      '* Fix handling of `undefined` in `res.jsonp`\n  * deps: body-parser@1.19.1',
    ],
    ['setext, last', EXPRESS, '4.17.1', '* Revert "Improve error message"'],
    [
      '# headings; a version inside text is not a heading',
      HASH,
      '9.2.2',
      '- #4842: Fix a regression (mentions 10.0.0 in the text, not a heading)',
    ],
    ['absent version', KEEP, '2.0.0', ''],
  ])('%s', (_name, text, v, want) =>
    expect(changelogSection(text, v, ['2.25.0', '2.24.2', '4.17.2', '4.17.1', '10.0.0', '9.2.2'])).toBe(want),
  );
  it('2.24.2 is not found inside 12.24.2', () =>
    expect(changelogSection('## 12.24.2\n- a\n', '2.24.2', ['2.24.2', '12.24.2'])).toBe(''));
  it('picks the changelog file', () => {
    expect(pickChangelog(['index.js', 'History.md', 'README.md'])).toBe('History.md');
    expect(pickChangelog(['CHANGELOG.md', 'lib'])).toBe('CHANGELOG.md');
    expect(pickChangelog(['README.md'])).toBeUndefined();
  });
});

describe('versions', () => {
  it('orders numerically', () =>
    expect(['1.10.0', '1.2.0', '1.9.3', '0.9.0'].sort(compareVersions)).toEqual(['0.9.0', '1.2.0', '1.9.3', '1.10.0']));
  it.each([
    ['2.14.0', '>=2.14.0 <3.0.0', true],
    ['3.0.0', '>=2.14.0 <3.0.0', false],
    ['2.13.9', '>=2.14.0 <3.0.0', false],
    ['2.20.0-rc.1', '>=2.14.0', false],
    ['1.0.0', '=1.0.0', true],
  ])('%s in %s: %s', (v, r, want) => expect(inRange(v, r)).toBe(want));
  it('a malformed range is an error naming it', () =>
    expect(() => inRange('1.0.0', '>=banana')).toThrow(/bad range comparator ">=banana"/));
});
