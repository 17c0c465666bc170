import { resolve } from 'node:path';
import type { CommandSpec } from '../command.js';
import { str } from '../command.js';
import { usageError } from '../../platform/errors.js';
import { workspaceOf } from '../workspace.js';
import { liveLeases, leaseForIssue } from '../../dispatch/leases.js';
import { PROMPT_MODES, renderPrompt, type PromptMode } from '../../render/prompt.js';
import { loadTemplate } from '../../render/template-file.js';
import { testCommandFor } from '../../render/test-command-fs.js';

export const command: CommandSpec = {
  name: 'prompt',
  summary: "Render one issue's sub-agent prompt (references/agent-prompt-template.md)",
  usage: 'jitp prompt <issue> [--mode implement|plan|review] [--worktree <path>] [--json]',
  help: [
    'Renders the sub-agent prompt for one issue: full id and title, the description fenced as data,',
    "acceptance criteria, linked documents, the write scope (the lease's paths) and the rule for files",
    "outside it, the project's test command, the mode's instructions and the required final JSON report.",
    'When the issue has a live lease, the FIRST line is its binding line: pass the whole output unchanged',
    "as the Agent call's prompt; the hooks bind the sub-agent to the lease by that line.",
    '',
    'Modes: implement (default); plan (writes only .jit-parallel/plans/<short-id>.md, no code);',
    'review (checks an existing change against the criteria, edits nothing).',
    "--worktree <path>: the sub-agent works only inside that worktree (default: the lease's worktree).",
    '',
    'JSON: {"prompt": string, "mode": string, "bound": boolean, "bindingLine": string|null (secret inside: never ' +
      'log it),',
    '  "issue": {"id","shortId","title","state","acceptanceCriteria":[…],"documents":[…]},',
    '  "lease": {"id","paths":[…],"worktree","branch","expiresAt"}|null, "worktree": string|null,',
    '  "testCommand": string|null, "testCommandSource": string|null, "planPath": string|null, "template": string}',
    'Exit codes: 0 ok, 2 bad arguments, 4 unknown or ambiguous issue id, 5 lease store unreadable, 7 not a git ' +
      'repository.',
  ].join('\n'),
  options: {
    mode: { type: 'string', arg: '<mode>', description: 'implement (default), plan or review' },
    worktree: { type: 'string', arg: '<path>', description: "Worktree the sub-agent works in (default: its lease's)" },
  },
  positionals: { min: 1, max: 1, names: '<issue>' },
  async run(ctx) {
    const mode = (str(ctx.args.values.mode) ?? 'implement') as PromptMode;
    if (!PROMPT_MODES.includes(mode))
      throw usageError(`unknown mode ${JSON.stringify(mode)}`, 'use --mode implement, --mode plan or --mode review');
    const ws = workspaceOf(ctx);
    const config = await ws.config();
    const source = await ws.source();
    const issue = source.get(ctx.args.positionals[0]!);
    const lease = leaseForIssue(await liveLeases(await ws.store()), issue.id);
    const wtOpt = str(ctx.args.values.worktree);
    // A lease records the checkout it was taken in; only another checkout means worktree mode.
    const leaseWt = lease?.worktree && resolve(lease.worktree) !== resolve(ws.root) ? lease.worktree : null;
    const worktree = wtOpt ? resolve(ctx.cwd, wtOpt) : leaseWt;
    if (!lease)
      ctx.warn(
        `no live lease for ${issue.shortId}: the prompt has no binding line and no write scope; claim first: jitp ` +
          `claim acquire ${issue.shortId} --paths <files>`,
      );
    else if (!lease.bindSecret)
      ctx.warn(`lease ${lease.id} has no binding secret: the sub-agent cannot be bound to it`);
    if (wtOpt && leaseWt && resolve(leaseWt) !== worktree)
      ctx.warn(`--worktree ${worktree} differs from the lease's worktree ${leaseWt}`);
    if (issue.state === 'done' || issue.state === 'rejected' || issue.state === 'archived')
      ctx.warn(`${issue.shortId} is ${issue.state}`);
    const test = testCommandFor(worktree ?? ws.root, config.test.command);
    const template = loadTemplate(ctx.env);
    const r = renderPrompt({
      template: template.text,
      issue: {
        id: issue.id,
        shortId: issue.shortId,
        title: issue.title,
        description: issue.description,
        state: issue.state,
        acceptanceCriteria: issue.acceptanceCriteria,
        documents: issue.documents.map((doc) => ({
          path: doc.path,
          label: doc.label ?? null,
          docType: docType(issue.raw, doc.path),
        })),
      },
      mode,
      lease: lease
        ? { id: lease.id, paths: lease.paths, ...(lease.bindSecret ? { bindSecret: lease.bindSecret } : {}) }
        : null,
      repoRoot: ws.root,
      worktree,
      testCommand: test?.command ?? null,
    });
    return {
      text: r.prompt,
      json: {
        prompt: r.prompt,
        mode,
        bound: r.bindingLine !== null,
        bindingLine: r.bindingLine,
        issue: {
          id: issue.id,
          shortId: issue.shortId,
          title: issue.title,
          state: issue.state,
          acceptanceCriteria: issue.acceptanceCriteria,
          documents: issue.documents,
        },
        lease: lease
          ? {
              id: lease.id,
              paths: lease.paths,
              worktree: lease.worktree,
              branch: lease.branch,
              expiresAt: lease.expiresAt,
            }
          : null,
        worktree,
        testCommand: test?.command ?? null,
        testCommandSource: test?.source ?? null,
        planPath: r.planPath,
        template: template.path,
      },
    };
  },
};

/** jit documents carry a doc_type the normalised model does not keep; read it from raw. */
function docType(raw: unknown, path: string): string | null {
  const docs = (raw as { documents?: unknown } | null)?.documents;
  if (!Array.isArray(docs)) return null;
  const hit = docs.find((d) => (d as { path?: unknown })?.path === path) as { doc_type?: unknown } | undefined;
  return typeof hit?.doc_type === 'string' ? hit.doc_type : null;
}
