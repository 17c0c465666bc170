import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandSpec } from '../command.js';
import { ensureAttributes } from '../../core/jsonl-union.js';
import { workspaceOf } from '../workspace.js';
import { writeFileAtomic } from '../../platform/atomic-write.js';

export const command: CommandSpec = {
  name: 'init',
  summary: 'Prepare the repository: union merge for append-only logs in .gitattributes',
  usage: 'jitp init [--json]',
  help: [
    'Adds `.jit/events.jsonl merge=union` to .gitattributes at the repository root (kept if already',
    'there), so branches that each appended events merge without conflicts; jitp readers count each',
    'event id once. Idempotent. Commit the file afterwards (the output says how).',
    '',
    'JSON: {"file": path, "added": [line], "present": [line]}',
    'Exit codes: 0 ok, 7 not a git repository.',
  ].join('\n'),
  positionals: { max: 0 },
  async run(ctx) {
    const root = workspaceOf(ctx).mainRoot;
    const file = join(root, '.gitattributes');
    let existing = '';
    try {
      existing = readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    const r = ensureAttributes(existing);
    if (r.added.length) writeFileAtomic(file, r.text);
    const text = r.added.length
      ? `added to ${file}:\n${r.added.map((l) => `  ${l}`).join('\n')}\ncommit it: git add .gitattributes && git ` +
        `commit -m "jit-parallel: union merge for append-only logs"`
      : `${file} already has ${r.present.join(', ')}`;
    return { json: { file, added: r.added, present: r.present }, text };
  },
};
