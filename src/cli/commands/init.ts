import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { CommandSpec } from '../command.js';
import { flag } from '../command.js';
import { ensureAttributes } from '../../core/jsonl-union.js';
import { addPermissionRules, JITP_PERMISSION } from '../../core/claude-settings.js';
import { CONFIG_FILE } from '../../config/schema.js';
import { CONFIG_TEMPLATE } from '../../config/template.js';
import { workspaceOf } from '../workspace.js';
import { writeFileAtomic } from '../../platform/atomic-write.js';
import { JitpError } from '../../platform/errors.js';
import { quote } from 'shell-quote';

/** The example task: the plain task-file format (src/sources/tasks.ts), listed by `jitp issues`. */
export const EXAMPLE_TASK = `---
id: example
title: Example task (edit or delete me)
state: ready
priority: normal
files:
  - README.md
---
# Example task (edit or delete me)

A task file is one issue for jit-parallel: front matter (\`id\`, \`title\`, \`state\`,
\`depends_on\`, \`files\`, \`risk\`) and a Markdown body the sub-agent reads as its instructions.
\`jitp issues\` lists the tasks in this folder; \`/jit-parallel example other-task\` works two at
once. Copy this file for each task, then delete it.

## Acceptance criteria
- [ ] README.md says what this repository is for.
`;

type Action = 'created' | 'updated' | 'unchanged' | 'skipped';

interface Step {
  /** Which part of the set-up. */
  what: 'gitattributes' | 'config' | 'example-task' | 'claude-settings';
  /** Repository-relative path. */
  path: string;
  action: Action;
  detail: string;
}

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') return undefined;
    throw new JitpError('E_PATH_EXISTS', `${file} is not a readable file (${err.code ?? err.message})`, {
      hint: `move it away (or fix its permissions), then run \`jitp init\` again; nothing was changed`,
    });
  }
};

export const command: CommandSpec = {
  name: 'init',
  summary: 'Set the repository up for jit-parallel: example task, commented config, merge line, permission',
  usage: 'jitp init [--no-example] [--json]',
  help: [
    'Writes what a repository needs, at the main checkout root; never overwrites a file, safe to run again',
    '(a second run changes nothing and says so):',
    '  .gitattributes              `.jit/events.jsonl merge=union` added (branches that each appended jit',
    '                              events merge without conflicts; readers count each event id once)',
    '  .jit-parallel.yaml          every option with its default, commented out (created only when absent)',
    '  <tasksDir>/example.md       an example task in the task-file format, so `jitp issues` lists it',
    '                              (not with --no-example, not when .jit/ or GitHub issues are the source,',
    '                              not when the folder already holds tasks)',
    '  .claude/settings.json       `Bash(jitp:*)` added to permissions.allow, every other key kept, so',
    '                              `jitp` never asks for approval (the client applies a project settings',
    "                              file once you trusted the folder; inside the plugin's skills their",
    '                              `allowed-tools` already allow it). A file that is not valid JSON is',
    '                              refused with its line and column, and nothing at all is written.',
    'Commit the files afterwards (the output gives the command).',
    '',
    'JSON: {"root": path, "changed": bool, "steps": [{"what": "gitattributes"|"config"|"example-task"|',
    '       "claude-settings", "path": repo-relative, "action": "created"|"updated"|"unchanged"|"skipped",',
    '       "detail": text}], "commit": [path] (the files to commit)}',
    'Exit codes: 0 ok (changed or not), 2 one of these paths is a folder or unreadable, 7 not a git',
    'repository, 8 .claude/settings.json is not valid JSON (or permissions / permissions.allow has the wrong',
    'type).',
  ].join('\n'),
  options: {
    'no-example': { type: 'boolean', description: 'Do not write the example task file' },
  },
  positionals: { max: 0 },
  async run(ctx) {
    const ws = workspaceOf(ctx);
    const root = ws.mainRoot;
    const rel = (p: string) => relative(root, p).split('\\').join('/');
    const writes: Array<{ file: string; text: string }> = [];
    const steps: Step[] = [];

    // 1. Settings first: a corrupt file stops init before anything is written.
    const settingsFile = join(root, '.claude', 'settings.json');
    const settingsText = read(settingsFile);
    const merged = addPermissionRules(settingsText ?? '', [JITP_PERMISSION]);
    if (!merged.ok)
      throw new JitpError(
        'E_CONFIG',
        `${settingsFile}, line ${merged.line}, column ${merged.column}: ${merged.message}`,
        {
          hint:
            `fix ${settingsFile} (or move it away), then run \`jitp init\` again; nothing was changed ` +
            `(or add "${JITP_PERMISSION}" to permissions.allow yourself)`,
          details: { file: settingsFile, line: merged.line, column: merged.column },
        },
      );
    if (merged.added.length) writes.push({ file: settingsFile, text: merged.text });
    steps.push({
      what: 'claude-settings',
      path: rel(settingsFile),
      action: merged.added.length ? (settingsText === undefined ? 'created' : 'updated') : 'unchanged',
      detail: merged.added.length
        ? `permissions.allow += ${JITP_PERMISSION} (jitp runs without asking once the folder is trusted)`
        : `permissions.allow already has ${JITP_PERMISSION}`,
    });

    // 2. The union merge line.
    const attrFile = join(root, '.gitattributes');
    const attrText = read(attrFile);
    const attrs = ensureAttributes(attrText ?? '');
    if (attrs.added.length) writes.push({ file: attrFile, text: attrs.text });
    steps.push({
      what: 'gitattributes',
      path: '.gitattributes',
      action: attrs.added.length ? (attrText === undefined ? 'created' : 'updated') : 'unchanged',
      detail: attrs.added.length ? `added ${attrs.added.join(', ')}` : `already has ${attrs.present.join(', ')}`,
    });

    // 3. The commented configuration.
    const configFile = join(root, CONFIG_FILE);
    const configExists = read(configFile) !== undefined;
    if (!configExists) writes.push({ file: configFile, text: CONFIG_TEMPLATE });
    steps.push({
      what: 'config',
      path: CONFIG_FILE,
      action: configExists ? 'unchanged' : 'created',
      detail: configExists
        ? 'exists; left as it is (`jitp config` shows what applies)'
        : 'every option with its default, commented out',
    });

    // 4. The example task, where task files are (or will be) the source.
    steps.push(await exampleStep(ws, flag(ctx.args.values['no-example']), rel, writes));

    for (const w of writes) {
      mkdirSync(dirname(w.file), { recursive: true });
      writeFileAtomic(w.file, w.text);
    }
    const changed = steps.filter((s) => s.action === 'created' || s.action === 'updated').map((s) => s.path);
    const lines = steps.map((s) => `${s.action.padEnd(9)} ${s.path.padEnd(32)} ${s.detail}`);
    lines.push(
      '',
      changed.length
        ? `commit them: ${quote(['git', '-C', root, 'add', '--', ...changed])} && ` +
            `git -C ${quote([root])} commit -m "jit-parallel: init"`
        : 'nothing to do: this repository is already set up (a second `jitp init` changes nothing)',
    );
    return { json: { root, changed: changed.length > 0, steps, commit: changed }, text: lines.join('\n') };
  },
};

async function exampleStep(
  ws: ReturnType<typeof workspaceOf>,
  noExample: boolean,
  rel: (p: string) => string,
  writes: Array<{ file: string; text: string }>,
): Promise<Step> {
  let tasksDir = '.jit-parallel/tasks';
  let kind: string;
  try {
    tasksDir = (await ws.main().config()).tasksDir.replace(/\/+$/, '');
    kind = await ws.main().sourceKind();
  } catch (e) {
    const why = e instanceof JitpError ? e.message : String(e);
    return { what: 'example-task', path: `${tasksDir}/example.md`, action: 'skipped', detail: `config: ${why}` };
  }
  const file = join(ws.mainRoot, tasksDir, 'example.md');
  const step = (action: Action, detail: string): Step => ({ what: 'example-task', path: rel(file), action, detail });
  if (noExample) return step('skipped', '--no-example');
  if (existsSync(file)) return step('unchanged', 'exists; left as it is');
  if (kind === 'jit') return step('skipped', 'the jit store in .jit/ is the issue source');
  if (kind === 'github') return step('skipped', 'GitHub issues are the issue source (gh)');
  let names: string[] = [];
  try {
    names = readdirSync(join(ws.mainRoot, tasksDir)).filter((n) => n.endsWith('.md') && !n.startsWith('.'));
  } catch {
    /* no folder yet */
  }
  if (names.length) return step('skipped', `${tasksDir} already holds ${names.length} task file(s)`);
  writes.push({ file, text: EXAMPLE_TASK });
  return step('created', 'an example task: `jitp issues` lists it');
}
