// The hooks' settings come from a cache of what the config loader said for exactly this file
// name, text and build (hooks/runtime/config-cache.ts). It must never answer differently from the
// loader: same values for any valid file, the loader's error for an invalid one, and no use of
// an entry for another text, another file or another build.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, test } from 'vitest';
import { inspectConfigText } from '../../../src/config/load.js';
import { readConfigOf } from '../../../src/workspace/config-file.js';
import { discoverRepo, storeDirOf, type RepoLocation } from '../../../src/git/discover.js';
import { CONFIG_CACHE_FILE, cachedSettings } from '../../../src/hooks/runtime/config-cache.js';
import { hookSettings } from '../../../src/hooks/runtime/context.js';
import { BUILD_ID } from '../../../src/hooks/runtime/front-shared.js';
import { makeRepo } from '../../support/git.js';

const repo = makeRepo({ 'README.md': 'r\n' });
afterAll(() => repo.cleanup());
const loc: RepoLocation = discoverRepo(repo.root)!;
const storeDir = storeDirOf(loc);
mkdirSync(storeDir, { recursive: true });
const cfgFile = join(repo.root, '.jit-parallel.yaml');
const cacheFile = join(storeDir, CONFIG_CACHE_FILE);
const env = {};

/**
 * What the lenient loader says, in the hooks' shape: the valid keys, defaults for the invalid
 * ones, and a problem line when there are any (a typo never turns enforcement off).
 */
function viaLoader(): unknown {
  const { config: c, problems } = inspectConfigText(readConfigOf(loc, env));
  const p = problems[0];
  return {
    policy: c.policy,
    failure: c.failure,
    ttl: c.ttl,
    remoteTimeout: c.remoteTimeout,
    ...(p ? { configProblem: expect.stringContaining(`the config is invalid at ${p.file}`) } : {}),
  };
}
async function viaHook(): Promise<unknown> {
  try {
    return await hookSettings(loc, env);
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('config cache', () => {
  test('the first call stores what the loader said; the next one answers from the cache', async () => {
    writeFileSync(cfgFile, 'policy: strict\nttl: 10m\n');
    expect(await viaHook()).toEqual({ policy: 'strict', failure: 'open', ttl: 600, remoteTimeout: 20 });
    expect(cachedSettings(storeDir, cfgFile, 'policy: strict\nttl: 10m\n')).toEqual({
      policy: 'strict',
      failure: 'open',
      ttl: 600,
      remoteTimeout: 20,
    });
    // Proof the cache is what answers: an entry for exactly this text is believed...
    const c = JSON.parse(readFileSync(cacheFile, 'utf8'));
    c.entries[cfgFile].settings.ttl = 4242;
    writeFileSync(cacheFile, JSON.stringify(c));
    expect(await viaHook()).toMatchObject({ ttl: 4242 });
    // ...and a one-byte change of the file is not answered from it.
    writeFileSync(cfgFile, 'policy: strict\nttl: 10m \n');
    expect(await viaHook()).toMatchObject({ ttl: 600 });
  });

  test('an entry from another build, a damaged cache, or bad values are not used', async () => {
    const text = 'policy: warn\n';
    writeFileSync(cfgFile, text);
    const forged = { policy: 'off', failure: 'closed', ttl: 1, remoteTimeout: 1 };
    writeFileSync(
      cacheFile,
      JSON.stringify({ build: `${BUILD_ID}-other`, entries: { [cfgFile]: { text, settings: forged } } }),
    );
    expect(await viaHook()).toMatchObject({ policy: 'warn' });
    writeFileSync(cacheFile, '{"build": "dev", "entr');
    expect(await viaHook()).toMatchObject({ policy: 'warn' });
    expect(JSON.parse(readFileSync(cacheFile, 'utf8')).build).toBe(BUILD_ID); // rewritten whole
    writeFileSync(
      cacheFile,
      JSON.stringify({
        build: BUILD_ID,
        entries: { [cfgFile]: { text, settings: { ...forged, policy: 'sometimes' } } },
      }),
    );
    expect(await viaHook()).toMatchObject({ policy: 'warn' });
  });

  test('an invalid file is never cached: defaults for its bad keys and the problem, every time', async () => {
    writeFileSync(cacheFile, '');
    writeFileSync(cfgFile, 'policy: sometimes\n');
    for (let i = 0; i < 2; i++) expect(await viaHook()).toEqual(viaLoader());
    expect(await viaHook()).toMatchObject({
      policy: 'extend',
      configProblem: expect.stringMatching(/policy: .*sometimes/),
    });
    expect(cachedSettings(storeDir, cfgFile, 'policy: sometimes\n')).toBeUndefined();
  });

  test('JITP_CONFIG names the file, and its entry is its own', async () => {
    const other = join(repo.root, 'other.yaml');
    writeFileSync(other, 'policy: strict\n');
    writeFileSync(cfgFile, 'policy: warn\n');
    expect(await hookSettings(loc, { JITP_CONFIG: other })).toMatchObject({ policy: 'strict' });
    expect(await hookSettings(loc, {})).toMatchObject({ policy: 'warn' });
    expect(await hookSettings(loc, { JITP_CONFIG: other })).toMatchObject({ policy: 'strict' });
  });

  test('property: cold and warm, the hooks get exactly what the loader says', async () => {
    const value = fc.oneof(
      fc.constantFrom(
        'strict',
        'extend',
        'warn',
        'off',
        '"off"',
        "'warn'",
        'open',
        'closed',
        'null',
        '~',
        '',
        'yes',
        'true',
      ),
      fc.constantFrom('90', '90s', '30m', '2h', '0', '-5', '1.5', '0x10', '1e3', '"10m"', '10 m', '10x'),
      fc.constantFrom('[a, b]', '{x: 1}', '"unterminated', '&a 5', '*a'),
    );
    const key = fc.constantFrom(
      'policy',
      'failure',
      'ttl',
      'remoteTimeout',
      'remote',
      'remoteMirrorMaxAge',
      'source',
      'unknownKey',
      '  policy',
      'plan',
    );
    const line = fc.oneof(
      fc.tuple(key, value, fc.constantFrom('', '  # note')).map(([k, v, c]) => `${k}: ${v}${c}`),
      fc.constantFrom(
        '# comment',
        '',
        '---',
        'plan:\n  maxParallel: 2',
        'test:\n  command: npm test',
        '\tpolicy: warn',
      ),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 5 }), async (lines) => {
        writeFileSync(cfgFile, `${lines.join('\n')}\n`);
        const expected = viaLoader();
        expect(await viaHook()).toEqual(expected); // cold (or another text's entry)
        expect(await viaHook()).toEqual(expected); // warm
      }),
      { numRuns: 150 },
    );
  });
});
