import type { CommandSpec } from '../command.js';
import { VERSION } from '../../core/version.js';

export const command: CommandSpec = {
  name: 'version',
  summary: 'Print the jitp version',
  usage: 'jitp version [--json]',
  help: 'JSON: {"version": string, "node": string}',
  positionals: { max: 0 },
  async run() {
    return { json: { version: VERSION, node: process.version }, text: `jitp ${VERSION} (node ${process.version})` };
  },
};
