// Renders the sub-agent prompt from references/agent-prompt-template.md. Pure: the template
// text and every value come in as plain data, so the table tests cover it without a repo.
import { formatBindingLine } from '../core/binding.js';
import { fence, oneLine, slug } from './text.js';

export type PromptMode = 'implement' | 'plan' | 'review';
export const PROMPT_MODES: readonly PromptMode[] = ['implement', 'plan', 'review'];

export interface PromptIssue {
  id: string;
  shortId: string;
  title: string;
  description: string;
  state?: string;
  acceptanceCriteria: string[];
  documents: { path: string; label?: string | null; docType?: string | null }[];
}

export interface PromptLease {
  id: string;
  paths: string[];
  /** Present when the store gave one; without it the prompt cannot bind (no binding line). */
  bindSecret?: string;
}

export interface PromptInput {
  template: string;
  issue: PromptIssue;
  mode: PromptMode;
  lease: PromptLease | null;
  repoRoot: string;
  worktree: string | null;
  testCommand: string | null;
}

export interface RenderedPrompt {
  prompt: string;
  /** The binding line put first, or null when no live lease with a secret was given. */
  bindingLine: string | null;
  planPath: string | null;
}

const BEGIN = '<!-- template:begin -->';
const END = '<!-- template:end -->';

/** The part of the template file that is rendered. */
export function templateBody(template: string): string {
  const b = template.indexOf(BEGIN);
  const e = template.indexOf(END);
  if (b < 0 || e < 0 || e < b) throw new Error(`prompt template lacks ${BEGIN} … ${END}`);
  return template
    .slice(b + BEGIN.length, e)
    .replace(/^\r?\n/, '')
    .replace(/\s+$/, '\n');
}

/** Where a plan-mode sub-agent writes its plan; repo-relative, derived from the short id only. */
export const planPathFor = (shortId: string): string => `.jit-parallel/plans/${slug(shortId, 32)}.md`;

const MODE_VERB: Record<PromptMode, string> = {
  implement: 'implementing',
  plan: 'planning (no code)',
  review: 'reviewing (no edits)',
};

/** Resolves `{{#x}}…{{/x}}` and `{{^x}}…{{/x}}` on the template alone, before any value exists. */
export function applySections(body: string, conds: Record<string, boolean>): string {
  // Innermost first, so nesting works; a section's name must match its closing tag.
  const re = /\{\{([#^])([a-z_]+)\}\}((?:(?!\{\{[#^/])[\s\S])*?)\{\{\/\2\}\}/;
  let out = body;
  for (let guard = 0; guard < 1000; guard++) {
    const m = re.exec(out);
    if (!m) break;
    const [all, kind, name, inner] = m as unknown as [string, string, string, string];
    if (!(name in conds)) throw new Error(`prompt template: unknown section {{${kind}${name}}}`);
    const keep = kind === '#' ? conds[name] : !conds[name];
    out = out.slice(0, m.index) + (keep ? inner : '') + out.slice(m.index + all.length);
  }
  const stray = /\{\{[#^/][a-z_]*\}\}/.exec(out);
  if (stray) throw new Error(`prompt template: unbalanced section tag ${stray[0]}`);
  return out;
}

/** One pass: inserted values are never scanned again, so they cannot expand anything. */
export function fillPlaceholders(body: string, values: Record<string, string>): string {
  return body.replace(/\{\{([a-z_]+)\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`prompt template: unknown placeholder {{${name}}}`);
    return values[name]!;
  });
}

export function renderPrompt(input: PromptInput): RenderedPrompt {
  const { issue, mode, lease, worktree } = input;
  const criteria = issue.acceptanceCriteria.map((c) => oneLine(c)).filter(Boolean);
  const documents = issue.documents.filter((d) => oneLine(d.path));
  const planPath = mode === 'plan' ? planPathFor(issue.shortId) : null;
  const scopePaths = lease ? lease.paths : [];
  const conds = {
    implement: mode === 'implement',
    plan: mode === 'plan',
    review: mode === 'review',
    lease: lease !== null,
    bound: !!lease?.bindSecret,
    // A worktree lease may name no paths: then the worktree itself is the scope.
    scoped: !!lease && (lease.paths.length > 0 || worktree === null),
    worktree: worktree !== null,
    test: !!input.testCommand,
    criteria: criteria.length > 0,
    documents: documents.length > 0,
  };
  const values: Record<string, string> = {
    // Ids come from the tracker too (a task file names its own): data, fenced like the title.
    id_block: fence(`${oneLine(issue.id)}\n${oneLine(issue.shortId)}`),
    issue_state: oneLine(issue.state ?? 'unknown') || 'unknown',
    mode_verb: MODE_VERB[mode],
    title_block: fence(oneLine(issue.title) || '(no title)'),
    description_block: fence(issue.description.trim() === '' ? '(no description)' : issue.description),
    criteria_block: fence(criteria.map((c) => `- ${c}`).join('\n')),
    documents_block: fence(
      documents
        .map((d) => {
          const extra = [d.docType, d.label]
            .map((x) => oneLine(x ?? ''))
            .filter(Boolean)
            .join(': ');
          return `- ${oneLine(d.path)}${extra ? ` (${extra})` : ''}`;
        })
        .join('\n'),
    ),
    lease_id: lease ? oneLine(lease.id) : '',
    scope_block: fence(
      scopePaths.length ? scopePaths.map(oneLine).join('\n') : '(no paths: you may not create or change any file)',
    ),
    worktree_path: worktree ? oneLine(worktree) : '',
    repo_root: oneLine(input.repoRoot),
    test_command: input.testCommand ? oneLine(input.testCommand) : '',
    plan_path: planPath ?? '',
  };
  const body = fillPlaceholders(applySections(templateBody(input.template), conds), values);
  // The binding line only when the lease can really bind; otherwise line 1 is template text.
  const bindingLine = lease?.bindSecret ? formatBindingLine(lease.id, lease.bindSecret) : null;
  return { prompt: bindingLine ? `${bindingLine}\n${body}` : body, bindingLine, planPath };
}
