// The options every command takes (docs/cli.md, "Global options"): main.ts parses them,
// `jitp completion` offers them.
import type { OptionSpec } from './command.js';

export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'Machine-readable output on stdout (shape in --help)' },
  help: { type: 'boolean', short: 'h', description: 'Show help for the command' },
  cwd: { type: 'string', short: 'C', arg: '<dir>', description: 'Act on the repository at <dir>' },
  color: { type: 'boolean', description: 'Colour the text output even without a terminal' },
  'no-color': { type: 'boolean', description: 'Never colour (as NO_COLOR=1)' },
};
