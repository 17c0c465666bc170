// Sub-agents end their answer with a fenced JSON report (references/agent-prompt-template.md).
// Parsing is tolerant of prose around the block and strict about its shape. Pure.
import { z } from 'zod';

const check = z.object({
  command: z.string(),
  result: z.enum(['pass', 'fail', 'not-run']),
  output: z.string().optional(),
});

export const reportSchema = z.object({
  issue: z.string().optional(),
  filesChanged: z.array(z.string()).default([]),
  testsAdded: z.array(z.string()).default([]),
  checks: z.array(check).default([]),
  needsOutsideScope: z.array(z.object({ path: z.string(), why: z.string().default('') })).default([]),
  problems: z.array(z.string()).default([]),
});

export type AgentReport = z.output<typeof reportSchema>;

export type ParsedReport = { ok: true; report: AgentReport } | { ok: false; error: string };

interface Block {
  info: string;
  body: string;
  line: number;
}

/** Fenced code blocks (backticks or tildes, any length ≥3), with the line each opens on. */
export function fencedBlocks(text: string): Block[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/.exec(lines[i]!);
    if (!open) continue;
    const [, f, info] = open as unknown as [string, string, string];
    const closeRe = new RegExp(`^ {0,3}${f[0] === '`' ? '`' : '~'}{${f.length},}\\s*$`);
    let j = i + 1;
    while (j < lines.length && !closeRe.test(lines[j]!)) j++;
    out.push({ info: info.toLowerCase(), body: lines.slice(i + 1, j).join('\n'), line: i + 1 });
    i = j;
  }
  return out;
}

function jsonErrorAt(body: string, msg: string): string {
  const pos = /position (\d+)/.exec(msg);
  if (!pos) return msg;
  const line = body.slice(0, Number(pos[1])).split('\n').length;
  return `${msg} (line ${line} of the block)`;
}

/** Finds the LAST json block (the report comes at the end) and validates it. */
export function parseReport(text: string): ParsedReport {
  const blocks = fencedBlocks(text);
  const json = blocks.filter((b) => b.info === 'json' || b.info === 'jsonc');
  // Fall back to an unlabelled block that looks like an object, then to the whole text.
  const candidate =
    json.at(-1) ??
    blocks.filter((b) => b.info === '' && b.body.trim().startsWith('{')).at(-1) ??
    (text.trim().startsWith('{') ? { info: '', body: text, line: 1 } : undefined);
  if (!candidate)
    return { ok: false, error: 'no fenced ```json block found (the sub-agent did not end with its report)' };
  let value: unknown;
  try {
    value = JSON.parse(candidate.body);
  } catch (e) {
    return {
      ok: false,
      error:
        `the json block at line ${candidate.line} is not valid JSON: ` +
        `${jsonErrorAt(candidate.body, (e as Error).message)}`,
    };
  }
  const parsed = reportSchema.safeParse(value);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    return {
      ok: false,
      error:
        `the json block at line ${candidate.line} has the wrong shape: ` +
        `${first.path.join('.') || '(top level)'}: ${first.message}`,
    };
  }
  return { ok: true, report: parsed.data };
}

/**
 * Sub-agents often report absolute paths (the client's tools use them). Turns a path inside one
 * of `roots` (the checkout, the issue's worktree) into a repo-relative POSIX path; anything else
 * is returned cleaned but as written, so verify can show it.
 */
export function normalizeReportedPath(p: string, roots: string[]): string {
  let s = p.trim().replace(/\\/g, '/');
  for (const r of roots) {
    const root = r.replace(/\\/g, '/').replace(/\/+$/, '');
    if (s === root) return '.';
    if (s.startsWith(`${root}/`)) {
      s = s.slice(root.length + 1);
      break;
    }
  }
  return s.replace(/^(\.\/)+/, '').replace(/\/{2,}/g, '/');
}

export function normalizeReport(r: AgentReport, roots: string[]): AgentReport {
  return {
    ...r,
    filesChanged: r.filesChanged.map((p) => normalizeReportedPath(p, roots)),
    needsOutsideScope: r.needsOutsideScope.map((n) => ({ ...n, path: normalizeReportedPath(n.path, roots) })),
  };
}
