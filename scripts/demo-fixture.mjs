// The built-in example project: a tiny JavaScript library with a jit issue store. Used by
// `npm run demo` and by the tests (the end-to-end test with the real client too), so the
// example the README shows is the one the tests exercise.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const ISSUES = {
  slug: {
    id: '3f2a1b2c-5d4e-4f60-8a7b-9c0d1e2f3a4b',
    title: 'slugify: strip accents instead of dropping accented letters',
    description: [
      '`slugify("Crème brûlée")` returns `cr-me-br-l-e`: accented letters are dropped.',
      'Fix `slugify` in `src/slugify.js` so they lose only their accent.',
      '',
      '## Acceptance Criteria',
      '- `slugify("Crème brûlée")` is `creme-brulee`',
      '- a test in `test/slugify.test.js` covers it',
    ].join('\n'),
    files: ['src/slugify.js', 'test/slugify.test.js'],
  },
  words: {
    id: '9c1d0e0f-1a2b-4c3d-8e4f-5a6b7c8d9e0f',
    title: 'wordCount: count words separated by tabs and newlines',
    description: [
      '`wordCount("a\\tb\\nc")` returns 1; it only splits on spaces.',
      'Fix `wordCount` in `src/wordcount.js`.',
      '',
      '## Acceptance Criteria',
      '- tabs, newlines and runs of spaces separate words',
      '- a test in `test/wordcount.test.js` covers it',
    ].join('\n'),
    files: ['src/wordcount.js', 'test/wordcount.test.js'],
  },
  later: {
    id: '77be4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d',
    title: 'Export a titleCase helper built on slugify',
    description:
      'Add `titleCase` in `src/titlecase.js`, reusing the accent handling of `slugify`.\n\n## Acceptance ' +
      'Criteria\n- `titleCase("crème brûlée")` is `Creme Brulee`',
    files: ['src/titlecase.js'],
  },
};

const SOURCES = {
  'package.json':
    JSON.stringify(
      { name: 'textkit', version: '1.0.0', type: 'module', private: true, scripts: { test: 'node --test test/' } },
      null,
      2,
    ) + '\n',
  'README.md': '# textkit\n\nSmall text helpers.\n',
  'src/slugify.js':
    "export function slugify(s) {\n  return s\n    .toLowerCase()\n    .replace(/[^a-z0-9]+/g, '-')\n    " +
    ".replace(/^-+|-+$/g, '');\n}\n",
  'src/wordcount.js': "export function wordCount(s) {\n  return s.split(' ').filter(Boolean).length;\n}\n",
  'test/slugify.test.js':
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { slugify } from " +
    "'../src/slugify.js';\n\ntest('slugify joins words with dashes', () => {\n  assert.equal(slugify('Hello " +
    "World'), 'hello-world');\n});\n",
  'test/wordcount.test.js':
    "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { wordCount } from " +
    "'../src/wordcount.js';\n\ntest('wordCount counts space-separated words', () => {\n  assert.equal(wordCount('a " +
    "b c'), 3);\n});\n",
};

/** What the stand-in for each sub-agent writes: the real fix and a test for it. */
export const EDITS = {
  slug: {
    'src/slugify.js':
      "export function slugify(s) {\n  return s\n    .normalize('NFKD')\n    .replace(/\\p{M}/gu, '')\n    " +
      ".toLowerCase()\n    .replace(/[^a-z0-9]+/g, '-')\n    .replace(/^-+|-+$/g, '');\n}\n",
    'test/slugify.test.js':
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { slugify } from " +
      "'../src/slugify.js';\n\ntest('slugify joins words with dashes', () => {\n  assert.equal(slugify('Hello " +
      "World'), 'hello-world');\n});\n\ntest('slugify strips accents', () => {\n  assert.equal(slugify('Crème " +
      "brûlée'), 'creme-brulee');\n});\n",
  },
  words: {
    'src/wordcount.js': 'export function wordCount(s) {\n  return s.split(/\\s+/).filter(Boolean).length;\n}\n',
    'test/wordcount.test.js':
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { wordCount } from " +
      "'../src/wordcount.js';\n\ntest('wordCount counts space-separated words', () => {\n  " +
      "assert.equal(wordCount('a b c'), 3);\n});\n\ntest('wordCount splits on tabs, newlines and runs of spaces', " +
      "() => {\n  assert.equal(wordCount('a\\tb\\nc   d'), 4);\n});\n",
  },
};

/** What the batch's one commit holds when these issues are finished: their edits and the jit state change. */
export function committedFiles(keys) {
  return [
    '.jit/events.jsonl',
    ...keys.map((k) => `.jit/issues/${ISSUES[k].id}.json`),
    ...keys.flatMap((k) => Object.keys(EDITS[k])),
  ].sort();
}

/** The final report a sub-agent would end with, for the stand-in. */
export function reportFor(key) {
  const files = Object.keys(EDITS[key]);
  return [
    `Fixed ${ISSUES[key].title.split(':')[0]} and added a test.`,
    '',
    '```json',
    JSON.stringify(
      {
        issue: ISSUES[key].id,
        filesChanged: files,
        testsAdded: [files[1]],
        checks: [{ command: 'npm test', result: 'pass' }],
        needsOutsideScope: [],
        problems: [],
      },
      null,
      2,
    ),
    '```',
    '',
  ].join('\n');
}

function jitIssue(key, over = {}) {
  const i = ISSUES[key];
  const t = '2026-11-01T10:00:00.000000000Z';
  return {
    id: i.id,
    title: i.title,
    description: i.description,
    state: 'ready',
    priority: 'normal',
    assignee: null,
    dependencies: [],
    gates_required: [],
    gates_status: {},
    context: {},
    documents: [],
    labels: ['type:bug'],
    created_at: t,
    updated_at: t,
    ...over,
  };
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Demo',
  GIT_AUTHOR_EMAIL: 'demo@example.com',
  GIT_COMMITTER_NAME: 'Demo',
  GIT_COMMITTER_EMAIL: 'demo@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};
export const git = (cwd, ...args) =>
  execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trimEnd();

export function writeFiles(root, files) {
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
}

/** Creates the example repository at `root` (an empty or missing folder) with one commit. */
export function buildDemoRepo(root) {
  mkdirSync(root, { recursive: true });
  git(root, 'init', '-q', '-b', 'main');
  // Appended to the config `git init` wrote instead of three `git config` processes (the tests build
  // this repository many times). maintenance.auto off: a throwaway repository this small never
  // needs it, and it would start one more git process after every commit.
  appendFileSync(
    join(root, '.git', 'config'),
    '[user]\n\tname = Demo\n\temail = demo@example.com\n[commit]\n\tgpgsign = false\n[maintenance]\n\tauto = false\n',
  );
  const issues = {
    slug: jitIssue('slug'),
    words: jitIssue('words', { labels: ['type:bug'] }),
    later: jitIssue('later', { dependencies: [ISSUES.slug.id], labels: ['type:feature'] }),
  };
  const files = { ...SOURCES };
  for (const i of Object.values(issues)) files[`.jit/issues/${i.id}.json`] = JSON.stringify(i, null, 2) + '\n';
  files['.jit/index.json'] =
    JSON.stringify(
      {
        schema_version: 2,
        all_ids: Object.values(issues)
          .map((i) => i.id)
          .sort(),
        deleted_ids: [],
      },
      null,
      2,
    ) + '\n';
  files['.jit/events.jsonl'] = '';
  files['.gitattributes'] = '.jit/events.jsonl merge=union\n';
  files['.gitignore'] = '.jit-parallel/reports/\n';
  writeFiles(root, files);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'textkit: initial');
  return { root, issues: ISSUES };
}
