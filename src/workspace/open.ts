// The one door: every command and hook gets the repository, the configuration, the lease store
// and the issue source from openWorkspace. The repository is found at once (a stat walk); the
// rest is opened on first use, with its code loaded only then, so a command that needs only the
// repository pays for no YAML parser, store backend or tracker reader. The store is the
// configured one (`remote:` → the remote backend), the same for every command and hook.
import type { LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { RemoteLeaseStore } from '../store/remote.js';
import type { LeaseStore } from '../core/model.js';
import type { IssueSource } from '../sources/types.js';
import { parseConfig } from './config.js';
import { readConfigOf } from './config-file.js';
import { JitpError } from '../platform/errors.js';
import { findRepo, mainRootOf, storeDirOf, type RepoLocation } from './repo.js';
import { openConfiguredStoreOf, openRemoteStoreOf } from './stores.js';

export interface WorkspaceOptions {
  env?: NodeJS.ProcessEnv;
  /** Progress lines of long store operations (remote fetches and pushes); stderr in the CLI. */
  progress?: (line: string) => void;
  /** `--remote <name>`: leases on this git remote instead of config `remote`. */
  remote?: string;
  /** `--batch <file>` (relative to cwd): tasks from a YAML/JSON list instead of the tracker. */
  batch?: string;
}

export interface Workspace {
  /** Where the command or hook acts (`-C <dir>`, the hook input's cwd). */
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly repo: RepoLocation;
  /** This checkout's top: a linked worktree's own, else the main checkout's. */
  readonly root: string;
  /** The main checkout's top (worktree mode's batch file and integration branch live there). */
  readonly mainRoot: string;
  /** The local lease store's folder, shared by every worktree of the clone. */
  readonly storeDir: string;
  /** The configuration and where each value came from (loaded on the first call, then kept). */
  loadedConfig(): Promise<LoadedConfig>;
  config(): Promise<Config>;
  /** The git remote holding the leases (`--remote`, else config `remote`), or null: local leases. */
  remote(): Promise<string | null>;
  /** The configured lease store: on `remote()` when there is one, else local. */
  store(): Promise<LeaseStore>;
  /** The leases kept on git remote `name`, tuned by the configuration (timeouts, mirror age). */
  remoteStore(name: string): Promise<RemoteLeaseStore>;
  /** The issue source: `--batch`, else config `source` (the jit store or task files). */
  source(): Promise<IssueSource>;
  /** Which kind of tracker `source()` opens (config `source`, or what the checkout holds). */
  sourceKind(): Promise<ReturnType<typeof import('../sources/detect.js').sourceKind>>;
  /** The same repository seen from its main checkout (itself when this is the main checkout). */
  main(): Workspace;
}

const once = <T>(make: () => Promise<T>): (() => Promise<T>) => {
  let p: Promise<T> | undefined;
  return () => (p ??= make());
};

function workspaceAt(cwd: string, repo: RepoLocation, o: WorkspaceOptions): Workspace {
  const env = o.env ?? process.env;
  const mainRoot = mainRootOf(repo);
  const loadedConfig = once(() => parseConfig(readConfigOf(repo, env)));
  const config = async () => (await loadedConfig()).config;
  const remote = async () => o.remote ?? (await config()).remote ?? null;
  const tuning = { env, ...(o.progress ? { progress: o.progress } : {}) };
  const remoteStores = new Map<string, Promise<RemoteLeaseStore>>();
  let main: Workspace | undefined;
  const ws: Workspace = {
    cwd,
    env,
    repo,
    root: repo.worktreeRoot,
    mainRoot,
    storeDir: storeDirOf(repo),
    loadedConfig,
    config,
    remote,
    store: once(async () => {
      const c = await config();
      return openConfiguredStoreOf(repo, { ...c, remote: await remote() }, tuning);
    }),
    remoteStore(name) {
      if (!remoteStores.has(name))
        remoteStores.set(
          name,
          config().then((c) =>
            openRemoteStoreOf(repo, name, {
              defaultTtlSecs: c.ttl,
              timeoutSecs: c.remoteTimeout,
              maxAgeSecs: c.remoteMirrorMaxAge,
              ...tuning,
            }),
          ),
        );
      return remoteStores.get(name)!;
    },
    source: once(async () => {
      // A new kind of tracker plugs in at sources/detect.ts (openIssueSource picks by config
      // `source`); every command and hook reaches it through here.
      const { openIssueSource } = await import('../sources/detect.js');
      return openIssueSource({
        root: repo.worktreeRoot,
        config: await config(),
        cwd,
        env,
        ...(o.batch ? { batch: o.batch } : {}),
      });
    }),
    sourceKind: once(async () => {
      const { sourceKind } = await import('../sources/detect.js');
      return sourceKind({ root: repo.worktreeRoot, config: await config(), env });
    }),
    main() {
      if (!repo.linked) return ws;
      // What discovery gives in the main checkout: its git dir is the common dir.
      return (main ??= workspaceAt(
        cwd,
        { worktreeRoot: mainRoot, gitDir: repo.commonDir, commonDir: repo.commonDir, linked: false },
        o,
      ));
    },
  };
  return ws;
}

/** The workspace of the repository containing `cwd`; outside one, E_NOT_A_REPO (exit 7). */
export function openWorkspace(cwd: string, opts: WorkspaceOptions = {}): Workspace {
  const repo = findRepo(cwd);
  if (!repo)
    throw new JitpError('E_NOT_A_REPO', `not inside a git repository: ${cwd}`, {
      hint: 'run jitp inside your project (or pass -C <dir>); `git init` creates a repository',
    });
  return workspaceAt(cwd, repo, opts);
}

/** As openWorkspace, but undefined outside a repository (hooks: nothing to do there). */
export function findWorkspace(cwd: string, opts: WorkspaceOptions = {}): Workspace | undefined {
  const repo = findRepo(cwd);
  return repo ? workspaceAt(cwd, repo, opts) : undefined;
}
