// The one place jitp runs the GitHub CLI. gh owns authentication (its own keyring or
// GH_TOKEN): jitp never reads, stores or passes a token. Synchronous because the issue source
// interface is (a source is read once per command), on the platform's process runner.
import { JitpError } from '../platform/errors.js';
import { runProcessSync } from '../platform/process.js';

export const GH_INSTALL_HINT = 'install the GitHub CLI (https://cli.github.com), then run `gh auth login`';
const SOURCE_ALTERNATIVE = 'or set `source: tasks` (or `jit`) in .jit-parallel.yaml';

export interface GhOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** `owner/name` (or `host/owner/name`) passed as `--repo`; null: gh picks it from the git remotes. */
  repo?: string | null;
  /** Deadline per call; gh talks to the network. */
  timeoutMs?: number;
}

export interface GhClient {
  /** Runs `gh <args>` (plus `--repo` when the command takes it) and returns stdout; throws typed errors. */
  run(args: string[], opts?: { repoFlag?: boolean; input?: string }): string;
  /** Runs it and parses stdout as JSON. */
  json<T>(args: string[]): T;
}

/** gh never prompts, pages or nags when jitp runs it. */
function ghEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...base,
    GH_PROMPT_DISABLED: '1',
    GH_NO_UPDATE_NOTIFIER: '1',
    GH_PAGER: 'cat',
    NO_COLOR: '1',
    CLICOLOR: '0',
  };
}

const firstLine = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .find(Boolean) ?? '';

export function ghClient(o: GhOptions): GhClient {
  const timeoutMs = o.timeoutMs ?? 60_000;
  const run = (args: string[], opts: { repoFlag?: boolean; input?: string } = {}): string => {
    const argv = [...args, ...(opts.repoFlag !== false && o.repo ? ['--repo', o.repo] : [])];
    const r = runProcessSync('gh', argv, {
      cwd: o.cwd,
      env: ghEnv(o.env ?? process.env),
      timeoutMs,
      killSignal: 'SIGKILL',
      maxOutput: 256 * 1024 * 1024,
      ...(opts.input !== undefined ? { input: opts.input } : {}),
    });
    const shown = `gh ${args.slice(0, 3).join(' ')}`;
    if (r.spawnError || r.timedOut) {
      const code = r.timedOut ? 'ETIMEDOUT' : (r.spawnError as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        throw new JitpError('E_GH_MISSING', 'the GitHub CLI `gh` is not installed (or not on PATH)', {
          hint: `${GH_INSTALL_HINT}; ${SOURCE_ALTERNATIVE}`,
        });
      }
      if (code === 'ETIMEDOUT') {
        throw new JitpError('E_GH_FAILED', `${shown} did not answer within ${Math.round(timeoutMs / 1000)} s`, {
          hint: 'check the network and `gh auth status`, then rerun',
        });
      }
      throw new JitpError('E_GH_FAILED', `cannot run gh: ${r.spawnError!.message}`, { hint: GH_INSTALL_HINT });
    }
    if (r.code === 0) return r.stdout;
    const stderr = r.stderr ?? '';
    // gh exits 4 when it needs authentication (`gh help exit-codes`); older builds say so only in words.
    if (r.code === 4 || /gh auth login|not logged in|authentication required/i.test(stderr)) {
      throw new JitpError('E_GH_AUTH', `gh is not logged in to GitHub (${shown} exited ${r.code})`, {
        hint: 'run `gh auth login` (gh keeps the credentials; jitp never sees them), or set GH_TOKEN for gh',
        details: { stderr: stderr.slice(0, 2000) },
      });
    }
    if (/could not resolve to an? (issue|pullrequest|issue or pull request)/i.test(stderr)) {
      throw new JitpError('E_NOT_FOUND', `GitHub has no issue for ${shown}: ${firstLine(stderr)}`, {
        hint: 'list the issues with `jitp issues` (or `gh issue list`)',
        details: { stderr: stderr.slice(0, 2000) },
      });
    }
    throw new JitpError('E_GH_FAILED', `${shown} failed (exit ${r.code ?? r.signal}): ${firstLine(stderr)}`, {
      hint:
        'check `gh auth status` and the repository (`gh repo view`); ' +
        'set `github.repo: owner/name` if gh picks the wrong one',
      details: { stderr: stderr.slice(0, 2000), args },
    });
  };
  return {
    run,
    json<T>(args: string[]): T {
      const out = run(args);
      try {
        return JSON.parse(out) as T;
      } catch (e) {
        throw new JitpError(
          'E_GH_FAILED',
          `gh ${args.slice(0, 3).join(' ')} printed something that is not JSON: ${(e as Error).message}`,
          {
            hint: 'update gh to 2.0 or newer (`gh --version`)',
            details: { stdout: out.slice(0, 500) },
          },
        );
      }
    },
  };
}
