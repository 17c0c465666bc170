// Which `jitp` commands a Bash command runs, and may this sub-agent run them? A sub-agent runs
// in the same session, with the same default identity (DEFAULT_AGENT_ID) as the orchestrator, so
// `jitp claim release <a sibling's issue>` or `--agent <victim>` would act on leases that are not
// its own (issue 13, "identity by assertion"). The hook refuses those; this file decides. Pure.
import { isRedirect, splitShell, type Word } from './shell-words.js';

export interface JitpCall {
  /** The words after `jitp` (global flags included), as the program would see them. */
  args: Word[];
}

export interface JitpScan {
  calls: JitpCall[];
  /** Text that looks like a lease command but could not be read (a variable program, broken quoting). */
  opaque: string[];
}

/** The agent's own lease, when it is bound. */
export interface OwnLease {
  leaseId: string;
  issueId: string;
  agentId: string;
}

// Options that take a value, across every command (`--agent X`); anything else is a flag.
const VALUE_OPTIONS = new Set([
  'agent',
  'token',
  'reason',
  'remote',
  'ttl',
  'paths',
  'worktree',
  'branch',
  'cwd',
  'base',
  'issue',
  'mode',
  'max-age',
  'comment',
  'subagent',
  'test-command',
  'timeout',
]);
const GLOBAL_SHORT_VALUE = new Set(['-C']);

// Commands that change nothing a lease protects (reading, rendering, checking).
const READ_ONLY = new Set([
  'version',
  'config',
  'claim list',
  'claim status',
  'claim sync',
  'hook check',
  'hook pre-commit',
  'issues',
  'plan',
  'commit-message',
  'verify',
  'status',
  'worktree list',
  'completion',
  'help',
  'doctor',
]);
// Commands that act on one issue's lease: allowed on the agent's own.
const OWN_ISSUE = new Set(['claim acquire', 'claim release', 'claim renew', 'claim extend', 'worktree commit']);
const KNOWN = [
  ...READ_ONLY,
  ...OWN_ISSUE,
  'claim evict',
  'claim wait',
  'prompt',
  'issue done',
  'finish',
  'worktree add',
  'worktree remove',
  'merge',
  'cleanup',
  'init',
  'batch load',
  'spawn',
  'retry',
  'install-git-hooks',
];

const WRAPPERS = new Set(['sudo', 'nohup', 'exec', 'command', 'builtin', 'time', 'nice', 'ionice', 'doas', 'stdbuf']);
const KEYWORDS = new Set(['{', '}', '!', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', 'time']);
const SHELLS = /^(ba|z|da|k|fi)?sh$/;
const JITP_PROGRAM = /(^|\/)jitp(\.m?[cj]s)?$/;
const LEASE_WORDS = /\bclaim\b[\s\S]*\b(acquire|release|evict|extend|renew)\b|\bissue\s+done\b|\bjitp\b/;

const base = (w: Word) => w.text.replace(/^.*\//, '');

/** Finds every `jitp` run in a Bash command (through env, sudo, npx, node, sh -c, $(…), eval…). */
export function findJitpCalls(command: string): JitpScan {
  const out: JitpScan = { calls: [], opaque: [] };
  scan(command, 0, out);
  return out;
}

function scan(command: string, depth: number, out: JitpScan): void {
  const split = splitShell(command);
  if (split.incomplete && LEASE_WORDS.test(command)) out.opaque.push(command.slice(0, 80));
  for (const words of split.commands) simple(words, depth, out);
}

function simple(all: Word[], depth: number, out: JitpScan): void {
  // Redirections and their files are not arguments.
  const words: Word[] = [];
  for (let i = 0; i < all.length; i++) {
    if (isRedirect(all[i]!)) i++;
    else words.push(all[i]!);
  }
  let i = 0;
  const skipOpts = (valued: RegExp = /^$/) => {
    while (i < words.length && words[i]!.text.startsWith('-')) {
      if (words[i]!.text === '--') return void i++;
      if (valued.test(words[i]!.text)) i++;
      i++;
    }
  };
  for (let guard = 0; guard < 64 && i < words.length; guard++) {
    const w = words[i]!;
    const name = base(w);
    if (KEYWORDS.has(w.text) || (!w.dynamic && /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(w.text))) i++;
    else if (name === 'env') {
      i++;
      while (i < words.length && (words[i]!.text.startsWith('-') || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!.text))) {
        if (/^-(u|C|S)$|^--(unset|chdir|split-string)$/.test(words[i]!.text)) i++;
        i++;
      }
    } else if (WRAPPERS.has(name)) {
      i++;
      skipOpts(/^-(u|g|n|c|o|e|i|p)$/);
    } else if (name === 'timeout') {
      i++;
      skipOpts(/^-(s|k)$/);
      i++; // the duration
    } else if (name === 'xargs') {
      i++;
      skipOpts(/^-(I|L|n|P|s|d|E|a)$/);
    } else if (name === 'npx' || name === 'bunx' || name === 'pnpx') {
      i++;
      skipOpts(/^-(p|c)$|^--(package|call)$/);
    } else if ((name === 'npm' || name === 'pnpm' || name === 'yarn') && words[i + 1]?.text === 'exec') {
      i += 2;
      skipOpts();
    } else if (name === 'node' || name === 'tsx' || name === 'bun') {
      i++;
      skipOpts(/^-(r|e|p)$|^--(require|import|loader)$/);
      if (i < words.length && !JITP_PROGRAM.test(words[i]!.text)) return;
    } else break;
  }
  if (i >= words.length) return;
  const prog = words[i]!;
  const rest = words.slice(i + 1);
  if (!prog.dynamic && JITP_PROGRAM.test(prog.text)) {
    out.calls.push({ args: rest });
    return;
  }
  if (!prog.dynamic && SHELLS.test(base(prog))) {
    const c = rest.findIndex((w) => /^-[a-z]*c[a-z]*$/.test(w.text));
    const script = c >= 0 ? rest[c + 1] : undefined;
    if (script && depth < 8) scan(script.text, depth + 1, out);
    if (script?.dynamic && LEASE_WORDS.test(script.text)) out.opaque.push(script.text.slice(0, 80));
    return;
  }
  if (!prog.dynamic && (prog.text === 'eval' || prog.text === 'source' || prog.text === '.')) {
    const text = rest.map((w) => w.text).join(' ');
    if (prog.text === 'eval' && depth < 8) scan(text, depth + 1, out);
    if (rest.some((w) => w.dynamic) && LEASE_WORDS.test(text)) out.opaque.push(text.slice(0, 80));
    return;
  }
  // A program named by a variable or substitution (`$J claim release x`): cannot be read.
  const line = words.map((w) => w.text).join(' ');
  if (prog.dynamic && LEASE_WORDS.test(line)) out.opaque.push(line.slice(0, 80));
}

export interface ParsedJitp {
  /** `claim release`, or undefined when the words name no known command. */
  command?: string;
  positionals: Word[];
  values: Map<string, Word>;
  flags: Set<string>;
  /** A command or option word whose value is not known (a variable, a substitution). */
  dynamic: boolean;
}

/** Reads jitp's own command line: global flags anywhere (`--json`, `-C dir`, `--cwd=dir`). */
export function parseJitpArgs(args: readonly Word[]): ParsedJitp {
  const out: ParsedJitp = { positionals: [], values: new Map(), flags: new Set(), dynamic: false };
  const bare: Word[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    const t = w.text;
    if (t === '--') {
      bare.push(...args.slice(i + 1));
      break;
    }
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      const name = t.slice(2, eq < 0 ? undefined : eq);
      if (w.dynamic) out.dynamic = true;
      if (eq >= 0) out.values.set(name, { text: t.slice(eq + 1), dynamic: w.dynamic });
      else if (VALUE_OPTIONS.has(name)) {
        const v = args[++i];
        if (v) out.values.set(name, v);
      } else out.flags.add(name);
    } else if (t.startsWith('-') && t.length > 1) {
      if (GLOBAL_SHORT_VALUE.has(t)) i++;
      else if (/^-C./.test(t)) out.values.set('cwd', { text: t.slice(2), dynamic: w.dynamic });
      else out.flags.add(t);
    } else bare.push(w);
  }
  // The command is the longest known prefix of the leading bare words.
  for (let n = Math.min(3, bare.length); n > 0; n--) {
    const key = bare
      .slice(0, n)
      .map((w) => w.text)
      .join(' ');
    if (KNOWN.includes(key)) {
      if (bare.slice(0, n).some((w) => w.dynamic)) out.dynamic = true;
      out.command = key;
      out.positionals = bare.slice(n);
      return out;
    }
  }
  if (bare.some((w) => w.dynamic)) out.dynamic = true;
  out.positionals = bare;
  return out;
}

/** Does `input` (as typed: a full id, a 4+ character prefix of a jit uuid, `#12`) name `issueId`? */
export function namesIssue(input: string, issueId: string): boolean {
  const a = input.trim().replace(/^#(?=\d+$)/, '');
  if (a === issueId) return true;
  return a.length >= 4 && /^[0-9a-f-]+$/i.test(a) && issueId.toLowerCase().startsWith(a.toLowerCase());
}

/**
 * May a sub-agent run this jitp command? Returns the deny reason, or undefined. Read-only
 * commands always; commands on one issue's lease only on its own lease and as its own lease's
 * agent; everything else that changes leases, issues or the batch is the orchestrator's.
 */
export function judgeSubagentJitp(call: JitpCall, own: OwnLease | undefined, subagentId: string): string | undefined {
  const p = parseJitpArgs(call.args);
  const shown = ['jitp', ...call.args.map((w) => w.text)].join(' ').slice(0, 160);
  const yours = own ? `your lease ${own.leaseId} (issue ${own.issueId})` : 'no lease (you are not bound to one)';
  const refuse = (why: string) =>
    `jit-parallel: sub-agent ${subagentId} may not run \`${shown}\`: ${why}. You hold ${yours}. Leases and ` +
    `issues are changed by the orchestrator: do not retry this in another form; say what you need in your ` +
    `final answer instead.`;
  if (p.flags.has('help') || p.flags.has('-h') || p.flags.has('version') || p.flags.has('-V')) return undefined;
  if (!p.command) {
    if (p.positionals.length === 0 && !p.dynamic) return undefined; // `jitp` alone prints the index
    return refuse(p.dynamic ? 'its command is not known before the shell runs it' : 'it is not a jitp command');
  }
  if (p.dynamic) return refuse('part of it is a variable or substitution, so what it acts on cannot be checked');
  if (READ_ONLY.has(p.command)) {
    if (p.command === 'doctor' && p.flags.has('repair')) return refuse('`doctor --repair` rewrites the lease store');
    return undefined;
  }
  const agent = p.values.get('agent');
  if (agent && (agent.dynamic || !own || agent.text !== own.agentId))
    return refuse(`it acts as agent ${agent.text}, which is not the holder of your lease`);
  if (OWN_ISSUE.has(p.command)) {
    const ids = p.positionals;
    if (!own) return refuse('it changes a lease');
    if (ids.length !== 1 || ids[0]!.dynamic || !namesIssue(ids[0]!.text, own.issueId))
      return refuse(`it acts on issue ${ids.map((w) => w.text).join(' ') || '(none)'}, not on your own`);
    return undefined;
  }
  if (p.command === 'claim wait') {
    // Waits into the lease named by --issue (else the agent's only lease, which a sub-agent sharing
    // the session's identity cannot count on): it must name the sub-agent's own.
    const issue = p.values.get('issue');
    if (!own) return refuse('it adds a path to a lease, and you hold none');
    if (!issue || issue.dynamic || !namesIssue(issue.text, own.issueId))
      return refuse(`it waits for issue ${issue?.text ?? '(none: add --issue ' + own.issueId + ')'}, not your own`);
    return undefined;
  }
  if (p.command === 'claim evict') {
    const id = p.positionals[0];
    if (own && p.positionals.length === 1 && id && !id.dynamic && id.text === own.leaseId) return undefined;
    return refuse(`it evicts lease ${id?.text ?? '(none)'}, not your own`);
  }
  if (p.command === 'prompt')
    return refuse('`jitp prompt` renders a lease binding, which only the orchestrator may hand out');
  return refuse(`\`${p.command}\` changes leases, issues or the batch`);
}

/** The deny reason for a sub-agent's Bash command, or undefined when every jitp run in it is allowed. */
export function checkSubagentJitp(command: string, own: OwnLease | undefined, subagentId: string): string | undefined {
  const scan = findJitpCalls(command);
  for (const c of scan.calls) {
    const r = judgeSubagentJitp(c, own, subagentId);
    if (r) return r;
  }
  if (scan.opaque.length)
    return (
      `jit-parallel: cannot tell what \`${scan.opaque[0]}\` runs; a sub-agent's command that may change ` +
      `leases must name \`jitp\` and its arguments literally. If it does not run jitp, write it without the ` +
      `words jitp/claim in a variable or substitution.`
    );
  return undefined;
}
