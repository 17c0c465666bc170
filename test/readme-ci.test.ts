// The README promises two commands; CI must run exactly the test one, so a missing
// install step fails in CI before it fails at a user's desk.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { ROOT } from './support/paths.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

function commandAfter(heading: RegExp): string {
  const at = readme.search(heading);
  expect(at, `README has a paragraph matching ${heading}`).toBeGreaterThanOrEqual(0);
  const block = /```\n([^\n]+)\n```/.exec(readme.slice(at));
  expect(block, 'a fenced one-line command follows it').not.toBeNull();
  return block![1]!.trim();
}

const ciLines = ci.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
const steps = (cmd: string) => cmd.split('&&').map((x) => x.trim());

test("CI runs the README's test command, plus only the real-client opt-in the README documents", () => {
  const testCmd = commandAfter(/^Run the tests:/m);
  const testLines = ciLines.filter((l) => /\bnpm test\b/.test(l));
  expect(testLines).toHaveLength(1);
  const ciSteps = steps(testLines[0]!);
  expect(ciSteps).toContain('npm run setup:client');
  expect(ciSteps.at(-1)).toBe('JITP_REQUIRE_CLIENT=1 npm test');
  // Without the opt-in, what is left is exactly what a user types.
  const plain = ciSteps
    .filter((x) => x !== 'npm run setup:client')
    .map((x) => x.replace(/^JITP_REQUIRE_CLIENT=1 /, ''));
  expect(plain).toEqual(steps(testCmd));
  expect(readme).toContain('`npm run setup:client`');
  expect(pkg.scripts['setup:client']).toBeDefined();
});

test("CI runs the README's main-job command too", () => {
  expect(ciLines).toContain(commandAfter(/^Set up and run the main job/m));
});

test('CI runs both in a fresh clone in an empty temp folder (no ../shared beside it), and nothing else', () => {
  const clone = ciLines.findIndex((l) => /^git clone .* \. "\$work\/jit-parallel"$/.test(l));
  expect(clone, 'clones this commit into the temp folder').toBeGreaterThan(-1);
  expect(ciLines).toContain('work="$(mktemp -d)"');
  const after = ciLines.slice(clone + 1);
  expect(after[0]).toBe('cd "$work/jit-parallel"');
  expect(
    after.slice(1).every((l) => /^npm /.test(l)),
    'only the README commands run in the clone',
  ).toBe(true);
});

test("the README's main-job command names a script that exists", () => {
  const demo = commandAfter(/^Set up and run the main job/m);
  const script = /npm run (\S+)/.exec(demo)?.[1];
  expect(script).toBeDefined();
  expect(pkg.scripts[script!]).toBeDefined();
});
