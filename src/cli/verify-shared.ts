// The options `jitp verify` and `jitp finish` share: where the reports are, which tests run.
import { resolve } from 'node:path';
import type { CommandContext, OptionSpec } from './command.js';
import { flag, str } from './command.js';
import { usageError } from '../platform/errors.js';

export const VERIFY_OPTIONS: Record<string, OptionSpec> = {
  reports: { type: 'string', arg: '<dir>', description: "Folder with the sub-agents' saved final answers" },
  test: { type: 'string', arg: '<cmd>', description: 'Test command to run instead of the configured/detected one' },
  'no-test': { type: 'boolean', description: 'Do not run tests' },
};

export function verifyInputs(ctx: CommandContext): { reportsDir: string | null; test: string | null | false } {
  const test = str(ctx.args.values.test);
  if (flag(ctx.args.values['no-test']) && test) throw usageError('--test and --no-test exclude each other');
  const reports = str(ctx.args.values.reports);
  return {
    reportsDir: reports ? resolve(ctx.cwd, reports) : null,
    test: flag(ctx.args.values['no-test']) ? false : test || null,
  };
}
