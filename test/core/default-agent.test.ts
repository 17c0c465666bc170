// One identity (issue 14, item 6): the default agent id is spelled once; everything else imports it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../support/paths.js';

it('the default is spelled once in src/ (every other module imports DEFAULT_AGENT_ID)', () => {
  const hits = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? hits(join(dir, e.name))
        : e.name.endsWith('.ts') && /['"`]agent:claude['"`]/.test(readFileSync(join(dir, e.name), 'utf8'))
          ? [join(dir, e.name)]
          : [],
    );
  expect(hits(join(ROOT, 'src')).map((f) => f.replace(/.*\/src\//, 'src/'))).toEqual(['src/core/default-agent.ts']);
});
