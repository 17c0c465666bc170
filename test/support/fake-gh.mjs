#!/usr/bin/env node
// A stand-in for the GitHub CLI in tests: no network. It answers the subset of gh that jitp runs
// from a state file (FAKE_GH_STATE: {auth, repo, issues:[gh-shaped issue objects], pulls:[]})
// and appends every call to FAKE_GH_LOG (one JSON line: {argv, cwd}), so tests assert both what
// jitp concluded and the exact gh invocations. Output shapes and messages follow gh 2.x: compact
// JSON on a pipe, `--json` fields projected from the issue, exit 4 when not logged in, exit 1
// with gh's own wording for an unknown field or issue. Mutations (close, comment, pr create) are
// written back to the state file.
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const statePath = process.env.FAKE_GH_STATE;
if (process.env.FAKE_GH_LOG)
  appendFileSync(process.env.FAKE_GH_LOG, `${JSON.stringify({ argv, cwd: process.cwd() })}\n`);

// gh's issue --json fields (gh issue list --json with no value prints them).
const ISSUE_FIELDS = [
  'assignees',
  'author',
  'body',
  'closed',
  'closedAt',
  'comments',
  'createdAt',
  'id',
  'isPinned',
  'labels',
  'milestone',
  'number',
  'projectCards',
  'projectItems',
  'reactionGroups',
  'state',
  'stateReason',
  'title',
  'updatedAt',
  'url',
];

const out = (s) => process.stdout.write(s);
const fail = (msg, code = 1) => {
  process.stderr.write(msg.endsWith('\n') ? msg : `${msg}\n`);
  process.exit(code);
};
const state = statePath ? JSON.parse(readFileSync(statePath, 'utf8')) : { auth: false, issues: [], pulls: [] };
const save = () => statePath && writeFileSync(statePath, JSON.stringify(state, null, 2));

/** `--name value` or `--name=value`; the last one wins, like gh's flag parser. */
function opt(name, short) {
  let v;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === `--${name}` || (short && a === `-${short}`)) v = argv[++i];
    else if (a.startsWith(`--${name}=`)) v = a.slice(name.length + 3);
  }
  return v;
}
const positional = (k) => {
  const pos = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i].startsWith('-')) {
      if (!argv[i].includes('=') && !['--web', '--fill'].includes(argv[i])) i++;
      continue;
    }
    pos.push(argv[i]);
  }
  return pos[k];
};

if (argv[0] === '--version') {
  out('gh version 2.62.0 (2024-11-14)\nhttps://github.com/cli/cli/releases/tag/v2.62.0\n');
  process.exit(0);
}

const notLoggedIn = () =>
  fail(
    'To get started with GitHub CLI, please run:  gh auth login\n' +
      'Alternatively, populate the GH_TOKEN environment variable with a GitHub API authentication token.',
    4,
  );

if (argv[0] === 'auth' && argv[1] === 'status') {
  if (!state.auth) fail('You are not logged into any GitHub hosts. To log in, run: gh auth login', 1);
  out(`github.com\n  ✓ Logged in to github.com account ${state.login ?? 'octocat'} (keyring)\n`);
  process.exit(0);
}
if (!state.auth) notLoggedIn();

const repo = opt('repo', 'R') ?? state.repo;
const repoUrl = `https://github.com/${repo}`;

function project(issue, fieldsArg) {
  const fields = fieldsArg.split(',').map((f) => f.trim());
  for (const f of fields)
    if (!ISSUE_FIELDS.includes(f))
      fail(
        `Unknown JSON field: ${JSON.stringify(f)}\nAvailable fields:\n${ISSUE_FIELDS.map((x) => `  ${x}`).join('\n')}`,
      );
  return Object.fromEntries(fields.map((f) => [f, f === 'closed' ? issue.state === 'CLOSED' : (issue[f] ?? null)]));
}

/** `123`, `#123` or the issue's URL, as gh accepts them. */
function findIssue(arg) {
  const m = /^(?:#?(\d+)|https:\/\/github\.com\/[^/]+\/[^/]+\/issues\/(\d+))$/.exec(arg ?? '');
  if (!m) fail(`invalid issue format: ${JSON.stringify(arg)}`);
  const n = Number(m[1] ?? m[2]);
  const issue = state.issues.find((i) => i.number === n);
  if (!issue)
    fail(`GraphQL: Could not resolve to an issue or pull request with the number of ${n}. (repository.issue)`);
  return issue;
}

const [group, verb] = argv;
if (group === 'issue' && verb === 'list') {
  const st = (opt('state', 's') ?? 'open').toLowerCase();
  const limit = Number(opt('limit', 'L') ?? 30);
  const json = opt('json');
  if (json === undefined) fail('fake gh: only --json output is recorded');
  const label = opt('label', 'l');
  const rows = state.issues
    .filter((i) => st === 'all' || i.state.toLowerCase() === st)
    .filter((i) => !label || i.labels.some((l) => l.name === label))
    .sort((a, b) => b.number - a.number) // gh lists newest first
    .slice(0, limit);
  out(`${JSON.stringify(rows.map((i) => project(i, json)))}\n`);
} else if (group === 'issue' && verb === 'view') {
  const issue = findIssue(positional(2));
  const json = opt('json');
  if (json === undefined) fail('fake gh: only --json output is recorded');
  out(`${JSON.stringify(project(issue, json))}\n`);
} else if (group === 'issue' && verb === 'close') {
  const issue = findIssue(positional(2));
  const reason = opt('reason', 'r');
  if (reason && !['completed', 'not planned'].includes(reason))
    fail(`invalid argument "${reason}" for "-r, --reason" flag: valid values are {completed|not planned}`);
  if (issue.state === 'CLOSED') {
    process.stderr.write(`! Issue ${repo}#${issue.number} (${issue.title}) is already closed\n`);
    process.exit(0);
  }
  const comment = opt('comment', 'c');
  if (comment) (issue.commentsAdded ??= []).push(comment);
  issue.state = 'CLOSED';
  issue.stateReason = reason === 'not planned' ? 'NOT_PLANNED' : 'COMPLETED';
  save();
  process.stderr.write(`✓ Closed issue ${repo}#${issue.number} (${issue.title})\n`);
} else if (group === 'issue' && verb === 'comment') {
  const issue = findIssue(positional(2));
  const body = opt('body', 'b');
  if (!body) fail('fake gh: --body is required in tests');
  (issue.commentsAdded ??= []).push(body);
  save();
  out(`${repoUrl}/issues/${issue.number}#issuecomment-${1000 + issue.commentsAdded.length}\n`);
} else if (group === 'pr' && verb === 'create') {
  const head = opt('head', 'H');
  const base = opt('base', 'B');
  const title = opt('title', 't');
  const body = opt('body', 'b');
  if (!head || !base || !title || body === undefined)
    fail('fake gh: tests pass --head, --base, --title and --body to pr create');
  // GitHub only knows pushed branches: the origin remote (a local bare repo in tests) must have it.
  const pushed = spawnSync('git', ['ls-remote', '--heads', 'origin', `refs/heads/${head}`], { encoding: 'utf8' });
  if (pushed.status !== 0 || !pushed.stdout.trim())
    fail(`pull request create failed: GraphQL: Head sha can't be blank, Head ref must be a branch (createPullRequest)`);
  state.pulls ??= [];
  const dup = state.pulls.find((p) => p.head === head && p.base === base && p.state === 'OPEN');
  if (dup) fail(`a pull request for branch "${head}" into branch "${base}" already exists:\n${dup.url}`);
  const number = Math.max(0, ...state.issues.map((i) => i.number), ...state.pulls.map((p) => p.number)) + 1;
  const url = `${repoUrl}/pull/${number}`;
  state.pulls.push({ number, head, base, title, body, url, state: 'OPEN' });
  save();
  out(`${url}\n`);
} else {
  fail(`unknown command "${argv.join(' ')}" for "gh" (fake gh: not recorded)`);
}
