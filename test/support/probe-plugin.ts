// A throwaway plugin whose hooks record what the real client hands them (stdin payload, env,
// and, for sub-agents, what their transcript file holds at that moment) and can be told to
// deny, fail, hang, or stand in for git's worktree creation. Used to establish the client
// facts in docs/claude-client-facts.md.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type ProbeEvent =
  | 'PreToolUse'
  | 'PostToolUse'
  | 'SessionStart'
  | 'SessionEnd'
  | 'SubagentStart'
  | 'SubagentStop'
  | 'UserPromptSubmit'
  | 'Stop'
  | 'WorktreeCreate'
  | 'WorktreeRemove';

/** What the probe hook does when a rule matches (first matching rule wins; default: record only). */
export interface ProbeRule {
  event: ProbeEvent;
  tool?: string;
  /** Substring of JSON.stringify(tool_input). */
  inputIncludes?: string;
  /** Only for payloads with (sub) or without (main) agent_id. */
  agent?: 'sub' | 'main';
  action: 'deny-json' | 'exit2' | 'exit1' | 'sleep' | 'crash' | 'create-worktree';
  reason?: string;
  /** create-worktree: parent folder of the worktrees (default <plugin>/worktrees). */
  dir?: string;
}

export interface ProbeRecord {
  event: string;
  input: Record<string, any>;
  env: Record<string, string>;
  /** For payloads with agent_id: the candidate sub-agent transcript file at hook time. */
  subagentTranscript?: { path: string; exists: boolean; lines: any[] };
  /** The sibling agent-<agent_id>.meta.json at hook time (null when absent). */
  subagentMeta?: Record<string, any> | null;
  /** Files under <dirname(transcript_path)>/<session_id>/ at hook time (relative). */
  sessionDirListing?: string[];
  action?: string;
  at: number;
}

export interface ProbePlugin {
  dir: string;
  logFile: string;
  records(): ProbeRecord[];
  of(event: string): ProbeRecord[];
}

// The hook itself: plain Node, no dependencies, so it runs exactly as a plugin's hook would.
const HOOK_SCRIPT = String.raw`
import { appendFileSync, existsSync, readFileSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { execFileSync } from 'node:child_process';
const root = process.env.CLAUDE_PLUGIN_ROOT || dirname(new URL(import.meta.url).pathname);
let raw = '';
process.stdin.setEncoding('utf8');
for await (const c of process.stdin) raw += c;
let input;
try { input = JSON.parse(raw); } catch { input = { unparsed: raw }; }
const env = {};
for (const [k, v] of Object.entries(process.env)) if (/^(CLAUDE|ANTHROPIC_BASE|PWD$|PATH$|HOME$)/.test(k)) env[k] = v;
const rec = { event: input.hook_event_name, input, env, at: Date.now() };
function walk(d, base, out) {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p, base, out);
    else out.push(relative(base, p));
  }
  return out;
}
if (input.transcript_path && input.session_id) {
  const sdir = join(dirname(input.transcript_path), input.session_id);
  try {
    rec.sessionDirListing = existsSync(sdir) ? walk(sdir, sdir, []) : [];
  } catch (e) {
    rec.sessionDirListing = ['ERR ' + e.message];
  }
  if (input.agent_id) {
    const p = join(sdir, 'subagents', 'agent-' + input.agent_id + '.jsonl');
    const exists = existsSync(p);
    const parse = (l) => { try { return JSON.parse(l); } catch { return l; } };
    const lines = exists ? readFileSync(p, 'utf8').split('\n').filter(Boolean).map(parse) : [];
    rec.subagentTranscript = { path: p, exists, lines };
    const mp = join(sdir, 'subagents', 'agent-' + input.agent_id + '.meta.json');
    try {
      rec.subagentMeta = existsSync(mp) ? JSON.parse(readFileSync(mp, 'utf8')) : null;
    } catch (e) {
      rec.subagentMeta = 'ERR ' + e.message;
    }
  }
}
const rules = JSON.parse(readFileSync(join(root, 'rules.json'), 'utf8'));
const rule = rules.find((r) => r.event === input.hook_event_name
  && (!r.tool || r.tool === input.tool_name)
  && (!r.inputIncludes || JSON.stringify(input.tool_input ?? {}).includes(r.inputIncludes))
  && (!r.agent || (r.agent === 'sub') === Boolean(input.agent_id)));
rec.action = rule?.action;
appendFileSync(join(root, 'log.jsonl'), JSON.stringify(rec) + '\n');
if (!rule) process.exit(0);
const reason = rule.reason ?? 'probe says no';
switch (rule.action) {
  case 'deny-json':
    process.stdout.write(JSON.stringify({
      hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: reason },
    }));
    process.exit(0);
  case 'exit2': process.stderr.write(reason); process.exit(2);
  case 'exit1': process.stderr.write(reason); process.exit(1);
  case 'crash': throw new Error('probe crash');
  case 'sleep': await new Promise((r) => setTimeout(r, 30000)); process.exit(0);
  case 'create-worktree': {
    const safe = String(input.name).replace(/[^A-Za-z0-9._-]/g, '_');
    const wt = join(rule.dir ?? join(root, 'worktrees'), safe);
    mkdirSync(dirname(wt), { recursive: true });
    execFileSync('git', ['-C', input.cwd, 'worktree', 'add', '-q', '-b', 'probe/' + safe, wt, 'HEAD'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    process.stdout.write(wt + '\n');
    process.exit(0);
  }
}
`;

export interface ProbePluginOptions {
  /** Events to hook (default: all the tool, session and sub-agent events, not the worktree ones). */
  events?: ProbeEvent[];
  rules?: ProbeRule[];
  /** Hook timeout in seconds (default 10). */
  timeout?: number;
  /** Extra files to write, relative to the plugin root (e.g. skills/demo/SKILL.md, bin/x). */
  files?: Record<string, string>;
}

const DEFAULT_EVENTS: ProbeEvent[] = [
  'PreToolUse',
  'PostToolUse',
  'SessionStart',
  'SubagentStart',
  'SubagentStop',
  'UserPromptSubmit',
];
const TOOL_EVENTS = new Set<ProbeEvent>(['PreToolUse', 'PostToolUse']);

export function makeProbePlugin(parent: string, opts: ProbePluginOptions = {}): ProbePlugin {
  const dir = join(parent, 'probe-plugin');
  mkdirSync(join(dir, '.claude-plugin'), { recursive: true });
  mkdirSync(join(dir, 'hooks'), { recursive: true });
  writeFileSync(join(dir, '.claude-plugin', 'plugin.json'), JSON.stringify({ name: 'probe', version: '0.0.0' }));
  writeFileSync(join(dir, 'probe.mjs'), HOOK_SCRIPT);
  writeFileSync(join(dir, 'rules.json'), JSON.stringify(opts.rules ?? []));
  const hooks: Record<string, unknown[]> = {};
  for (const ev of opts.events ?? DEFAULT_EVENTS) {
    const entry = { type: 'command', command: 'node "${CLAUDE_PLUGIN_ROOT}/probe.mjs"', timeout: opts.timeout ?? 10 };
    hooks[ev] = [TOOL_EVENTS.has(ev) ? { matcher: '*', hooks: [entry] } : { hooks: [entry] }];
  }
  writeFileSync(join(dir, 'hooks', 'hooks.json'), JSON.stringify({ hooks }, null, 2));
  for (const [rel, content] of Object.entries(opts.files ?? {})) {
    const p = join(dir, rel);
    mkdirSync(join(p, '..'), { recursive: true });
    writeFileSync(p, content);
    if (rel.startsWith('bin/')) chmodSync(p, 0o755);
  }
  const logFile = join(dir, 'log.jsonl');
  const records = (): ProbeRecord[] =>
    existsSync(logFile)
      ? readFileSync(logFile, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as ProbeRecord)
      : [];
  return { dir, logFile, records, of: (event) => records().filter((r) => r.event === event) };
}
