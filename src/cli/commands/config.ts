import type { CommandSpec } from '../command.js';
import { workspaceOf } from '../workspace.js';

export const command: CommandSpec = {
  name: 'config',
  summary: 'Show the effective configuration and where each value came from',
  usage: 'jitp config [--json]',
  help: [
    'Reads .jit-parallel.yaml at the repository root (or the file JITP_CONFIG names).',
    'JSON: {"file": string|null, "config": {...}, "origin": {"<dotted.key>": "default"|"<file>"}}',
    'Exit codes: 0 ok, 7 not a git repository, 8 invalid configuration.',
  ].join('\n'),
  positionals: { max: 0 },
  async run(ctx) {
    const loaded = await workspaceOf(ctx).loadedConfig();
    const lines = Object.entries(loaded.origin).map(([key, from]) => {
      const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)?.[k], loaded.config);
      return `${key.padEnd(26)} ${JSON.stringify(value).padEnd(34)} ${from}`;
    });
    return {
      json: loaded,
      text: [`config file: ${loaded.file ?? '(none; all defaults)'}`, '', ...lines].join('\n'),
    };
  },
};
