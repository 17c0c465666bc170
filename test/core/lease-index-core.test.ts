// The edit hook builds its lease index without picomatch unless a live lease names a glob.
import { expect, test } from 'vitest';
import { buildLeaseIndexWith, needsGlobEngine } from '../../src/core/lease-index-core.js';
import * as globs from '../../src/core/globs.js';
import type { Lease } from '../../src/core/model.js';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const lease = (id: string, paths: string[], expiresAt = '2026-11-21T13:00:00Z'): Lease => ({
  id,
  issueId: `i-${id}`,
  agentId: 'agent:a',
  worktree: null,
  branch: null,
  paths,
  ttlSecs: 1800,
  acquiredAt: '2026-11-21T11:00:00Z',
  renewedAt: '2026-11-21T11:00:00Z',
  expiresAt,
  token: 1,
});

test.each([
  { name: 'literal files only', leases: [lease('L-1', ['src/a.ts', 'src/b'])], needs: false },
  { name: 'a live glob', leases: [lease('L-1', ['src/a.ts']), lease('L-2', ['lib/**'])], needs: true },
  {
    name: 'an escaped literal ([id] folder) counts as a glob',
    leases: [lease('L-1', ['app/\\[id\\]/page.tsx'])],
    needs: true,
  },
  {
    name: 'a glob only in an expired lease',
    leases: [lease('L-1', ['src/a.ts']), lease('L-2', ['lib/**'], '2026-11-21T11:30:00Z')],
    needs: false,
  },
])('needsGlobEngine: $name', ({ leases, needs }) => {
  expect(needsGlobEngine(leases, NOW)).toBe(needs);
});

test(
  'literal leases need no engine and answer as the bound index does; a glob without an engine is a loud ' + 'error',
  () => {
    const leases = [lease('L-1', ['src/a.ts', 'src/dir']), lease('L-2', ['lib/x.ts'], '2026-11-21T11:30:00Z')];
    const bare = buildLeaseIndexWith(leases, NOW, undefined);
    const full = buildLeaseIndexWith(leases, NOW, globs);
    for (const p of ['src/a.ts', 'src/dir/inner.ts', 'lib/x.ts', 'other.ts']) {
      expect(bare.holdersOf(p).map((l) => l.id)).toEqual(full.holdersOf(p).map((l) => l.id));
    }
    expect(bare.holdersOf('src/dir/inner.ts').map((l) => l.id)).toEqual(['L-1']);
    expect(bare.holdersUnder('src').map((l) => l.id)).toEqual(['L-1']);
    expect(() => buildLeaseIndexWith([lease('L-3', ['lib/**'])], NOW, undefined)).toThrow(/no glob engine/);
    expect(
      buildLeaseIndexWith([lease('L-3', ['lib/**'])], NOW, globs)
        .holdersOf('lib/q/r.ts')
        .map((l) => l.id),
    ).toEqual(['L-3']);
  },
);
