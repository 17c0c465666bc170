// Pure rendering of a plan: a table and conflict matrix for people, mermaid / dot graphs.
import type { PlanResult } from './plan.js';
import { displayWidth, table, truncate } from '../render/table.js';
import { flatLine } from '../render/text.js';

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function renderTable(plan: PlanResult, label: (id: string) => string): string {
  const lines: string[] = [];
  if (!plan.issues.length) lines.push('Nothing to plan: no available issues.');
  else {
    const batchOf = new Map<string, number>();
    plan.batches.forEach((b, i) => b.forEach((id) => batchOf.set(id, i + 1)));
    const rows = plan.issues.map((i) => [
      String(batchOf.get(i.id) ?? '-'),
      label(i.id),
      i.tier,
      String(i.files.length - i.newFiles.length),
      String(i.newFiles.length),
      String(i.hotFiles.length),
      truncate(flatLine(i.title), 48),
    ]);
    const head = ['batch', 'issue', 'tier', 'files', 'new', 'hot', 'title'];
    rows.sort((a, b) => Number(a[0]) - Number(b[0]) || (a[1]! < b[1]! ? -1 : 1));
    // By display width (render/table.ts): a wide label or title no longer shifts the columns after it.
    const rule = head.map((_, c) => '-'.repeat(Math.max(...[head, ...rows].map((r) => displayWidth(r[c]!)))));
    lines.push(...table([head, rule, ...rows], { align: ['r', 'l', 'l', 'r', 'r', 'r'] }));
    lines.push('', 'Batches (run in order; issues in one batch run in parallel):');
    plan.batches.forEach((b, i) => lines.push(`  ${i + 1}. ${b.map(label).join(', ')}`));
    lines.push('', ...renderMatrix(plan, label));
    if (plan.conflicts.length) {
      lines.push('', 'Conflicts:');
      for (const c of plan.conflicts) lines.push(`  ${label(c.pair[0])} x ${label(c.pair[1])}: ${c.reason}`);
    }
    lines.push('', 'Predicted files:');
    for (const i of plan.issues) {
      lines.push(`  ${label(i.id)} ${i.tier} (${i.reasons[0] ?? ''})`);
      for (const f of i.predicted) lines.push(`    ${f.new ? '+' : f.hot ? '!' : ' '} ${f.path}  (${f.reason})`);
    }
    lines.push('  (+ new file, ! hot file)');
  }
  if (plan.excluded.length) {
    lines.push('', 'Excluded:');
    for (const e of plan.excluded) lines.push(`  ${label(e.id)}: ${e.reason}`);
    lines.push(
      '  To include one: make it ready (jit: `jit issue update <id> --state ready`; task file: `state: ready`),',
      '  finish or add what blocks it, or see who holds it with `jitp claim status --issue <id>`.',
    );
  }
  return lines.join('\n');
}

export function renderMatrix(plan: PlanResult, label: (id: string) => string): string[] {
  const ids = plan.issues.map((i) => i.id);
  if (ids.length < 2) return ['Conflict matrix: (fewer than two issues)'];
  const key = new Set(plan.conflicts.map((c) => `${c.pair[0]}\0${c.pair[1]}`));
  const hit = (a: string, b: string) => key.has(`${a}\0${b}`) || key.has(`${b}\0${a}`);
  const names = ids.map(label);
  const w = Math.max(...names.map((n) => n.length));
  const out = [
    'Conflict matrix (X = predicted conflict):',
    `${' '.repeat(w)}  ${ids.map((_, k) => String(k + 1).padStart(2)).join(' ')}`,
  ];
  ids.forEach((a, r) =>
    out.push(
      `${names[r]!.padEnd(w)}  ${ids.map((b, c) => (r === c ? ' \\' : hit(a, b) ? ' X' : ' .')).join(' ')}  ${r + 1}`,
    ),
  );
  return out;
}

const mermaidId = (k: number) => `i${k}`;
const quote = (s: string) => s.replace(/["\\]/g, "'").replace(/[\u0000-\u001f]/g, ' ');

export function renderMermaid(plan: PlanResult, label: (id: string) => string): string {
  const index = new Map(plan.issues.map((i, k) => [i.id, k]));
  const out = ['graph LR'];
  plan.issues.forEach((i, k) =>
    out.push(`  ${mermaidId(k)}["${quote(label(i.id))} ${i.tier}<br/>${quote(clip(i.title, 40))}"]`),
  );
  for (const c of plan.conflicts)
    out.push(
      `  ${mermaidId(index.get(c.pair[0])!)} ---|"${quote(clip(c.files.join(', '), 60))}"| ` +
        `${mermaidId(index.get(c.pair[1])!)}`,
    );
  const colour: Record<string, string> = {
    GREEN: '#c8e6c9',
    YELLOW: '#fff59d',
    RED: '#ef9a9a',
    CRITICAL: '#b71c1c,color:#fff',
  };
  plan.issues.forEach((i, k) => out.push(`  style ${mermaidId(k)} fill:${colour[i.tier]}`));
  return out.join('\n');
}

export function renderDot(plan: PlanResult, label: (id: string) => string): string {
  const index = new Map(plan.issues.map((i, k) => [i.id, k]));
  const colour: Record<string, string> = { GREEN: 'palegreen', YELLOW: 'khaki', RED: 'salmon', CRITICAL: 'red3' };
  const out = ['graph conflicts {', '  node [shape=box, style=filled];'];
  plan.issues.forEach((i, k) =>
    out.push(
      `  n${k} [label="${quote(label(i.id))} ${i.tier}\\n${quote(clip(i.title, 40))}", fillcolor=${colour[i.tier]}];`,
    ),
  );
  for (const c of plan.conflicts)
    out.push(
      `  n${index.get(c.pair[0])} -- n${index.get(c.pair[1])} [label="${quote(clip(c.files.join(', '), 60))}"];`,
    );
  out.push('}');
  return out.join('\n');
}
