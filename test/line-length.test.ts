// The line limit of the code, also where the formatter cannot break a line (long strings,
// comments, regular expressions): 120 columns, the formatter's printWidth. Prose (*.md), data
// (*.json, *.yaml) and generated bundles (dist/) are not code and keep their own shape.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from './support/paths.js';

const LIMIT = (JSON.parse(readFileSync(join(ROOT, '.prettierrc.json'), 'utf8')) as { printWidth: number }).printWidth;
const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;

function codeFiles(): string[] {
  const out: string[] = ['bin/jitp', 'vitest.config.ts'];
  for (const dir of ['src', 'test', 'bench', 'scripts'])
    for (const f of readdirSync(join(ROOT, dir), { recursive: true }).map(String))
      if (CODE.test(f) && !f.split(/[\\/]/).includes('fixtures') && !f.split(/[\\/]/).includes('node_modules'))
        out.push(`${dir}/${f}`);
  return out.sort();
}

it(`no line of code is longer than ${LIMIT} columns`, () => {
  expect(LIMIT).toBe(120);
  const long: string[] = [];
  for (const f of codeFiles()) {
    readFileSync(join(ROOT, f), 'utf8')
      .split('\n')
      .forEach((line, i) => {
        if ([...line].length > LIMIT) long.push(`${f}:${i + 1} (${[...line].length} columns)`);
      });
  }
  expect(long.join('\n'), 'break these lines (split the string, the comment or the regular expression)').toBe('');
});
