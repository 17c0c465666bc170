// The real client's validator must accept the plugin and its marketplace, strictly.
import { spawnSync } from 'node:child_process';
import { expect, test } from 'vitest';
import { CLAUDE_BIN, ROOT, NO_CLIENT } from './support/paths.js';
import { claudeEnv } from './support/claude-env.js';

function validate(target: string) {
  // Exit 1 under --strict when anything is flagged; the JSON says what, and the tests judge it.
  const out = spawnSync(CLAUDE_BIN!, ['plugin', 'validate', '--strict', '--json', target], {
    cwd: ROOT,
    env: claudeEnv(),
    encoding: 'utf8',
  }).stdout;
  return JSON.parse(out) as { success: boolean; manifest: { type: string; errors: unknown[]; warnings: unknown[] } };
}

// plugin/ (the marketplace entry's source) links to the real folders, so the installed copy holds
// exactly what the plugin runs (the client copies the links' targets: test/plugin-install.test.ts).
// The validator does not read through links and says so; nothing else may be flagged.
type Finding = { path: string; message: string };
const onlyLinkNotes = (ws: Finding[]) =>
  ws.filter((w) => !/symlink|is a link|linked directory/.test(w.message)).map((w) => `${w.path}: ${w.message}`);

/** No errors anywhere; the only warnings are the validator saying it did not read through a link. */
function expectOnlyLinkNotes(target: string, type: string) {
  const r = validate(target) as ReturnType<typeof validate> & {
    contents?: Array<{ errors: unknown[]; warnings: Finding[] }>;
  };
  expect(r.manifest.type).toBe(type);
  expect(r.manifest.errors).toEqual([]);
  expect(onlyLinkNotes(r.manifest.warnings as Finding[])).toEqual([]);
  for (const c of r.contents ?? []) {
    expect(c.errors).toEqual([]);
    expect(onlyLinkNotes(c.warnings)).toEqual([]);
  }
}

test.skipIf(NO_CLIENT)(
  'claude plugin validate --strict . (the marketplace): no errors; warnings only about the links',
  () => expectOnlyLinkNotes('.', 'marketplace'),
);

test.skipIf(NO_CLIENT)('claude plugin validate --strict on the plugin manifest passes', () => {
  const r = validate('.claude-plugin/plugin.json');
  expect(r.manifest.type).toBe('plugin');
  expect(r.manifest.errors).toEqual([]);
  expect(r.manifest.warnings).toEqual([]);
  expect(r.success).toBe(true);
});

test.skipIf(NO_CLIENT)('claude plugin validate --strict on the installable folder (plugin/): only the link notes', () =>
  expectOnlyLinkNotes('plugin', 'plugin'),
);
