// Text for `jitp merge`: the queue report and the individual-strategy commands. Pure.
import { quote } from 'shell-quote';
import type { QueueReport, StepDone } from './queue-run.js';

const STOP_WHY: Record<string, string> = {
  conflict: 'its merge conflicts',
  'test-failed': 'the tests failed after merging it (the merge commit is kept for you to fix or skip)',
  'merge-failed': 'git refused the merge',
};

/** What marking a merged issue done did, in one line. */
export function doneText(d: StepDone): string {
  const released = d.releasedLeases.length ? `; released ${d.releasedLeases.join(', ')}` : '';
  switch (d.state) {
    case 'failed':
      return `NOT marked done: ${d.error}`;
    case 'untracked':
      return `no tracker state to mark (${d.note})${released}`;
    case 'already':
      return `already done${released}`;
    case 'done':
      return (
        `marked done (${d.via === 'jit-cli' ? 'jit CLI' : d.via === 'gh' ? 'gh issue close' : d.file}` +
        `${d.commit ? `, committed ${d.commit.slice(0, 12)}` : ''})${released}`
      );
  }
}

export function renderReport(r: QueueReport): string {
  const icon: Record<string, string> = {
    merged: 'merged ',
    conflict: 'CONFLICT',
    'test-failed': 'TEST FAIL',
    'merge-failed': 'FAILED',
    skipped: 'skipped',
    'not-ready': 'not ready',
  };
  const lines = r.steps.flatMap((s) => [
    `${(icon[s.outcome] ?? s.outcome).padEnd(9)} ${s.short.padEnd(10)} ${s.branch ?? ''}  ${s.detail}`,
    ...(s.done ? [`${''.padEnd(9)} ${''.padEnd(10)} ${doneText(s.done)}`] : []),
  ]);
  if (r.stopped) {
    lines.push(
      '',
      `stopped at ${r.stopped.short}: ${STOP_WHY[r.stopped.because] ?? r.stopped.because}. The repository is ` +
        'left as it is so nothing is lost; the rest of the queue waits.',
    );
    if (r.stopped.files.length) lines.push(`conflicted files: ${r.stopped.files.join(', ')}`);
    lines.push('next:', ...r.stopped.next.map((l) => `  ${l}`));
  } else if (r.done) {
    const notReady = r.steps.filter((s) => s.outcome === 'not-ready').length;
    lines.push(
      '',
      notReady
        ? `queue finished; ${notReady} issue(s) not ready (see above), run \`jitp merge\` again when they are`
        : 'queue finished: every ready branch is merged. `jitp cleanup` removes merged worktrees.',
    );
  }
  return lines.join('\n');
}

export interface PrCommand {
  issue: string;
  short: string;
  branch: string;
  commands: string[];
}

export function prCommands(
  issues: Array<{ id: string; short: string; branch: string; title: string }>,
  integration: string,
  remote = 'origin',
): PrCommand[] {
  return issues.map((i) => ({
    issue: i.id,
    short: i.short,
    branch: i.branch,
    commands: [
      quote(['git', 'push', '-u', remote, i.branch]),
      quote([
        'gh',
        'pr',
        'create',
        '--base',
        integration,
        '--head',
        i.branch,
        '--title',
        `${i.short}: ${i.title.replace(/[\r\n]+/g, ' ')}`,
        '--fill',
      ]),
    ],
  }));
}
