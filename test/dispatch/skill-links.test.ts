// Every relative link in the skills and references must point at a file that exists, and
// each skill's front matter must be what the client needs to make it a slash command.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import matter from 'gray-matter';
import { expect, test } from 'vitest';
import { ROOT } from '../support/paths.js';

const docs = [
  ...readdirSync(join(ROOT, 'skills')).map((d) => join(ROOT, 'skills', d, 'SKILL.md')),
  ...readdirSync(join(ROOT, 'references'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => join(ROOT, 'references', f)),
];

function links(text: string): string[] {
  // Outside code fences and inline code only: examples there are not links.
  const prose = text.replace(/^(`{3,}|~{3,})[\s\S]*?^\1/gm, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

test('the expected skills and references exist', () => {
  const rel = docs.map((d) => relative(ROOT, d)).sort();
  expect(rel).toEqual(
    expect.arrayContaining([
      'skills/jit-parallel/SKILL.md',
      'skills/jit-worktree/SKILL.md',
      'skills/jit-conflicts/SKILL.md',
      'references/agent-prompt-template.md',
      'references/conflict-heuristics.md',
      'references/worktree-mode.md',
      'references/risk-tiers.md',
      'references/commit-convention.md',
    ]),
  );
});

test.each(docs.map((d) => [relative(ROOT, d), d]))('links in %s resolve', (_, file) => {
  const text = readFileSync(file, 'utf8');
  const found = links(text);
  for (const l of found) {
    if (/^[a-z]+:/i.test(l) || l.startsWith('#')) continue;
    const target = resolve(dirname(file), decodeURIComponent(l.split('#')[0]!));
    expect(existsSync(target), `${relative(ROOT, file)} links to ${l}, which does not exist`).toBe(true);
    expect(target.startsWith(ROOT + '/'), `${l} leaves the plugin`).toBe(true);
  }
});

test('skills link the references they rely on', () => {
  const all = docs
    .filter((d) => d.endsWith('SKILL.md'))
    .flatMap((d) => links(readFileSync(d, 'utf8')).map((l) => resolve(dirname(d), l)));
  for (const ref of ['risk-tiers.md', 'conflict-heuristics.md', 'worktree-mode.md', 'commit-convention.md'])
    expect(all, `no skill links ${ref}`).toContain(join(ROOT, 'references', ref));
});

test.each(['jit-parallel', 'jit-worktree', 'jit-conflicts'])('skill %s: name, description, $ARGUMENTS', (name) => {
  const { data, content } = matter(readFileSync(join(ROOT, 'skills', name, 'SKILL.md'), 'utf8'));
  expect(data.name).toBe(name);
  expect(typeof data.description).toBe('string');
  expect((data.description as string).length).toBeLessThanOrEqual(1024);
  expect(content).toContain('$ARGUMENTS');
});

// The steps jitp owns (verify, done, stage, commit) are one command each, not restated by hand.
const RESTATED = /git commit|git add|jitp commit-message|jitp issue done/;
test.each([
  [
    'jit-parallel',
    [
      'jitp plan $ARGUMENTS',
      'jitp claim acquire',
      'jitp prompt',
      'single message',
      'jitp finish',
      'jitp verify',
      'jitp claim release',
      'needsOutsideScope',
      '--mode plan',
      'jit-worktree',
      // continuous dispatch: the loop and what it needs
      'jitp init --json',
      'jitp next $ARGUMENTS --json',
      'run_in_background: true',
      'jitp finish <its id> --reports .jit-parallel/reports --json',
      'go back to 1, every time, until nothing is left',
      'otherReports',
      'jitp claim wait',
    ],
  ],
  [
    'jit-worktree',
    [
      'jitp plan $ARGUMENTS',
      'jitp worktree add',
      'jitp prompt <id> --worktree',
      'jitp verify',
      'jitp worktree commit',
      'jitp merge',
      'jitp finish',
      'jitp cleanup',
    ],
  ],
])('%s names every step and the commands that do it, restating none', (name, steps) => {
  const text = readFileSync(join(ROOT, 'skills', name, 'SKILL.md'), 'utf8');
  for (const s of steps) expect(text, s).toContain(s);
  expect(text).not.toMatch(RESTATED);
});

// One identity: jitp resolves the session's agent id itself (core/identity.ts); a skill that
// spelled out a fallback would drift from it.
test.each(['jit-parallel', 'jit-worktree', 'jit-conflicts'])('skill %s passes no --agent fallback', (name) => {
  const text = readFileSync(join(ROOT, 'skills', name, 'SKILL.md'), 'utf8');
  expect(text).not.toMatch(/JIT_AGENT_ID:-|--agent "/);
});
