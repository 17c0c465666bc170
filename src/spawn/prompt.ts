// The headless agent's prompt for one issue: the shared sub-agent prompt (`jitp prompt`,
// src/render/prompt.ts) with the issue from the tracker when it has one, else from the batch
// (tasks loaded with `jitp batch load`). The binding line comes first when the lease has a secret.
import type { Config } from '../config/schema.js';
import { renderPrompt } from '../render/prompt.js';
import { loadTemplate } from '../render/template-file.js';
import { testCommandFor } from '../render/test-command-fs.js';
import { openIssueSource } from '../sources/detect.js';
import type { PromptIssue } from '../render/prompt.js';
import type { BatchIssue } from '../worktree/batch.js';

function issueFor(issue: BatchIssue, mainRoot: string, config: Config, env: NodeJS.ProcessEnv): PromptIssue {
  try {
    const i = openIssueSource({ root: mainRoot, config, env }).get(issue.id);
    if (i.id === issue.id) {
      return {
        id: i.id,
        shortId: i.shortId,
        title: i.title,
        description: i.description,
        state: i.state,
        acceptanceCriteria: i.acceptanceCriteria,
        documents: i.documents.map((d) => ({ path: d.path, label: d.label ?? null })),
      };
    }
  } catch {
    /* a batch-only task: not in the tracker */
  }
  return {
    id: issue.id,
    shortId: issue.short,
    title: issue.title,
    description: issue.instructions ?? '',
    acceptanceCriteria: [],
    documents: [],
  };
}

export function renderSpawnPrompt(
  issue: BatchIssue,
  opts: {
    lease?: { id: string; paths: string[]; bindSecret?: string } | null;
    mainRoot: string;
    config: Config;
    env: NodeJS.ProcessEnv;
  },
): string {
  const test = testCommandFor(issue.worktree ?? opts.mainRoot, opts.config.test.command);
  return renderPrompt({
    template: loadTemplate(opts.env).text,
    issue: issueFor(issue, opts.mainRoot, opts.config, opts.env),
    mode: 'implement',
    lease: opts.lease ?? null,
    repoRoot: opts.mainRoot,
    worktree: issue.worktree,
    testCommand: test?.command ?? null,
  }).prompt;
}
