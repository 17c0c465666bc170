#!/usr/bin/env node
// `npm run demo`: the main job on a built-in example. Builds a scratch repository (a tiny
// JavaScript library with three jit issues), then does what `/jit-parallel 3f2a 9c1d 77be`
// does inside Claude Code, with the shipped bundle (dist/jitp.mjs): init, plan, claims, prompts,
// sub-agents' edits, verify, issues done, one commit. Where a real session uses Claude, a
// scripted stand-in makes the edits, and the output says so.
//
//   node scripts/demo.mjs [--dir <empty folder>] [--keep]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDemoRepo, EDITS, git, ISSUES, reportFor, writeFiles } from './demo-fixture.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const JITP = join(ROOT, 'dist', 'jitp.mjs');
const args = process.argv.slice(2);
const dirArg = args.includes('--dir') ? resolve(args[args.indexOf('--dir') + 1]) : null;
const keep = args.includes('--keep') || dirArg !== null;

const bold = (s) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const dim = (s) => (process.stdout.isTTY ? `\x1b[2m${s}\x1b[0m` : s);
let step = 0;
const header = (title) => console.log(`\n${bold(`── ${++step}. ${title} `.padEnd(78, '─'))}`);
const claude = (text) => console.log(`${bold('[Claude]')} ${text}`);
const indent = (s, n = 4) =>
  s
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');

if (!existsSync(JITP)) {
  console.error(`demo: ${JITP} is missing; run \`npm run build\` first`);
  process.exit(2);
}

let base;
let repo;
if (dirArg) {
  if (existsSync(dirArg) && readdirSync(dirArg).length) {
    console.error(`demo: --dir ${dirArg} is not empty; give an empty or new folder`);
    process.exit(2);
  }
  repo = dirArg;
} else {
  base = mkdtempSync(join(tmpdir(), 'jitp-demo-'));
  repo = join(base, 'textkit');
}

// The demo's own identity and environment: never the developer's jit agent or CLI.
const env = { ...process.env, JIT_AGENT_ID: 'agent:demo', JITP_JIT_BIN: '', NO_COLOR: '1' };

/** Runs jitp in the scratch repo, shows the command and its output, fails loudly on surprise. */
function jitp(argv, { show = true, expect = [0], quiet = false } = {}) {
  const r = spawnSync(process.execPath, [JITP, ...argv], { cwd: repo, env, encoding: 'utf8' });
  if (show) console.log(`${dim('$')} jitp ${argv.map(shq).join(' ')}`);
  // Progress and warnings (stderr) first: they happen before the result is printed.
  if (r.stderr.trim() && show) console.log(dim(indent(r.stderr)));
  if (show && !quiet && r.stdout.trim()) console.log(indent(r.stdout));
  if (!expect.includes(r.status)) {
    console.error(`\ndemo: \`jitp ${argv.join(' ')}\` exited ${r.status}:\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  return r;
}
const shq = (s) => (/^[A-Za-z0-9_./@%+=:,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
const sh = (cmd, argv, opts = {}) => {
  console.log(`${dim('$')} ${cmd} ${argv.map(shq).join(' ')}`);
  const out = execFileSync(cmd, argv, { cwd: repo, env, encoding: 'utf8', ...opts });
  if (out.trim()) console.log(indent(out));
  return out;
};

try {
  header('A scratch repository with a jit issue store');
  buildDemoRepo(repo);
  console.log(`    ${repo}`);
  console.log(indent(git(repo, 'ls-files')));

  header('Set-up, once per repository: jitp init');
  // The jit store is the source here, so no example task; the rest is committed as a user would.
  jitp(['init']);
  console.log(`${dim('$')} git add -A && git commit -m 'jit-parallel: init'`);
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'jit-parallel: init');
  const short = (k) => ISSUES[k].id.slice(0, 8);
  const ids = ['slug', 'words', 'later'].map(short);
  console.log(`\n    The user types in Claude Code:  /jit-parallel ${ids.map((i) => i.slice(0, 4)).join(' ')}`);
  claude('expands the jit-parallel skill and follows it; each step below is a Bash call it makes.');

  header('Pre-flight: plan (predicted files, risk tiers, conflicts, batches)');
  jitp(['plan', ...ids.map((i) => i.slice(0, 4))]);
  const plan = JSON.parse(jitp(['plan', ...ids, '--json'], { show: false }).stdout);
  const batch = plan.batches[0];
  for (const ex of plan.excluded) console.log(`    excluded ${ex.id.slice(0, 8)}: ${ex.reason}`);

  header(`Claims: one lease per issue of batch 1, on its predicted files`);
  for (const id of batch) {
    const issue = plan.issues.find((i) => i.id === id);
    jitp(['claim', 'acquire', id.slice(0, 8), '--paths', issue.files.join(','), '--agent', 'agent:demo']);
  }
  jitp(['claim', 'list']);

  header('Prompts: one rendered sub-agent prompt per issue');
  const prompts = {};
  for (const id of batch) {
    const r = jitp(['prompt', id.slice(0, 8), '--json'], { quiet: true });
    const j = JSON.parse(r.stdout);
    prompts[id] = j.prompt;
    const lines = j.prompt.split('\n');
    console.log(
      indent(
        `${lines[0].replace(/secret=[0-9a-f]+/, 'secret=…')}   ` +
          `${dim('<- binding line: ties the sub-agent to lease ' + j.lease.id)}`,
      ),
    );
    console.log(indent(lines.slice(1, 8).join('\n')));
    console.log(indent(dim(`… ${lines.length - 8} more lines (scope, tests: ${j.testCommand}, final JSON report)`)));
  }
  claude(
    `sends ONE message with ${batch.length} Agent tool calls (subagent_type general-purpose), each prompt = the ` +
      `output above,`,
  );
  claude("so the sub-agents run in parallel. The hooks let each one edit only its lease's files.");

  header('Sub-agents work (scripted stand-in for Claude)');
  console.log(
    `    ${bold('[stand-in]')} In a real session each sub-agent is Claude reading its prompt and editing the code.`,
  );
  console.log(
    `    ${bold('[stand-in]')} Here a script writes the same fixes, then the final JSON report each sub-agent returns.`,
  );
  const keyOf = Object.fromEntries(Object.entries(ISSUES).map(([k, v]) => [v.id, k]));
  mkdirSync(join(repo, '.jit-parallel', 'reports'), { recursive: true });
  for (const id of batch) {
    const key = keyOf[id];
    writeFiles(repo, EDITS[key]);
    for (const f of Object.keys(EDITS[key])) console.log(`    ${short(key)} edited ${f}`);
    writeFileSync(join(repo, '.jit-parallel', 'reports', `${short(key)}.md`), reportFor(key));
  }
  claude("saves each sub-agent's final answer to .jit-parallel/reports/<short-id>.md.");

  header('Post-flight: verify changes against leases and reports, run the tests once');
  jitp(['verify', ...batch.map((i) => i.slice(0, 8)), '--reports', '.jit-parallel/reports']);
  const verify = JSON.parse(
    jitp(['verify', ...batch, '--reports', '.jit-parallel/reports', '--no-test', '--json'], { show: false }).stdout,
  );

  header('Issues done (jit CLI when installed, else the issue files), leases released');
  jitp(['issue', 'done', ...batch.map((i) => i.slice(0, 8))]);

  header('One commit with the convention');
  const jitFiles = jitp(['commit-message', ...batch, '--files'], { show: false })
    .stdout.split('\n')
    .filter(Boolean);
  const message = jitp(['commit-message', ...batch.map((i) => i.slice(0, 8))]).stdout;
  sh('git', ['add', '--', ...verify.stage, ...jitFiles]);
  execFileSync('git', ['commit', '-q', '-F', '-'], {
    cwd: repo,
    input: message,
    env: {
      ...env,
      GIT_AUTHOR_NAME: 'Demo',
      GIT_AUTHOR_EMAIL: 'demo@example.com',
      GIT_COMMITTER_NAME: 'Demo',
      GIT_COMMITTER_EMAIL: 'demo@example.com',
    },
  });
  console.log(`${dim('$')} jitp commit-message … | git commit -F -`);
  sh('git', ['log', '-1', '--stat', '--format=%h %s%n%n%b']);

  header('What is left');
  jitp(['claim', 'list']);
  jitp(['plan']);
  claude(
    `would now run the next batch (${short('later')}, unblocked by ${short('slug')}) the same way, then report to ` +
      `the user.`,
  );
  console.log(
    `\n${bold('Demo complete.')} ` +
      `${keep ? `The repository is kept at ${repo}` : 'Run with --keep to keep the scratch repository.'}`,
  );
} finally {
  if (!keep && base) rmSync(base, { recursive: true, force: true });
}
