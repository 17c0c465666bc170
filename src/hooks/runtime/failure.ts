// The explicit failure policy. A hook that cannot read its input or the store must not
// crash (exit 1 means "allow" to the client, silently): it says so, and either lets the
// tool run (failure: open, the default) or blocks it (failure: closed).
import { findRepo } from '../../workspace/repo.js';
import { readConfigOf } from '../../workspace/config-file.js';
import type { HookOutcome } from './contract.js';
import { quickConfigValue } from './config-cache.js';

export type FailureMode = 'open' | 'closed';

/**
 * Reads only the `failure:` key, without the YAML parser or the schema: this runs when
 * something already went wrong, and must not fail again for the same reason. The file is the
 * one the loader reads; the value the loader's (config/scan.ts, or its cached answer), else, for
 * a file neither can read (broken YAML), a `failure:` line, so a broken file can still say closed.
 */
export function failureModeOf(root: string | undefined, env: NodeJS.ProcessEnv): FailureMode {
  if (env.JITP_HOOK_FAILURE === 'closed' || env.JITP_HOOK_FAILURE === 'open') return env.JITP_HOOK_FAILURE;
  try {
    const at = (root ? findRepo(root) : undefined) ?? root;
    const known = quickConfigValue(at, 'failure', env);
    if (known) return known;
    const { text } = readConfigOf(at, env);
    const m = text === undefined ? null : /^failure:\s*["']?(open|closed)["']?\s*(#.*)?$/m.exec(text);
    return (m?.[1] as FailureMode | undefined) ?? 'open';
  } catch {
    return 'open';
  }
}

/** What a hook says when it cannot do its job. Only PreToolUse can block. */
export function failureOutcome(event: string, problem: string, mode: FailureMode): HookOutcome {
  if (mode === 'closed' && event === 'PreToolUse') {
    return {
      json: {
        hookSpecificOutput: {
          hookEventName: 'PreToolUse',
          permissionDecision: 'deny',
          permissionDecisionReason:
            `jit-parallel cannot check this call (${problem}), and the configuration says ` +
            `failure: closed, so it is refused. Fix the problem (\`jitp doctor\`) or set failure: open in ` +
            `.jit-parallel.yaml.`,
        },
      },
    };
  }
  return { json: { systemMessage: `jit-parallel: ${problem}; not checked, allowed (failure: ${mode}).` } };
}

/**
 * The bundle that should answer cannot be loaded (missing, damaged, from another build): the
 * same policy, for the repository named by the input's cwd when the input is readable JSON.
 */
export function unloadableOutcome(
  event: string,
  problem: string,
  raw: string | undefined,
  env: NodeJS.ProcessEnv,
): HookOutcome {
  try {
    let cwd = env.CLAUDE_PROJECT_DIR ?? process.cwd();
    try {
      const input = JSON.parse(raw ?? '') as { cwd?: unknown } | null;
      if (typeof input?.cwd === 'string' && input.cwd) cwd = input.cwd;
    } catch {
      /* not JSON: the project dir */
    }
    return failureOutcome(event, problem, failureModeOf(findRepo(cwd)?.worktreeRoot, env));
  } catch {
    return { json: { systemMessage: `jit-parallel: ${problem}; not checked, allowed.` } };
  }
}
