// `jitp batch load <file>`: tasks for people without a tracker. YAML or JSON, either a list
// or `{tasks: [...]}`; each task has a title and instructions, optionally id, files and
// dependencies (ids of other tasks in the file). Pure: text in, tasks or a precise error out.
import { z } from 'zod';
import { parseDocument } from 'yaml';
import { EXIT, JitpError } from '../core/errors.js';
import { slugify } from './naming.js';

const taskSchema = z
  .object({
    id: z.union([z.string().min(1).max(200), z.number()]).optional(),
    title: z.string().min(1).max(500),
    instructions: z.string().default(''),
    files: z.array(z.string().min(1)).default([]),
    dependencies: z.array(z.union([z.string(), z.number()])).default([]),
  })
  .strict();

export interface LoadedTask {
  id: string;
  title: string;
  instructions: string;
  files: string[];
  dependencies: string[];
}

export function parseTasksFile(text: string, file: string): LoadedTask[] {
  const isJson = /^\s*[[{]/.test(text) && file.endsWith('.json');
  let raw: unknown;
  if (isJson) {
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new JitpError('E_TASKS_PARSE', EXIT.USAGE, `${file}: ${(e as Error).message}`, { hint: `fix the JSON in ${file}` });
    }
  } else {
    const doc = parseDocument(text, { prettyErrors: true });
    if (doc.errors.length) {
      const err = doc.errors[0]!;
      const line = err.linePos?.[0]?.line;
      throw new JitpError('E_TASKS_PARSE', EXIT.USAGE, `${file}${line ? `:${line}` : ''}: ${err.message.split('\n')[0]}`, { hint: `fix the YAML in ${file}` });
    }
    raw = doc.toJS();
  }
  const list = Array.isArray(raw) ? raw : raw && typeof raw === 'object' && Array.isArray((raw as { tasks?: unknown }).tasks) ? (raw as { tasks: unknown[] }).tasks : undefined;
  if (!list) throw new JitpError('E_TASKS_SHAPE', EXIT.USAGE, `${file}: expected a list of tasks or {tasks: [...]}`, { hint: 'see `jitp batch load --help` for the format' });
  if (!list.length) throw new JitpError('E_TASKS_SHAPE', EXIT.USAGE, `${file}: no tasks`, { hint: 'add at least one task with a title' });
  const tasks: LoadedTask[] = [];
  const ids = new Set<string>();
  list.forEach((t, n) => {
    const r = taskSchema.safeParse(t);
    if (!r.success) {
      const i = r.error.issues[0]!;
      throw new JitpError('E_TASKS_SHAPE', EXIT.USAGE, `${file}: task ${n + 1}${i.path.length ? ` field ${i.path.join('.')}` : ''}: ${i.message}`, { hint: 'each task needs a title; optional: id, instructions, files, dependencies' });
    }
    const id = r.data.id !== undefined ? String(r.data.id).trim() : `t${n + 1}-${slugify(r.data.title, 24) || 'task'}`;
    if (!id || /[\0\n]/.test(id)) throw new JitpError('E_TASKS_SHAPE', EXIT.USAGE, `${file}: task ${n + 1}: invalid id`, { hint: 'ids are one line of text' });
    if (ids.has(id)) throw new JitpError('E_TASKS_SHAPE', EXIT.USAGE, `${file}: duplicate task id ${id}`, { hint: 'give each task its own id' });
    ids.add(id);
    tasks.push({ id, title: r.data.title, instructions: r.data.instructions, files: r.data.files, dependencies: r.data.dependencies.map(String) });
  });
  for (const t of tasks) {
    const unknown = t.dependencies.filter((d) => !ids.has(d));
    if (unknown.length) throw new JitpError('E_TASKS_SHAPE', EXIT.USAGE, `${file}: task ${t.id} depends on unknown ${unknown.join(', ')}`, { hint: 'dependencies name other task ids in the same file' });
  }
  return tasks;
}
