// One duration grammar for every place a person writes one, and one "time left" wording.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/main.js';
import { discoverRepo } from '../../src/git/discover.js';
import { mirrorMaxAgeOf } from '../../src/hooks/runtime/fast-path.js';
import {
  DURATION_EXAMPLES,
  formatDuration,
  formatTimeLeft,
  parseDuration,
  secondsUntil,
} from '../../src/platform/duration.js';
import { makeRepo } from '../support/git.js';

describe('parseDuration', () => {
  it.each([
    ['90', 90],
    [' 90 ', 90],
    ['90s', 90],
    ['30m', 1800],
    ['2h', 7200],
    ['1d', 86_400],
    ['1h30m', 5400],
    ['1h 30m', 5400],
    ['2d03h', 183_600],
    ['1m05s', 65],
    ['0', 0],
    ['0s', 0],
    [45, 45],
    [0, 0],
  ] as const)('%j -> %i', (input, secs) => {
    expect(parseDuration(input)).toBe(secs);
  });

  it.each([[''], ['s'], ['1x'], ['-5'], ['1.5h'], ['m30'], ['30m1h'], ['1h1h'], ['1 d x'], ['9'.repeat(30)]])(
    'rejects %j',
    (input) => {
      expect(parseDuration(input)).toBeUndefined();
    },
  );

  it('rejects numbers that are not whole non-negative seconds', () => {
    for (const x of [-1, 1.5, NaN, Infinity]) expect(parseDuration(x)).toBeUndefined();
  });
});

describe('formatDuration / formatTimeLeft', () => {
  it.each([
    [0, '0s'],
    [42, '42s'],
    [65, '1m05s'],
    [3_600, '1h00m'],
    [3_900, '1h05m'],
    [90_000, '1d01h'],
  ])('%i -> %s', (secs, text) => {
    expect(formatDuration(secs)).toBe(text);
  });

  it('what is written reads back as no more than it said, and within its last unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 * 86_400 }), (secs) => {
        const back = parseDuration(formatDuration(secs))!;
        const unit = secs >= 86_400 ? 3_600 : secs >= 3_600 ? 60 : 1;
        return back <= secs && secs - back < unit;
      }),
    );
  });

  it('time left: "… left", or "expired" once nothing is left (never "expired left")', () => {
    expect(formatTimeLeft(125)).toBe('2m05s left');
    expect(formatTimeLeft(0)).toBe('expired');
    expect(formatTimeLeft(-5)).toBe('expired');
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(secondsUntil('2026-01-01T00:01:30.900Z', now)).toBe(90);
    expect(secondsUntil('2025-12-31T23:00:00Z', now)).toBe(0);
  });
});

describe('one grammar in every place a duration is written', () => {
  const cleanups: (() => void)[] = [];
  afterAll(() => cleanups.forEach((f) => f()));
  async function jitp(cwd: string, args: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await run(args, {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      env: { HOME: cwd, PATH: process.env.PATH, JIT_AGENT_ID: 'agent:alice' } as NodeJS.ProcessEnv,
      cwd,
      interactive: false,
    });
    return { code, stdout, stderr };
  }
  const repo = (config: string) => {
    const r = makeRepo({ 'README.md': 'x\n', '.jit-parallel.yaml': config });
    cleanups.push(r.cleanup);
    return r;
  };

  it('`ttl: 1d` in .jit-parallel.yaml means what `--ttl 1d` means (the config used to reject it)', async () => {
    const r = repo('ttl: 1d\n');
    const viaConfig = await jitp(r.root, ['claim', 'acquire', 'T-1', '--json']);
    expect(viaConfig.code, viaConfig.stderr).toBe(0);
    expect(JSON.parse(viaConfig.stdout).lease.ttlSecs).toBe(86_400);
    const viaFlag = await jitp(r.root, ['claim', 'acquire', 'T-2', '--ttl', '1h30m', '--json']);
    expect(JSON.parse(viaFlag.stdout).lease.ttlSecs).toBe(5_400);
  });

  it('a bad duration in the config is exit 8 naming the key and the grammar; on the command line, exit 2', async () => {
    const r = repo('ttl: 1x\n');
    const bad = await jitp(r.root, ['claim', 'acquire', 'T-1']);
    expect(bad.code).toBe(8);
    expect(bad.stderr).toMatch(/ttl/);
    expect(bad.stderr).toContain(DURATION_EXAMPLES);
    const r2 = repo('ttl: 30m\n');
    const flag = await jitp(r2.root, ['claim', 'acquire', 'T-1', '--ttl', '0']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--ttl "0": must be positive/);
  });

  it('the hooks read remoteMirrorMaxAge with the same grammar, without the YAML parser', () => {
    const r = repo('remote: origin\nremoteMirrorMaxAge: 1h30m\n');
    expect(mirrorMaxAgeOf(discoverRepo(r.root)!, {})).toBe(5_400);
    const junk = repo('remoteMirrorMaxAge: soon\n');
    // Not a duration: the scan does not guess (no default either); the mirrors count as stale and
    // the full hook asks the loader, which names the bad value.
    expect(mirrorMaxAgeOf(discoverRepo(junk.root)!, {})).toBeUndefined();
    const day = repo('remoteMirrorMaxAge: 1d\n');
    expect(mirrorMaxAgeOf(discoverRepo(day.root)!, {})).toBe(86_400);
  });
});
